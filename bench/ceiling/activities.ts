/**
 * The handoff workflow's activities on the dealer delivered path with the work taken out: what
 * is left is what Temporal itself costs per activity (a marker for a local one; scheduling, the
 * task round trip and history events for the regular send).
 */
export const ceilingActivities = {
  async loadHandoffContext(): Promise<void> {},
  async stageHandoff(): Promise<void> {},
  async sendHandoff(): Promise<void> {},
  async appendRecord(): Promise<void> {},
};

export type CeilingActivities = typeof ceilingActivities;

/**
 * The dealer-catalog workflow's activities with the work taken out: what is left is what
 * Temporal itself costs per activity (scheduling, the task round trip, history events).
 */
export const ceilingActivities = {
  async loadPolicy(): Promise<void> {},
  async loadRecipient(): Promise<void> {},
  async loadConsent(): Promise<void> {},
  async stageHandoff(): Promise<void> {},
  async sendHandoff(): Promise<void> {},
  async appendRecord(): Promise<void> {},
};

export type CeilingActivities = typeof ceilingActivities;

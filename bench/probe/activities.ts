/** The probe's only activity: nothing, so what is measured is Temporal's own cost per call. */
export const probeActivities = {
  async noop(): Promise<void> {},
};

export type ProbeActivities = typeof probeActivities;

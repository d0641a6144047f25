export const formatCheckpointId = (n: number): string => `CP-${String(n).padStart(6, '0')}`;
export const formatHoldId = (n: number): string => `LH-${String(n).padStart(6, '0')}`;

export const DEFAULT_CONSENT_BACKDATE_DAYS = 30;

/** A clock a few minutes ahead on the form's side is not a claim about the future. */
const SKEW_MS = 5 * 60_000;

/**
 * Why a claimed `grantedAt` cannot be recorded, if it cannot: after the consent arrived, or
 * further back than the policy's window. Inside the window it is recorded as claimed.
 */
export function claimedGrantProblem(grantedAt: string, receivedAt: Date, windowDays: number): string | undefined {
  const at = Date.parse(grantedAt);
  if (at > receivedAt.getTime() + SKEW_MS) return `${grantedAt} is after the consent was entered (${receivedAt.toISOString()})`;
  if (receivedAt.getTime() - at > windowDays * 86_400_000) return `${grantedAt} is more than ${windowDays} days before the consent was entered (the policy's consentBackdateDays)`;
  return undefined;
}

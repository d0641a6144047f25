import { createAcknowledgementActivities } from './acknowledgement';
import { createContextActivities } from './context';
import type { ActivityDeps } from './deps';
import { createEntrustmentActivities } from './entrustment';
import { createHandoffActivities } from './handoff';
import { createLedgerActivities } from './ledger';
import { createNoticeActivities } from './notice';
import { createPolicyActivities } from './policy';
import { createRecipientNoticeActivities } from './recipient-notice';
import { createRegistryActivities } from './registry';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPolicyActivities(deps),
    ...createContextActivities(deps),
    ...createRegistryActivities(deps),
    ...createHandoffActivities(deps),
    ...createLedgerActivities(deps),
    ...createAcknowledgementActivities(deps),
    ...createNoticeActivities(deps),
    ...createEntrustmentActivities(deps),
    ...createRecipientNoticeActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';

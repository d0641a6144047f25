export { handoff } from './handoff';
export { deletionFollowUp } from './deletion-follow-up';
export { acknowledgement } from './acknowledgement';
export { legalRequest } from './legal';
export { legalAftercare } from './legal-aftercare';
export { notifyRecipients } from './notify-recipients';
// Workflow types started before the generic handoff existed: kept so their histories replay and
// any still running (an entrustee's deletion follow-up) can finish. New requests start `handoff`.
export { dealerCatalog } from './legacy/dealer-catalog';
export { surveyBatch } from './legacy/survey';
export { shipping } from './legacy/shipping';

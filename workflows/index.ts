export { dealerCatalog } from './dealer-catalog';
export { acknowledgement } from './acknowledgement';
export { surveyBatch } from './survey';
export { shipping } from './shipping';

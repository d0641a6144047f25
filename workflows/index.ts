export { dealerCatalog } from './dealer-catalog';
export { acknowledgement } from './acknowledgement';
export { legalRequest } from './legal';
export { legalAftercare } from './legal-aftercare';
export { surveyBatch } from './survey';
export { shipping } from './shipping';

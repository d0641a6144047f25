export { dealerCatalog } from './dealer-catalog';
export { acknowledgement } from './acknowledgement';

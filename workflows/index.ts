export { dealerCatalog } from './dealer-catalog';

/**
 * Purpose names and defaults that workflows need at run time, kept apart from the request
 * schemas so that workflow code does not load zod.
 */
export const DEALER_CATALOG_PURPOSE = 'catalog-request';

export const SURVEY_DEFAULT_DESIGN = 'customer-satisfaction';
export const SHIPPING_PURPOSE = 'delivery';
/** A carrier the policy does not list gets the narrowest choice of every option. */
export const SHIPPING_DEFAULT_OPTIONS: Record<string, string> = { phone: 'not-required' };

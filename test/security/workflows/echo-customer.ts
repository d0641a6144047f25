/**
 * A workflow for tests only: it carries a customer's personal data in its input and result, as
 * the engine's own workflows never do, so that a test can show the codec hides such data.
 */
export interface CustomerCard {
  name: string;
  email: string;
  phone: string;
  postalCode: string;
  address: string;
}

export async function echoCustomer(card: CustomerCard): Promise<CustomerCard> {
  return { ...card };
}

import { proxyActivities } from '@temporalio/workflow';

/**
 * Workflows for tests only: they carry a customer's personal data in inputs, results and
 * errors, as the engine's own workflows never do, so that tests can show the codec and the
 * log redaction hide such data.
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

/** The activity a test worker registers: it fails with the customer's contact details in its message. */
export interface ContactActivities {
  contactCustomer(card: CustomerCard): Promise<void>;
}

const { contactCustomer } = proxyActivities<ContactActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

export async function contactFails(card: CustomerCard): Promise<void> {
  await contactCustomer(card);
}

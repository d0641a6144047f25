import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** D-20261124-7K3QX9M2: sortable by day, unguessable within it. */
export function newDisclosureId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const suffix = Array.from(randomBytes(8), (b) => ALPHABET[b % 32]).join('');
  return `D-${day}-${suffix}`;
}

export const workflowIdFor = (disclosureId: string): string => `disclosure-${disclosureId}`;

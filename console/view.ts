import type { Principal } from '../api/auth';
import type { Lang, T } from './i18n';

/** What every page needs to know about who is looking, in which language, and when. */
export interface View {
  lang: Lang;
  t: T;
  timeZone: string;
  provider: string;
  path: string;
  principal?: Principal | undefined;
  /** The token forms that change something carry; present once a CSRF secret is set. */
  csrf: string;
}

export type Area =
  | 'dashboard'
  | 'request'
  | 'approvals'
  | 'ledger'
  | 'records'
  | 'report'
  | 'customers'
  | 'consents'
  | 'registry'
  | 'handoffs';

const AREAS: Record<Area, readonly string[]> = {
  dashboard: ['requester', 'registrar', 'approver', 'auditor', 'admin'],
  request: ['requester', 'admin'],
  approvals: ['approver', 'admin'],
  ledger: ['auditor', 'admin'],
  records: ['auditor', 'admin'],
  report: ['auditor', 'admin', 'requester'],
  customers: ['requester', 'registrar', 'auditor', 'admin'],
  /** Consents are registry writes: not the requester's, as over the API. */
  consents: ['registrar', 'admin'],
  registry: ['requester', 'registrar', 'approver', 'auditor', 'admin'],
  handoffs: ['recipient', 'admin'],
};

/** Which pages a role sees in the navigation; the routes check the same table, then the services their own rules. */
export const mayUse = (role: string | undefined, area: Area): boolean =>
  role !== undefined && AREAS[area].includes(role);

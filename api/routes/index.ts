import type { AnyRoute } from '../route';
import { auditRoutes } from './audit';
import { disclosureRoutes } from './disclosures';
import { handoffRoutes } from './handoffs';
import { kindRoutes } from './kinds';
import { noticeRoutes } from './notices';
import { recordRoutes } from './records';
import { registryRoutes } from './registry';

/** Every operation of the API; each is a route entry that calls one service function. */
export const ROUTES: readonly AnyRoute[] = [...registryRoutes, ...disclosureRoutes, ...kindRoutes, ...recordRoutes, ...handoffRoutes, ...noticeRoutes, ...auditRoutes];

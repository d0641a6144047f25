import type { z } from 'zod';
import type { LedgerKey } from '../infra/signing-key';
import type { ReplayOptions } from '../service/audit-replay';
import type { ServiceContext } from '../service/context';
import type { Actor } from '../domain/actor';
import type { Principal, Role } from './auth';

/** What every route may use: one long-lived service context and the engine's keys and options. */
export interface ApiDeps {
  ctx: ServiceContext;
  home: string;
  /** Signs and checks the acknowledgement links in handoffs. */
  ackKey: Buffer;
  replay: ReplayOptions;
  /** The key that signs ledger checkpoints (its public half suffices here); undefined when none exists. */
  ledgerKey: () => LedgerKey | undefined;
  /** The policy file, for the provider's name on pages for recipients. */
  policyPath?: string | undefined;
  /** DISCLOSURE_TIMEZONE: the zone of dates on pages. */
  timeZone?: string | undefined;
}

export interface RouteRequest<B, Q> {
  /** Absent only on public routes. */
  principal: Principal | undefined;
  params: Record<string, string>;
  body: B;
  query: Q;
  /** What the caller asked for on a route that offers CSV: `?format=csv` or an Accept header preferring text/csv. */
  format: 'json' | 'csv';
}

export interface RouteResult {
  status?: number;
  body: unknown;
  /** A page for a person (the acknowledgement link opened in a browser) instead of JSON. */
  html?: string;
  /** A CSV file (domain/csv.ts) instead of JSON, for a route that offers one. */
  csv?: string | undefined;
}

/** Each answer the operation gives besides errors, by status; the schemas are the OpenAPI responses. */
export type Responses = Partial<Record<200 | 201 | 202 | 409, z.ZodType>>;

/**
 * One operation of the API: who may call it, what it accepts (the zod schemas that validate the
 * request and generate the OpenAPI document) and the service function it calls.
 */
export interface Route<B = unknown, Q = unknown> {
  method: 'GET' | 'POST';
  /** With `:name` segments, e.g. /api/disclosures/:id. */
  path: string;
  /** The OpenAPI operation id, unique across the API. */
  operationId: string;
  summary: string;
  roles: readonly Role[] | 'public';
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  responses: Responses;
  /** Answers `text/html` (a page for a person) rather than JSON. */
  page?: boolean;
  /** Also answers `text/csv` (UTF-8 with BOM, CRLF) when asked by `?format=csv` or the Accept header; the file's name. */
  csv?: string | undefined;
  handle(deps: ApiDeps, req: RouteRequest<B, Q>): Promise<RouteResult>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = Route<any, any>;

/** Keeps the body and query types of one route tied to its schemas. */
export const route = <B = undefined, Q = undefined>(r: Route<B, Q>): AnyRoute => r;

export const STAFF: readonly Role[] = ['requester', 'registrar', 'approver', 'auditor', 'admin'];

export { HttpError } from './http/errors';

/** The acting token as the ledger names it; a guarded route always has a principal. */
export function actorOf(p: Principal | undefined, via: Actor['via'] = 'api'): Actor {
  if (p === undefined) throw new Error('a guarded route was reached without a principal');
  return { name: p.name, tokenId: p.tokenId, via };
}

import { readPolicy } from '../activities/policy';
import type { RecipientKind } from '../domain/registry';
import type { FieldIssue } from './errors';
import type { ServiceContext } from './context';

/** An unknown recipient, or one of another kind, is bad input: the request cannot be meant. */
export async function checkRecipient(
  ctx: Pick<ServiceContext, 'store'>,
  id: string,
  kind: RecipientKind,
  field: string,
): Promise<FieldIssue[]> {
  const recipient = await ctx.store.getRecipient(id);
  if (recipient === undefined) return [{ field, message: `no recipient ${id}` }];
  if (recipient.kind !== kind) return [{ field, message: `${id} is a ${recipient.kind}, not a ${kind}` }];
  return [];
}

/** Customers named in a request that are not on file; the first few are named. */
export async function unknownSubjects(ctx: Pick<ServiceContext, 'store'>, ids: readonly string[], field: string): Promise<FieldIssue[]> {
  const known = await ctx.store.getSubjects(ids);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length === 0) return [];
  const shown = unknown.slice(0, 10).join(', ');
  const more = unknown.length > 10 ? ` and ${unknown.length - 10} more` : '';
  return [{ field, message: `no customer ${shown}${more}` }];
}

/**
 * A survey design must be one the policy defines as its own purpose: a name such as
 * `constructor` that only an object's prototype knows is bad input, not a purpose.
 */
export async function unknownDesign(ctx: Pick<ServiceContext, 'policyPath'>, design: string): Promise<FieldIssue[]> {
  const { policy } = await readPolicy(ctx.policyPath);
  const purposes = policy.kinds.survey?.purposes ?? {};
  if (Object.hasOwn(purposes, design)) return [];
  return [{ field: 'design', message: `the policy defines no survey design "${design}" (it has: ${Object.keys(purposes).join(', ')})` }];
}

import type { StatusView } from '../workflows/definitions';
import { acknowledgementKey } from '../workflows/acknowledgement';
import type { ServiceContext } from './context';

/** A delivered disclosure whose recipient confirmed receipt reports `acknowledged`. */
export async function withAcknowledgement(ctx: Pick<ServiceContext, 'store'>, view: StatusView): Promise<StatusView> {
  if (view.status !== 'delivered') return view;
  const records = await ctx.store.listRecords({ disclosureId: view.id });
  return records.some((r) => r.idempotencyKey === acknowledgementKey(view.id)) ? { ...view, status: 'acknowledged' } : view;
}

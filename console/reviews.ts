import type { ServiceContext } from '../service/context';
import { legalAftercare } from '../service/legal';
import type { ReviewItem } from './pages/approvals';

/**
 * Emergency releases still waiting for their review by a second person, the most urgent first.
 * The ledger says which were released and which reviewed; the aftercare workflow says by when.
 */
export async function emergencyReviewsDue(ctx: ServiceContext): Promise<ReviewItem[]> {
  const [released, reviewed] = await Promise.all([
    ctx.store.listRecords({ kind: 'legal', entryType: 'disclosure', outcome: 'delivered' }),
    ctx.store.listRecords({ kind: 'legal', entryType: 'review' }),
  ]);
  const done = new Set(reviewed.map((r) => r.disclosureId));
  const open = released.filter((r) => r.purpose === 'emergency' && !done.has(r.disclosureId));
  const items = await Promise.all(
    open.map(async (r): Promise<ReviewItem | undefined> => {
      const view = await legalAftercare(ctx, r.disclosureId);
      if (view === undefined || view.review === 'not required' || !/^(due by|overdue since)/.test(view.review))
        return undefined;
      const documentRef = r.basis?.type === 'legal' ? r.basis.documentRef : undefined;
      return {
        id: r.disclosureId,
        subjectId: r.subjectIds.join(', '),
        authority: r.recipient.name,
        documentRef,
        items: r.items,
        releasedBy: (r.approvedBy ?? []).join(', '),
        releasedAt: r.occurredAt,
        dueAt: view.reviewDueAt,
      };
    }),
  );
  return items
    .filter((i): i is ReviewItem => i !== undefined)
    .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
}

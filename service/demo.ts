import type { Actor } from '../domain/actor';
import { sameActor } from '../domain/actor';
import { canonicalJson } from '../domain/canonical';
import type { Recipient } from '../domain/registry';
import { changedFields } from '../domain/registry-entry';
import type { ServiceContext } from './context';
import { DEMO_APPROVER, DEMO_CONSENTS, DEMO_RECIPIENTS, DEMO_REGISTRAR, DEMO_SUBJECTS } from './demo-data';
import { addRecipients, addSubjects, approveRecipientChange, grantConsent } from './registry';

type DemoContext = Pick<ServiceContext, 'store' | 'clock' | 'policyPath'>;

/**
 * One demo recipient through the path every recipient takes: proposed by whoever seeds, approved
 * by the demo's second registrar, each step a ledger entry. One already in force as it is
 * is left alone; a proposal an earlier run left undecided is approved if the same seeder made
 * exactly this one.
 */
async function seedRecipient(ctx: DemoContext, r: Recipient, by: Actor): Promise<void> {
  const current = await ctx.store.getRecipient(r.id);
  if (current !== undefined && changedFields(current, r).length === 0) return;
  const [waiting] = await ctx.store.listRecipientChanges({ recipientId: r.id, pending: true });
  const own =
    waiting !== undefined && sameActor(waiting.proposedBy, by) && canonicalJson(waiting.recipient) === canonicalJson(r);
  const changeId = own ? waiting.id : (await addRecipients(ctx, r, by)).pending[0]?.changeId;
  if (changeId !== undefined) await approveRecipientChange(ctx, changeId, DEMO_APPROVER);
}

/**
 * Loads the demo data through the registry's own writes, so the demo ledger shows who entered
 * what and that a second person approved every recipient. Running it again adds no second
 * consent and no second proposal. `by` is the token that asked for it through the API, else the
 * demo registrar.
 */
export async function seedDemo(ctx: DemoContext, by: Actor = DEMO_REGISTRAR) {
  await addSubjects(ctx, DEMO_SUBJECTS, by);
  for (const r of DEMO_RECIPIENTS) await seedRecipient(ctx, r, by);
  const consents: string[] = [];
  for (const c of DEMO_CONSENTS) {
    const existing = await ctx.store.findActiveConsent(c.subjectId, c.recipientId, c.purpose);
    const consent =
      existing ??
      (await grantConsent(
        ctx,
        {
          subject: c.subjectId,
          recipient: c.recipientId,
          purpose: c.purpose,
          noticeVersion: c.noticeVersion,
          channel: c.channel,
        },
        by,
      ));
    consents.push(consent.id);
  }
  return { subjects: DEMO_SUBJECTS.map((s) => s.id), recipients: DEMO_RECIPIENTS.map((r) => r.id), consents };
}

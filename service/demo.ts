import type { Consent } from '../domain/registry';
import type { ServiceContext } from './context';
import { DEMO_CONSENTS, DEMO_RECIPIENTS, DEMO_SUBJECTS } from './demo-data';

/** Loads the demo data; running it again updates the same rows and adds no second consent. */
export async function seedDemo(ctx: Pick<ServiceContext, 'store' | 'clock'>) {
  await ctx.store.putSubjects(DEMO_SUBJECTS);
  await ctx.store.putRecipients(DEMO_RECIPIENTS);
  const consents: Consent[] = [];
  for (const c of DEMO_CONSENTS) {
    const existing = await ctx.store.findActiveConsent(c.subjectId, c.recipientId, c.purpose);
    consents.push(existing ?? (await ctx.store.grantConsent({ ...c, grantedAt: ctx.clock().toISOString() })));
  }
  return { subjects: DEMO_SUBJECTS.map((s) => s.id), recipients: DEMO_RECIPIENTS.map((r) => r.id), consents: consents.map((c) => c.id) };
}

import type { Basis } from './basis';
import type { FieldName } from './fields';
import type { Provider } from './policy';

/** "代表取締役社長 藤原 誠": the title and the name, as Art. 30(1)(i) asks for a corporation. */
export const representativeLine = (r: Provider['representative']): string => `${r.title} ${r.name}`;

/**
 * What a recipient of a third-party provision must record (APPI Art. 30(3); Enforcement Rules
 * Art. 24(1) for a provision on consent), filled in by the provider so the recipient can file it
 * as it is: the consent, the provider's name, address and representative and how it obtained the
 * data (the Art. 30(1) confirmation items), who the data is about, the items, and the date.
 * Only a provision on consent has one: an entrustee is not a third party (Art. 27(5)(i)), and an
 * Art. 27(1) disclosure carries no record duty.
 */
export interface Art30Record {
  basis: 'APPI Art. 30(3); Enforcement Rules Art. 24';
  receivedOn: string;
  provider: { name: string; address: string; representative: { title: string; name: string } };
  acquisition: string;
  /** The person is identified by these items of each entry in `subjects`. */
  subjectIdentifiedBy: FieldName[];
  items: FieldName[];
  consent: { statement: string; consentId: string; noticeVersion: string; grantedAt: string; channel: string };
}

export function art30RecordOf(p: { issuedAt: string; provider: Provider; basis: Basis; items: FieldName[] }): Art30Record | undefined {
  if (p.basis.type !== 'consent') return undefined;
  return {
    basis: 'APPI Art. 30(3); Enforcement Rules Art. 24',
    receivedOn: p.issuedAt.slice(0, 10),
    provider: { name: p.provider.name, address: p.provider.address, representative: { ...p.provider.representative } },
    acquisition: p.provider.acquisition,
    subjectIdentifiedBy: p.items.filter((f) => f === 'name'),
    items: p.items,
    consent: {
      statement: `本人の同意を得ている（告知版 ${p.basis.noticeVersion}、${p.basis.grantedAt} 取得） / The customer consented to this provision (notice version ${p.basis.noticeVersion}, given ${p.basis.grantedAt})`,
      consentId: p.basis.consentId,
      noticeVersion: p.basis.noticeVersion,
      grantedAt: p.basis.grantedAt,
      channel: p.basis.channel,
    },
  };
}

import type { Art30Record } from './art30';
import { representativeLine } from './art30';
import type { Basis } from './basis';
import { DEFAULT_TIME_ZONE, formatBilingual, formatForPeople } from './dates';
import type { FieldName } from './fields';
import type { DisclosureKind, Provider } from './policy';
import type { PurposeStatement } from './purposes';
import { purposeLine } from './purposes';
import type { RecipientSnapshot, Subject } from './registry';

export type SubjectData = Partial<Record<FieldName, string>>;

/** The subject reduced to exactly the selected items; a selected item the file lacks is reported. */
export function projectSubject(
  subject: Subject,
  fields: readonly FieldName[],
): { ok: true; data: SubjectData } | { ok: false; missing: FieldName[] } {
  const data: SubjectData = {};
  const missing: FieldName[] = [];
  for (const f of fields) {
    const value = subject[f];
    if (value === undefined || value === '') missing.push(f);
    else data[f] = String(value);
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, data };
}

/**
 * Everything the recipient receives, as one JSON document. Besides the data it carries what the
 * recipient needs for its own APPI Art. 30 record: who provided the data, how the provider
 * obtained it, and the basis (for consent: the notice version and when it was given).
 */
export interface HandoffPayload {
  disclosureId: string;
  kind: DisclosureKind;
  /** The policy's key for the purpose, for machines; `purposeStatement` says it for people. */
  purpose: string;
  purposeStatement?: PurposeStatement | undefined;
  issuedAt: string;
  provider: Provider;
  recipient: RecipientSnapshot;
  basis: Basis;
  items: FieldName[];
  /** One entry per customer; a single disclosure has one. */
  subjects: SubjectData[];
  details: Record<string, string | number | boolean>;
  instructions?: string;
  /** For a provision on consent: the recipient's own Art. 30(3) record, ready to file. */
  art30Record?: Art30Record | undefined;
}

export const FIELD_LABELS: Record<FieldName, string> = {
  name: '氏名 / Name',
  nameKana: 'フリガナ / Name (kana)',
  email: 'メールアドレス / Email',
  phone: '電話番号 / Phone',
  postalCode: '郵便番号 / Postal code',
  address: '住所 / Address',
  birthDate: '生年月日 / Date of birth',
  gender: '性別 / Gender',
  vehicleModel: '車種 / Vehicle model',
};

/** The basis in a line of Japanese and a line of English; moments in the zone, a contract's last day as a day. */
export function describeBasis(basis: Basis, timeZone = DEFAULT_TIME_ZONE): string[] {
  switch (basis.type) {
    case 'consent':
      return [
        `本人の同意（${basis.channel}、告知版 ${basis.noticeVersion}、${formatForPeople(basis.grantedAt, 'ja', timeZone)}）`,
        `Customer consent ${basis.consentId} (notice version ${basis.noticeVersion}, given ${formatForPeople(basis.grantedAt, 'en', timeZone)} via ${basis.channel})`,
      ];
    case 'entrustment':
      return [
        `業務委託（契約 ${basis.contractId}、有効期限 ${basis.validTo} まで）`,
        `Entrustment under contract ${basis.contractId}, valid through ${basis.validTo}`,
      ];
    case 'legal':
      return [`法令に基づく提供（${basis.ground}、文書番号 ${basis.documentRef}）`, `Legal basis: ${basis.ground}, document ${basis.documentRef}`];
  }
}

/**
 * The human-readable body of a handoff message, dates in local time with the zone; the JSON
 * attachment (ISO 8601) is the authoritative copy.
 */
export function renderHandoffText(p: HandoffPayload, timeZone = DEFAULT_TIME_ZONE): string {
  const lines = [
    `${p.recipient.name} 御中`,
    '',
    '個人データの第三者提供についてご通知します。 / Notice of a provision of personal data.',
    '',
    `提供番号 / Disclosure: ${p.disclosureId}`,
    `提供日 / Date: ${formatBilingual(p.issuedAt, timeZone)}`,
    `目的 / Purpose: ${purposeLine(p.purposeStatement, p.purpose)}`,
    '',
    '■ 提供者（個人情報保護法第30条第1項の確認事項） / Provider (what APPI Art. 30(1) asks you to confirm)',
    `第1号 名称 / Name: ${p.provider.name}`,
    `第1号 住所 / Address: ${p.provider.address}`,
    `第1号 代表者の氏名 / Representative: ${representativeLine(p.provider.representative)}`,
    `第2号 取得の経緯 / How the provider obtained the data: ${p.provider.acquisition}`,
    '',
    '■ 提供の根拠 / Basis',
    ...describeBasis(p.basis, timeZone),
    '',
  ];
  for (const [key, value] of Object.entries(p.details)) lines.push(`${key}: ${String(value)}`);
  if (p.instructions !== undefined) lines.push('', '■ 取扱いの指示 / Instructions', p.instructions);
  if (p.subjects.length === 1 && p.subjects[0] !== undefined) {
    lines.push('', '■ 提供する項目 / Items provided');
    const subject = p.subjects[0];
    for (const f of p.items) lines.push(`${FIELD_LABELS[f]}: ${subject[f] ?? ''}`);
  } else {
    lines.push('', `■ 提供する項目 / Items provided: ${p.items.join(', ')} (${p.subjects.length} 件, attached)`);
  }
  if (p.art30Record !== undefined) {
    lines.push(
      '',
      '■ 第30条第3項の記録 / Your APPI Art. 30(3) record',
      '添付 handoff.json の "art30Record" は、貴社が作成・保存すべき確認記録（施行規則第24条の記録事項）です。そのまま保存いただけます。',
      'The "art30Record" block of the attached handoff.json holds the items of the record you must keep (Enforcement Rules Art. 24); file it as it is.',
    );
  }
  lines.push('', '本データは上記目的の範囲内でのみ取り扱ってください。 / Use this data only for the purpose above.');
  return lines.join('\n');
}

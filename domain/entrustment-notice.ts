import { representativeLine } from './art30';
import type { EntrustmentBasis } from './basis';
import { DEFAULT_TIME_ZONE, formatBilingual } from './dates';
import type { FieldName } from './fields';
import { describeBasis } from './handoff';
import type { Provider } from './policy';
import type { PurposeStatement } from './purposes';
import { purposeLine } from './purposes';
import type { RecipientSnapshot } from './registry';

/** The covering letter of a survey batch; the data itself is only in the CSV attachment. */
export interface BatchNotice {
  disclosureId: string;
  issuedAt: string;
  purpose: string;
  purposeStatement?: PurposeStatement | undefined;
  provider: Provider;
  recipient: RecipientSnapshot;
  basis: EntrustmentBasis;
  items: FieldName[];
  rowCount: number;
  attachment: string;
  details: Record<string, string>;
}

export function renderBatchNotice(n: BatchNotice, timeZone = DEFAULT_TIME_ZONE): string {
  return [
    `${n.recipient.name} 御中`,
    '',
    '業務委託に伴う個人データの提供についてご通知します。 / Personal data provided under our entrustment contract.',
    '',
    `提供番号 / Disclosure: ${n.disclosureId}`,
    `提供日 / Date: ${formatBilingual(n.issuedAt, timeZone)}`,
    `目的 / Purpose: ${purposeLine(n.purposeStatement, n.purpose)}`,
    ...Object.entries(n.details).map(([k, v]) => `${k}: ${v}`),
    '',
    '■ 委託元 / Provider',
    `名称 / Name: ${n.provider.name}`,
    `住所 / Address: ${n.provider.address}`,
    `代表者 / Representative: ${representativeLine(n.provider.representative)}`,
    '',
    '■ 提供の根拠 / Basis',
    ...describeBasis(n.basis, timeZone),
    '',
    '■ 取扱いの指示 / Instructions',
    n.basis.instructions,
    '',
    `■ 提供する項目 / Items provided: ${n.items.join(', ')}`,
    `件数 / Rows: ${n.rowCount}（添付 ${n.attachment}、UTF-8 BOM 付き CSV）`,
    '',
    '目的終了後はデータを削除し、削除の完了をご連絡ください。 / Delete the data when the purpose ends and confirm the deletion to us.',
  ].join('\n');
}

/** A reminder carries references only: the disclosure, the contract, the due date, never the data. */
export interface DeletionReminder {
  disclosureId: string;
  recipientName: string;
  contractId: string;
  reference: string;
  dueAt: string;
  reminderNo: number;
  escalation: boolean;
}

export function renderDeletionReminder(r: DeletionReminder, timeZone = DEFAULT_TIME_ZONE): string {
  const head = r.escalation
    ? [`個人情報保護担当 各位 / Privacy office`, '', `${r.recipientName} の削除確認が ${r.reminderNo} 回の督促後も届いていません。 / No deletion confirmation from ${r.recipientName} after ${r.reminderNo} reminders.`]
    : [`${r.recipientName} 御中`, '', `提供データの削除確認をお願いします（督促 ${r.reminderNo} 回目）。 / Please confirm that the data has been deleted (reminder ${r.reminderNo}).`];
  return [
    ...head,
    '',
    `提供番号 / Disclosure: ${r.disclosureId}`,
    `契約 / Contract: ${r.contractId}`,
    `対象 / Reference: ${r.reference}`,
    `削除期限 / Deletion due: ${formatBilingual(r.dueAt, timeZone)}`,
    '',
    `確認方法 / How to confirm: disclosure confirm-deletion ${r.disclosureId} --by "<氏名・部署 / name, department>"`,
  ].join('\n');
}

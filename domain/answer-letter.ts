import { representativeLine } from './art30';
import type { FieldName } from './fields';
import { DEFAULT_TIME_ZONE, formatForPeople, japaneseDay } from './dates';
import { FIELD_LABELS } from './handoff';
import type { Provider } from './policy';
import type { AppiEntry } from './reports';

/**
 * The letter a company sends a customer who asked, under APPI Art. 33(5), for the records of
 * provision to third parties about them: pure content, laid out by service/answer-letter-pdf.ts.
 * It lists exactly the APPI view's entries, so whatever that view withholds (an Art. 27(1)
 * disclosure, a notice still prohibited or deferred) is not in the letter either.
 */
export interface AnswerLetter {
  title: string;
  date: string;
  addressee: string;
  sender: string[];
  opening: string;
  provisions: { recipient: string; address: string; date: string; items: string; purpose: string }[];
  none?: string | undefined;
  entrustments: string;
  contact: string[];
}


const itemLabel = (f: FieldName): string => FIELD_LABELS[f].split(' / ')[0] ?? f;

export function answerLetter(input: {
  provider: Provider;
  customerName: string;
  now: Date;
  /** The zone of every date in the letter (DISCLOSURE_TIMEZONE). */
  timeZone?: string | undefined;
  appi: { entries: AppiEntry[]; entrustmentsNotListed: number };
}): AnswerLetter {
  const { provider, appi } = input;
  const zone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const provisions = appi.entries.map((e) => ({
    recipient:
      e.recipient.representative === undefined
        ? e.recipient.name
        : `${e.recipient.name}（代表者 ${e.recipient.representative}）`,
    address: e.recipient.address,
    date: formatForPeople(e.date, 'ja', zone),
    items: e.items.map(itemLabel).join('、'),
    purpose: e.purposeStatement?.ja ?? e.purpose,
  }));
  const contact = [
    provider.contact.name,
    provider.contact.address,
    provider.contact.phone && `電話 ${provider.contact.phone}`,
    `電子メール ${provider.contact.email}`,
  ];
  return {
    title: '第三者提供記録の開示について（ご回答）',
    date: japaneseDay(input.now.toISOString(), zone),
    addressee: `${input.customerName} 様`,
    sender: [provider.name, provider.address, representativeLine(provider.representative)],
    opening:
      '平素より格別のご高配を賜り、厚く御礼申し上げます。個人情報の保護に関する法律第33条第5項に基づき、お客様の個人データの第三者提供に係る記録の開示をご請求いただきました。当社の記録は次のとおりです。',
    provisions,
    none: provisions.length === 0 ? '当社がお客様の個人データを第三者に提供した記録はございません。' : undefined,
    entrustments:
      appi.entrustmentsNotListed > 0
        ? `このほか、資料の配送や当社が実施する調査などの業務を委託した事業者（運送業者、調査会社など）に、その業務に必要な範囲でお客様の個人データを取り扱わせたことが${appi.entrustmentsNotListed}件ございます。これらは業務の委託に伴うもので、同法第27条第5項第1号により第三者への提供には当たらないため、上記には記載しておりません。委託先は契約により取扱いを定め、当社が監督しております。`
        : '当社が業務を委託した事業者に個人データを取り扱わせる場合（同法第27条第5項第1号）、それは第三者への提供には当たらず、上記の記録の対象ではありません。委託先は契約により取扱いを定め、当社が監督しております。',
    contact: contact.filter((c): c is string => typeof c === 'string' && c !== ''),
  };
}

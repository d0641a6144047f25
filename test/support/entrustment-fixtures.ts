import type { Contract, Recipient, Subject } from '../../domain/registry';

const DAY_MS = 24 * 60 * 60 * 1000;

/** An ISO date `days` from today (negative: in the past), so fixtures never go stale. */
export const isoDay = (days: number): string => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

export const contractInForce = (id: string, over: Partial<Contract> = {}): Contract => ({
  id,
  validFrom: isoDay(-365),
  validTo: isoDay(365),
  instructions: '当社の調査・配送のためにのみ利用し、目的終了後14日以内に削除すること',
  lastSupervisionCheck: isoDay(-30),
  ...over,
});

export const surveyFirm = (id: string, over: Partial<Contract> = {}): Recipient => ({
  id,
  kind: 'survey-firm',
  name: `リサーチ株式会社 ${id}`,
  address: '東京都渋谷区渋谷2-2-2',
  representative: '代表取締役 中村 三郎',
  email: `${id.toLowerCase()}@research.test`,
  contract: contractInForce(`K-${id}`, over),
});

export const carrier = (id: string, over: Partial<Contract> = {}): Recipient => ({
  id,
  kind: 'carrier',
  name: `運輸株式会社 ${id}`,
  address: '東京都江東区新木場1-1-1',
  representative: '代表取締役 小林 四郎',
  email: `${id.toLowerCase()}@carrier.test`,
  contract: contractInForce(`K-${id}`, over),
});

/** A complete, fictitious customer; `n` keeps ids, names and emails distinct. */
export const customer = (prefix: string, n: number, over: Partial<Subject> = {}): Subject => ({
  id: `${prefix}-${String(n).padStart(5, '0')}`,
  name: `試験 太郎${n}`,
  nameKana: `シケン タロウ${n}`,
  email: `${prefix.toLowerCase()}.${n}@example.jp`,
  phone: '090-0000-0000',
  postalCode: '100-0001',
  address: `東京都千代田区千代田${n}-1`,
  birthDate: '1980-01-01',
  gender: 'male',
  vehicleModel: n % 2 === 0 ? 'Prius' : 'Corolla, "GR" Sport',
  surveyOptOut: false,
  ...over,
});

import type { Actor } from '../domain/actor';
import type { Recipient, Subject } from '../domain/registry';

/** Who enters the demo data, and the second person who approves its recipients. */
export const DEMO_REGISTRAR: Actor = { name: 'demo:registrar', via: 'cli' };
export const DEMO_APPROVER: Actor = { name: 'demo:second-registrar', via: 'cli' };

/** Fictitious customers and companies: addresses are real-looking, every person is invented. */
export const DEMO_SUBJECTS: Subject[] = [
  { id: 'C-1001', name: '山田 花子', nameKana: 'ヤマダ ハナコ', email: 'hanako@example.jp', phone: '090-1234-5678', postalCode: '100-0001', address: '東京都千代田区千代田1-1', birthDate: '1985-04-12', gender: 'female', vehicleModel: 'Prius', surveyOptOut: false },
  { id: 'C-1002', name: '佐藤 太郎', nameKana: 'サトウ タロウ', email: 'taro.sato@example.jp', phone: '080-2345-6789', postalCode: '530-0001', address: '大阪府大阪市北区梅田3-1-1', birthDate: '1979-11-03', gender: 'male', vehicleModel: 'Corolla', surveyOptOut: false },
  { id: 'C-1003', name: '鈴木 美咲', nameKana: 'スズキ ミサキ', email: 'misaki@example.jp', phone: '070-3456-7890', postalCode: '460-0008', address: '愛知県名古屋市中区栄3-4-5', birthDate: '1992-07-21', gender: 'female', vehicleModel: 'Aqua', surveyOptOut: true },
  { id: 'C-1004', name: '高橋 健', nameKana: 'タカハシ ケン', email: 'ken.t@example.jp', phone: '090-4567-8901', postalCode: '812-0011', address: '福岡県福岡市博多区博多駅前2-2-2', birthDate: '1968-01-30', gender: 'male', vehicleModel: 'Crown', surveyOptOut: false },
];

export const DEMO_RECIPIENTS: Recipient[] = [
  { id: 'R-DEALER-1', kind: 'dealer', name: '東京トヨペット株式会社 千代田店', address: '東京都千代田区丸の内1-2-3', representative: '代表取締役 （デモ）', email: 'catalog@dealer-chiyoda.example' },
  { id: 'R-DEALER-2', kind: 'dealer', name: '大阪トヨタ自動車株式会社 梅田店', address: '大阪府大阪市北区梅田1-1-1', representative: '代表取締役 （デモ）', email: 'catalog@dealer-umeda.example' },
  {
    id: 'R-CARRIER-1',
    kind: 'carrier',
    name: 'デモ運輸株式会社',
    address: '東京都江東区新木場1-1-1',
    representative: '代表取締役 （デモ）',
    email: 'handoff@carrier.example',
    contract: { id: 'K-2026-07', validFrom: '2026-01-01', validTo: '2027-12-31', instructions: '配送のためにのみ利用し、配達完了後30日以内に削除', lastSupervisionCheck: '2026-09-30' },
  },
  {
    id: 'R-SURVEY-1',
    kind: 'survey-firm',
    name: 'デモリサーチ株式会社',
    address: '東京都渋谷区渋谷2-2-2',
    representative: '代表取締役 （デモ）',
    email: 'survey@research.example',
    contract: { id: 'K-2026-11', validFrom: '2026-04-01', validTo: '2027-03-31', instructions: '当社のお客様満足度調査の実施のためにのみ利用し、調査終了後14日以内に削除', lastSupervisionCheck: '2026-10-15' },
  },
  { id: 'R-POLICE-1', kind: 'authority', name: '警視庁 丸の内警察署', address: '東京都千代田区丸の内1-9-1', representative: '署長', email: 'inquiry@police.example' },
];

/** Consents as the catalog form records them. */
export const DEMO_CONSENTS = [
  { subjectId: 'C-1001', recipientId: 'R-DEALER-1', purpose: 'catalog-request', noticeVersion: 'notice-2026-04', channel: 'web-form' as const },
  { subjectId: 'C-1002', recipientId: 'R-DEALER-2', purpose: 'catalog-request', noticeVersion: 'notice-2026-04', channel: 'web-form' as const },
];

import type { Actor } from '../../domain/actor';
import type { Recipient, Subject } from '../../domain/registry';

/** A customer with every item filled, so a test can prove which items were not sent. */
export const hanako: Subject = {
  id: 'C-1001',
  name: '山田 花子',
  nameKana: 'ヤマダ ハナコ',
  email: 'hanako@example.jp',
  phone: '090-1234-5678',
  postalCode: '100-0001',
  address: '東京都千代田区千代田1-1',
  birthDate: '1985-04-12',
  gender: 'female',
  vehicleModel: 'Prius',
  surveyOptOut: false,
};

export const taro: Subject = {
  id: 'C-1002',
  name: '佐藤 太郎',
  nameKana: 'サトウ タロウ',
  email: 'taro@example.jp',
  phone: '080-9876-5432',
  postalCode: '530-0001',
  address: '大阪府大阪市北区梅田3-1-1',
  birthDate: '1979-11-03',
  gender: 'male',
  vehicleModel: 'Corolla',
  surveyOptOut: false,
};

export const dealerTokyo: Recipient = {
  id: 'R-DEALER-TOKYO',
  kind: 'dealer',
  name: '東京トヨペット株式会社 千代田店',
  address: '東京都千代田区丸の内1-2-3',
  representative: '代表取締役 鈴木 一郎',
  email: 'catalog@dealer-tokyo.test',
};

export const dealerOsaka: Recipient = {
  id: 'R-DEALER-OSAKA',
  kind: 'dealer',
  name: '大阪トヨタ自動車株式会社 梅田店',
  address: '大阪府大阪市北区梅田1-1-1',
  representative: '代表取締役 田中 次郎',
  email: 'catalog@dealer-osaka.test',
};

/** A police station that sends inquiries and serves warrants; its representative signs by default. */
export const policeMarunouchi: Recipient = {
  id: 'R-POLICE-MARUNOUCHI',
  kind: 'authority',
  name: '警視庁 丸の内警察署',
  address: '東京都千代田区丸の内1-9-1',
  representative: '署長 山本 三郎',
  email: 'inquiry@police-marunouchi.test',
};

/** Values that must never appear in a handoff that did not select them. */
export const personalValues = (s: Subject): string[] =>
  [s.name, s.nameKana, s.email, s.phone, s.postalCode, s.address, s.birthDate].filter(
    (v): v is string => v !== undefined,
  );

/** The staff member that registry writes in tests are made by (from the command line: no token). */
export const testRegistrar: Actor = { name: 'staff:mori', via: 'cli' };

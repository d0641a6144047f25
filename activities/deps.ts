import type { Logger } from '../infra/logger';
import type { Mailer } from '../infra/mailer';
import type { Store } from '../store/store';

/** Everything an activity may touch; tests pass real local parts (SQLite file, SMTP catcher). */
export interface ActivityDeps {
  store: Store;
  mailer: Mailer;
  clock: () => Date;
  policyPath: string;
  mailFrom: string;
  log: Logger;
  /** The zone of dates in mail text (DISCLOSURE_TIMEZONE); Asia/Tokyo when not given. */
  timeZone?: string | undefined;
  /** Builds the signed acknowledgement link a handoff carries; without it the message has none. */
  ackLink?: ((disclosureId: string, recipientId: string) => string) | undefined;
  /** Builds the signed confirmation link of a downstream notice (`/notice/…`); without it the notice has none. */
  noticeLink?: ((noticeId: string, recipientId: string) => string) | undefined;
}

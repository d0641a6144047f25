import type { Command } from '../command';
import { requestDealer, status, wait } from './disclosures';
import { up, worker } from './engine';
import { LEDGER_COMMANDS } from './ledger';
import { records } from './records';
import { consentGrant, consentWithdraw, recipientAdd, seed, subjectAdd } from './registry';

/** Every command, in the order `disclosure --help` lists them. */
export const COMMANDS: readonly Command[] = [
  up,
  worker,
  subjectAdd,
  recipientAdd,
  consentGrant,
  consentWithdraw,
  seed,
  requestDealer,
  status,
  wait,
  records,
  ...LEDGER_COMMANDS,
];

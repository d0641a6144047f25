import type { Command } from '../command';
import { apiServe, apiTokenAdd, apiTokenList, apiTokenRevoke } from './api';
import { AUDIT_COMMANDS } from './audit';
import { completion } from './completion';
import { dbMigrate, dbStatus } from './db';
import { requestDealer, status, wait } from './disclosures';
import { serve, up, worker } from './engine';
import { init } from './init';
import { ENTRUSTMENT_COMMANDS } from './entrustment';
import { handoffs } from './handoffs';
import { keysList, keysRotate } from './keys';
import { LEDGER_COMMANDS } from './ledger';
import { LEGAL_COMMANDS } from './legal';
import { records } from './records';
import { report } from './report';
import { surveyApprove, surveyReject } from './survey-approval';
import { consentGrant, consentWithdraw, recipientAdd, registryApprove, registryPending, registryReject, seed, subjectAdd } from './registry';
import { subjectErase, subjectUpdate } from './subject';
import { suspensionConfirm } from './suspension';
import { witnessServe } from './witness';

/** Every command, in the order `disclosure --help` lists them. */
export const COMMANDS: readonly Command[] = [
  up,
  worker,
  serve,
  init,
  dbMigrate,
  dbStatus,
  subjectAdd,
  subjectUpdate,
  subjectErase,
  recipientAdd,
  registryPending,
  registryApprove,
  registryReject,
  consentGrant,
  consentWithdraw,
  seed,
  requestDealer,
  ...ENTRUSTMENT_COMMANDS,
  surveyApprove,
  surveyReject,
  status,
  wait,
  ...LEGAL_COMMANDS,
  suspensionConfirm,
  records,
  report,
  ...LEDGER_COMMANDS,
  ...AUDIT_COMMANDS,
  handoffs,
  apiTokenAdd,
  apiTokenList,
  apiTokenRevoke,
  completion,
  apiServe,
  keysList,
  keysRotate,
  witnessServe,
];

import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/actor';
import type { DeletionConfirmation, DeletionState } from '../domain/deletion';
import type { FieldName } from '../domain/fields';
import type { DisclosureKind } from '../domain/policy';
import type { DisclosureStatus } from '../domain/record';
import type { Refusal } from '../domain/refusals';

/** What `disclosure status` shows while a disclosure runs. */
export interface StatusView {
  id: string;
  kind: DisclosureKind;
  status: DisclosureStatus;
  step: string;
  fields: FieldName[];
  reason?: Refusal | undefined;
  progress?: { done: number; total: number } | undefined;
  deletion?: DeletionState | undefined;
}

export const statusQuery = defineQuery<StatusView>('status');

/** Sent when the basis a disclosure rests on goes away (e.g. consent withdrawn) before sending. */
export const cancelSignal = defineSignal<[Refusal]>('cancel');

/**
 * An entrustee's confirmation that it deleted the data. An update rather than a signal, so the
 * caller learns whether it was accepted (a refused disclosure has nothing to delete) and gets
 * the ledger record written for it.
 */
export const deletionConfirmedUpdate = defineUpdate<DeletionState, [DeletionConfirmation]>('deletionConfirmed');

/** Where an entrustee's deletion follow-up stands, as its own workflow reports it. */
export const deletionQuery = defineQuery<DeletionState>('deletion');

/** The deletion follow-up outlives the handoff, so it runs in a workflow of its own. */
export const deletionWorkflowId = (workflowId: string): string => `${workflowId}:deletion`;

/** A second person's decision on a survey batch that waits for one (see domain/second-person.ts). */
export interface BatchDecision {
  approve: boolean;
  by: string;
  reason?: string | undefined;
  /** The token (or operator) that decided; absent in histories recorded before decisions named one. */
  actor?: Actor | undefined;
}
export const batchDecisionSignal = defineSignal<[BatchDecision]>('batchDecision');

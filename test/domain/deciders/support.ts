import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Decider, HandoffContext, HandoffEvent, Step } from '../../../domain/handoff-flow';
import type { DisclosureKind, PolicySlice } from '../../../domain/policy';
import { Policy } from '../../../domain/policy';
import type { Recipient } from '../../../domain/registry';
import { snapshotRecipient } from '../../../domain/registry';

const policy = Policy.parse(JSON.parse(readFileSync(path.resolve(__dirname, '../../../policy/disclosure-policy.json'), 'utf8')));

export const NOW = '2026-11-24T09:00:00.000Z';

export function slice(kind: DisclosureKind): PolicySlice {
  return { version: policy.version, digest: 'sha256:test', provider: policy.provider, supervisionWindowDays: policy.supervisionWindowDays, kind, rule: policy.kinds[kind]! };
}

export function context(kind: DisclosureKind, recipient: Recipient, extra: Partial<HandoffContext> = {}): HandoffContext {
  return { policy: slice(kind), recipient: snapshotRecipient(recipient), ...extra };
}

/** Given an input, when these events arrive in turn: every step the decider asked for, the last one included. */
export function given<I, S>(decider: Decider<I, S>, input: I) {
  return {
    when(...events: HandoffEvent[]): { steps: Step[]; state: S; last: Step } {
      let state = decider.initial(input);
      const steps: Step[] = [];
      for (const event of [{ type: 'started', now: NOW } as HandoffEvent, ...events]) {
        const next = decider.decide(state, event);
        state = next.state;
        steps.push(next.step);
      }
      return { steps, state, last: steps[steps.length - 1]! };
    },
  };
}

export const loaded = (ctx: HandoffContext): HandoffEvent => ({ type: 'loaded', context: ctx, now: NOW });
export const staged: HandoffEvent = { type: 'staged', payloadDigest: 'sha256:abc', messageId: '<D-1@disclosure.engine>', now: NOW };
export const sent: HandoffEvent = { type: 'sent', payloadDigest: 'sha256:abc', messageId: '<D-1@disclosure.engine>', sentAt: NOW, now: NOW };
export const held: HandoffEvent = { type: 'held', now: NOW };

/** The record a finish step carries; fails the test when the step is not a finish. */
export function finished(step: Step) {
  if (step.type !== 'finish') throw new Error(`expected a finish step, got ${step.type}`);
  return step;
}

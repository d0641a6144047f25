import type { Decider } from '../handoff-flow';
import type { DealerCatalogInput } from '../requests';
import type { ShippingInput, SurveyInput } from '../requests-entrustment';
import { dealerCatalogDecider } from './dealer-catalog';
import { shippingDecider } from './shipping';
import { surveyDecider } from './survey';

/** What the generic handoff workflow is started with: the kind, and that kind's validated request. */
export type HandoffInput = (
  | { kind: 'dealer-catalog'; request: DealerCatalogInput }
  | { kind: 'survey'; request: SurveyInput }
  | { kind: 'shipping'; request: ShippingInput }
) & {
  /**
   * `local`: the send is tried once as a local activity before the regular one. Absent in
   * runs started before that, which schedule the regular send at once and replay that way.
   */
  firstSend?: 'local' | undefined;
};

/** A decider with its input already given: what the workflow drives, whatever the kind. */
export interface BoundDecider {
  state: unknown;
  decide: Decider<unknown, unknown>['decide'];
  describe: Decider<unknown, unknown>['describe'];
}

function bind<I, S>(decider: Decider<I, S>, input: I): BoundDecider {
  return { state: decider.initial(input), decide: decider.decide as BoundDecider['decide'], describe: decider.describe as BoundDecider['describe'] };
}

export function deciderFor(input: HandoffInput): BoundDecider {
  switch (input.kind) {
    case 'dealer-catalog':
      return bind(dealerCatalogDecider, input.request);
    case 'survey':
      return bind(surveyDecider, input.request);
    case 'shipping':
      return bind(shippingDecider, input.request);
  }
}

export const handoffDisclosureId = (input: HandoffInput): string => input.request.disclosureId;

import type { KindRule } from './policy';
import { SHIPPING_DEFAULT_OPTIONS } from './purposes';

/**
 * The options a shipment's field selection uses: the narrowest defaults, overridden only where
 * the policy names this carrier (e.g. a carrier that must phone before delivering).
 */
export function shippingOptions(rule: KindRule, carrierId: string): Record<string, string> {
  return { ...SHIPPING_DEFAULT_OPTIONS, ...(rule.recipientOptions[carrierId] ?? {}) };
}

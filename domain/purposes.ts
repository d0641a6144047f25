/**
 * Purpose names and defaults that workflows need at run time, kept apart from the request
 * schemas so that workflow code does not load zod.
 */
export const DEALER_CATALOG_PURPOSE = 'catalog-request';

export const SURVEY_DEFAULT_DESIGN = 'customer-satisfaction';
export const SHIPPING_PURPOSE = 'delivery';
/** A carrier the policy does not list gets the narrowest choice of every option. */
export const SHIPPING_DEFAULT_OPTIONS: Record<string, string> = { phone: 'not-required' };

/**
 * A purpose as people read it, in Japanese and English (HIPAA 164.528(b)(2)(iv) asks for a brief
 * statement of the purpose; an APPI answer letter is in Japanese). The key stays in JSON.
 */
export interface PurposeStatement {
  ja: string;
  en: string;
}

/** Purpose statements by disclosure kind and purpose key, as a policy states them. */
export type PurposeStatements = Record<string, Record<string, PurposeStatement>>;

export function statementsOf(policy: { kinds: Partial<Record<string, { purposes: Record<string, { statement: PurposeStatement }> }>> }): PurposeStatements {
  const out: PurposeStatements = {};
  for (const [kind, rule] of Object.entries(policy.kinds)) {
    if (rule === undefined) continue;
    out[kind] = Object.fromEntries(Object.entries(rule.purposes).map(([key, p]) => [key, p.statement]));
  }
  return out;
}

/** Both languages on one line, for mail and terminals; the key itself when no statement is known. */
export function purposeLine(statement: PurposeStatement | undefined, key: string): string {
  return statement === undefined ? key : `${statement.ja} / ${statement.en}`;
}

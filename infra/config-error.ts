/** One setting that cannot be used: which variable, what it held, and what it accepts. */
export interface ConfigIssue {
  variable: string;
  /** The value as given, or `(hidden)` for a secret. */
  value: string;
  accepted: string;
}

/** A bad setting: reported at start-up with exit code 2, before anything is started or written. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((i) => `${i.variable}=${i.value}: expected ${i.accepted}`).join('\n'));
  }
}

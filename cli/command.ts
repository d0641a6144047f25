import type { Client } from '@temporalio/client';
import type { EngineConfig } from '../infra/config';
import type { ServiceContext } from '../service/context';
import type { Store } from '../store/store';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** Shown in help as the value's placeholder, e.g. --subject S. */
  value?: string;
  required?: boolean;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandOutput {
  /** The one JSON document printed with --json. */
  json: unknown;
  /** What a person reads without --json. */
  text: string;
  /** Without --json, these exact bytes go to stdout instead of `text` (a CSV export, CRLF and all). */
  file?: string | undefined;
  /** Defaults to 0; e.g. 3 when `wait` finds the disclosure refused. */
  exitCode?: number;
}

/** What a command may use; connections are opened on first use and closed by the runner. */
export interface CliEnv {
  config: EngineConfig;
  /** The environment the command was started with (keys and Temporal settings are read from it). */
  vars: NodeJS.ProcessEnv;
  json: boolean;
  store(): Promise<Store>;
  client(): Promise<Client>;
  context(): Promise<ServiceContext>;
  /** Progress for long work, on stderr, silent with --json or when stderr is not a terminal. */
  progress(label: string, total: number): { tick(done: number): void; done(): void };
  /** Resolves when the user presses Ctrl-C (for long-running commands such as `up`). */
  interrupted(): Promise<void>;
  stderr(line: string): void;
}

export interface Command {
  /** The words that select the command, e.g. "request dealer-catalog". */
  name: string;
  summary: string;
  /** Positional arguments, e.g. ["ID"] or ["ID…"] for a list. */
  positionals?: string[];
  options: Record<string, OptionSpec>;
  examples: string[];
  run(env: CliEnv, values: OptionValues, positionals: string[]): Promise<CommandOutput>;
}

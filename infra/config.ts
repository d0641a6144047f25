import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveRequireTls } from './smtp-tls';

/**
 * Where the engine finds its parts. Every setting has a default for the embedded engine; the
 * addresses the running engine actually bound are read from `runtime.json` in the home folder,
 * so that a CLI in another terminal talks to the engine `disclosure up` started.
 */
export interface EngineConfig {
  home: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  database: string;
  smtpUrl: string;
  smtpRequireTls: boolean;
  /** A private CA (PEM) to trust for the SMTP server's certificate. */
  smtpCaFile?: string | undefined;
  policyPath: string;
  mailFrom: string;
  apiUrl: string;
  /** How long the acknowledgement link in a handoff stays valid. */
  ackTtlMs?: number | undefined;
  /** Ed25519 key that signs ledger checkpoints; kept outside the database. */
  ledgerKeyPath?: string | undefined;
  /** A public key to verify checkpoints with instead of the private key's own. */
  ledgerPublicKeyPath?: string | undefined;
  /** How often `up` signs the ledger head; 0 turns it off. */
  checkpointIntervalMs?: number | undefined;
}

export interface RuntimeInfo {
  temporalAddress?: string;
  smtpUrl?: string;
  apiUrl?: string;
  uiUrl?: string;
  /** The codec server the Temporal UI decrypts histories through (token required). */
  codecUrl?: string;
  pid?: number;
}

export const DEFAULT_PORTS = { temporal: 7233, temporalUi: 8233, smtp: 2525, api: 8780, codec: 8781 } as const;

export const runtimeFile = (home: string): string => join(home, 'runtime.json');

export function readRuntime(home: string): RuntimeInfo {
  const file = runtimeFile(home);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
  } catch {
    return {};
  }
}

/** The checkout's root, from both the TypeScript sources and the compiled `dist/` tree. */
const projectRoot = (): string => resolve(__dirname, __dirname.endsWith(join('dist', 'infra')) ? '../..' : '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const home = resolve(env.DISCLOSURE_HOME ?? '.disclosure');
  const runtime = readRuntime(home);
  const smtpUrl = env.SMTP_URL ?? runtime.smtpUrl ?? `smtp://127.0.0.1:${DEFAULT_PORTS.smtp}`;
  return {
    home,
    temporalAddress: env.TEMPORAL_ADDRESS ?? runtime.temporalAddress ?? `127.0.0.1:${DEFAULT_PORTS.temporal}`,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.DISCLOSURE_TASK_QUEUE ?? 'disclosures',
    database: env.DISCLOSURE_DB ?? join(home, 'disclosure.db'),
    smtpUrl,
    // TLS unless the server is on loopback or SMTP_REQUIRE_TLS says otherwise.
    smtpRequireTls: resolveRequireTls(smtpUrl, env.SMTP_REQUIRE_TLS),
    smtpCaFile: env.SMTP_CA_FILE,
    policyPath: env.DISCLOSURE_POLICY ?? join(projectRoot(), 'policy', 'disclosure-policy.json'),
    mailFrom: env.DISCLOSURE_MAIL_FROM ?? 'privacy-office@disclosure.invalid',
    apiUrl: env.DISCLOSURE_API_URL ?? runtime.apiUrl ?? `http://127.0.0.1:${DEFAULT_PORTS.api}`,
    ackTtlMs: Number(env.DISCLOSURE_ACK_TTL_MS ?? 30 * 24 * 60 * 60_000),
    ledgerKeyPath: env.DISCLOSURE_LEDGER_KEY ?? join(home, 'keys', 'ledger-ed25519.pem'),
    ledgerPublicKeyPath: env.DISCLOSURE_LEDGER_PUBLIC_KEY,
    checkpointIntervalMs: Number(env.DISCLOSURE_CHECKPOINT_INTERVAL_MS ?? 15 * 60_000),
  };
}

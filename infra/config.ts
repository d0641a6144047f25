import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { DURATION_FORM, parseDuration } from './duration';
import type { TemporalSettings } from './temporal-connection';
import { temporalSettings } from './temporal-connection';

export { ConfigError } from './config-error';
export type { ConfigIssue } from './config-error';
import { ListenAddress } from './listen-address';
import { resolveRequireTls } from './smtp-tls';
import type { WitnessTarget } from './witness-target';
import { WITNESS_FORM, witnessProblem, witnessTarget } from './witness-target';

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
  /** The ledger keys themselves, for secret stores that inject values rather than files. */
  ledgerKeyPem?: string | undefined;
  ledgerPublicKeyPem?: string | undefined;
  /** How often `up` signs the ledger head at the latest; 0 turns it off. */
  checkpointIntervalMs?: number | undefined;
  /** Sign sooner once this many records are unsigned (DISCLOSURE_CHECKPOINT_RECORDS). */
  checkpointRecords?: number | undefined;
  /** The external witness that receives a copy of every checkpoint (DISCLOSURE_WITNESS): a folder or a witness server. */
  witness?: WitnessTarget | undefined;
  /** Where provisioned keys are read from: DISCLOSURE_KEYS_DIR, else `keys/` in the home. */
  keysDir: string;
  /** More browser origins allowed to call the codec server. */
  codecOrigins: string[];
  /** How to reach Temporal: address, namespace, TLS, API key (from the variables or a TOML profile). */
  temporal: TemporalSettings;
  /** The address the HTTP server binds (DISCLOSURE_API_HOST). */
  apiHost: string;
  /** The address people use (DISCLOSURE_PUBLIC_URL, else DISCLOSURE_API_URL): every link in mail. */
  publicUrl?: string | undefined;
  /** Serve HTTPS directly with these PEM files (DISCLOSURE_TLS_CERT / DISCLOSURE_TLS_KEY). */
  tls?: { certFile: string; keyFile: string } | undefined;
  /** Behind a reverse proxy: fastify's `trustProxy` (true, or the proxies' addresses). */
  trustProxy?: boolean | string[] | undefined;
  /** The zone of dates shown to people and of date-only inputs (DISCLOSURE_TIMEZONE). */
  timeZone: string;
  /** Whether the codec server answers POST /encode (DISCLOSURE_CODEC_ENCODE=1); off by default. */
  codecEncode: boolean;
  /** Where the health and metrics listener binds (DISCLOSURE_METRICS_ADDRESS); none when unset. */
  metricsAddress?: ListenAddress | undefined;
}

export interface RuntimeInfo {
  temporalAddress?: string;
  smtpUrl?: string;
  apiUrl?: string;
  uiUrl?: string;
  /** The codec server the Temporal UI decrypts histories through (token required). */
  codecUrl?: string;
  /** The health and metrics listener (DISCLOSURE_METRICS_ADDRESS). */
  metricsUrl?: string;
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

/** Settings whose value must never be printed, not even in an error. */
export const SECRET_SETTINGS = new Set([
  'DISCLOSURE_PAYLOAD_KEYS',
  'DISCLOSURE_ACK_KEY',
  'DISCLOSURE_LEDGER_KEY_PEM',
  'DISCLOSURE_CODEC_TOKEN',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
]);

const text = (accepted: string) => z.string({ error: accepted }).trim().min(1, { error: accepted });
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const duration = (accepted = DURATION_FORM) =>
  z.string().transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: accepted });
      return z.NEVER;
    }
    return ms;
  });

const url = (protocols: string[], accepted: string) =>
  text(accepted).refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { error: accepted },
  );

const hostPort = text('host:port, e.g. temporal.internal:7233').regex(
  /^[^\s:/]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/i,
  {
    error: 'host:port, e.g. temporal.internal:7233',
  },
);

/**
 * An IANA zone name as the tz database spells it (`Asia/Tokyo`, `Europe/Berlin`, `UTC`,
 * `Etc/GMT-9`) that this runtime's ICU knows. Abbreviations and legacy aliases that ICU also
 * accepts (`JST`, `EST`, `Japan`) are refused: `EST` is not Eastern time in summer.
 */
function isTimeZone(zone: string): boolean {
  if (!/^(UTC|Etc\/[A-Za-z0-9+-]+|[A-Z][A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function trustProxyOf(v: string | undefined): boolean | string[] | undefined {
  if (v === undefined || ['false', '0', 'no'].includes(v)) return undefined;
  if (['true', '1', 'yes'].includes(v)) return true;
  return v.split(',').map((a) => a.trim()).filter(Boolean);
}

const flag = (accepted: string) => z.enum(['0', '1', 'true', 'false', 'yes', 'no'], { error: accepted });

/**
 * The environment the engine reads, as one schema. Variables it does not name (the TEMPORAL_TLS_*
 * family, TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE, TEMPORAL_API_KEY) are read by the Temporal
 * connection settings (`temporal-connection.ts`) through @temporalio/envconfig.
 */
export const EnvSchema = z.object({
  DISCLOSURE_HOME: optional(text('a folder path')),
  TEMPORAL_ADDRESS: optional(hostPort),
  TEMPORAL_NAMESPACE: optional(
    text('a namespace name').regex(/^[A-Za-z0-9._-]{1,255}$/, { error: 'a namespace name (letters, digits, . _ -)' }),
  ),
  DISCLOSURE_TASK_QUEUE: optional(text('a task queue name')),
  DISCLOSURE_DB: optional(
    text('a SQLite file path or a postgres:// URL').refine(
      (v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^postgres(ql)?:\/\/[^\s]+$/.test(v),
      {
        error: 'a SQLite file path or a postgres://user@host/db URL',
      },
    ),
  ),
  SMTP_URL: optional(url(['smtp:', 'smtps:'], 'an smtp:// or smtps:// URL, e.g. smtps://user:pass@mail.internal:465')),
  SMTP_REQUIRE_TLS: optional(flag('true or false (also 1/0, yes/no)')),
  SMTP_CA_FILE: optional(text('a PEM file path')),
  DISCLOSURE_POLICY: optional(text('a policy file path')),
  DISCLOSURE_MAIL_FROM: optional(z.email({ error: 'an email address, e.g. privacy-office@example.com' })),
  DISCLOSURE_API_URL: optional(url(['http:', 'https:'], 'an http:// or https:// URL')),
  DISCLOSURE_API_TOKENS: optional(text('a file path')),
  DISCLOSURE_ACK_TTL_MS: optional(duration().refine((ms) => ms > 0, { error: `${DURATION_FORM}, more than 0` })),
  DISCLOSURE_CHECKPOINT_INTERVAL_MS: optional(duration(`${DURATION_FORM}; 0 turns signed checkpoints off`)),
  DISCLOSURE_KEYS_DIR: optional(text('a folder path')),
  DISCLOSURE_LEDGER_KEY: optional(text('a PEM file path')),
  DISCLOSURE_LEDGER_PUBLIC_KEY: optional(text('a PEM file path')),
  DISCLOSURE_LEDGER_KEY_PEM: optional(z.string().includes('-----BEGIN PRIVATE KEY-----', { error: 'an Ed25519 private key in PEM (as `disclosure init --print` gives it)' })),
  DISCLOSURE_LEDGER_PUBLIC_KEY_PEM: optional(z.string().includes('-----BEGIN PUBLIC KEY-----', { error: 'an Ed25519 public key in PEM' })),
  DISCLOSURE_CODEC_ORIGINS: optional(
    z.string().refine(
      (v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)
          .every((o) => /^https?:\/\/[^\s/]+$/.test(o)),
      { error: 'comma-separated origins such as https://temporal-ui.internal:8233' },
    ),
  ),
  DISCLOSURE_ACCEPT_PLAINTEXT_PAYLOADS: optional(flag('1 or 0')),
  DISCLOSURE_CODEC_ENCODE: optional(flag('1 or 0')),
  DISCLOSURE_CHECKPOINT_RECORDS: optional(z.coerce.number({ error: 'a whole number of records, at least 1' }).int({ error: 'a whole number of records, at least 1' }).min(1, { error: 'a whole number of records, at least 1' })),
  DISCLOSURE_WITNESS: optional(text(WITNESS_FORM)),
  DISCLOSURE_WITNESS_TOKEN_FILE: optional(text('a file holding the witness server\'s bearer token')),
  DISCLOSURE_WITNESS_CA: optional(text('a PEM file path')),
  DISCLOSURE_API_HOST: optional(text('an address to bind, e.g. 127.0.0.1, 0.0.0.0 or ::').regex(/^[0-9A-Za-z.:-]+$/, { error: 'an address to bind, e.g. 127.0.0.1, 0.0.0.0 or ::' })),
  DISCLOSURE_PUBLIC_URL: optional(url(['http:', 'https:'], 'the http:// or https:// URL people open, e.g. https://disclosure.example.jp')),
  DISCLOSURE_TLS_CERT: optional(text('a PEM certificate file path')),
  DISCLOSURE_TLS_KEY: optional(text('a PEM private key file path')),
  DISCLOSURE_TRUST_PROXY: optional(text('true, false, or comma-separated proxy addresses/CIDRs, e.g. 10.0.0.5,10.1.0.0/16')),
  DISCLOSURE_TIMEZONE: optional(
    text('an IANA time zone, e.g. Asia/Tokyo').refine(isTimeZone, { error: 'an IANA time zone name, e.g. Asia/Tokyo, Europe/Berlin or UTC (not an abbreviation such as JST)' }),
  ),
  DISCLOSURE_METRICS_ADDRESS: optional(ListenAddress),
})
  .refine((s) => (s.DISCLOSURE_TLS_CERT === undefined) === (s.DISCLOSURE_TLS_KEY === undefined), {
    error: 'both DISCLOSURE_TLS_CERT and DISCLOSURE_TLS_KEY, or neither',
    path: ['DISCLOSURE_TLS_KEY'],
  })
  .superRefine((s, ctx) => {
    const problem = s.DISCLOSURE_WITNESS === undefined ? undefined : witnessProblem(s.DISCLOSURE_WITNESS, witnessCredentials(s));
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, path: ['DISCLOSURE_WITNESS'] });
  });
export type EnvSettings = z.infer<typeof EnvSchema>;

const witnessCredentials = (s: { DISCLOSURE_WITNESS_TOKEN_FILE?: string | undefined; DISCLOSURE_WITNESS_CA?: string | undefined }) => ({
  tokenFile: s.DISCLOSURE_WITNESS_TOKEN_FILE,
  caFile: s.DISCLOSURE_WITNESS_CA,
});

/** The witness `--witness` names, with the token file and CA the settings give. */
export function witnessFromOption(value: string, env: NodeJS.ProcessEnv): WitnessTarget {
  const s = parseEnv(env);
  const problem = witnessProblem(value, witnessCredentials(s));
  if (problem !== undefined) throw new ConfigError([{ variable: '--witness', value: JSON.stringify(value), accepted: problem }]);
  return witnessTarget(value, witnessCredentials(s));
}

/** Every bad value at once, each with its variable, value (hidden for secrets) and accepted form. */
export function parseEnv(env: NodeJS.ProcessEnv): EnvSettings {
  const parsed = EnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(environment)');
      const value = SECRET_SETTINGS.has(variable) ? '(hidden)' : JSON.stringify(env[variable] ?? '');
      return { variable, value, accepted: issue.message };
    }),
  );
}

/** The checkout's root, from both the TypeScript sources and the compiled `dist/` tree. */
const projectRoot = (): string => resolve(__dirname, __dirname.endsWith(join('dist', 'infra')) ? '../..' : '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const s = parseEnv(env);
  const home = resolve(s.DISCLOSURE_HOME ?? '.disclosure');
  const runtime = readRuntime(home);
  const smtpUrl = s.SMTP_URL ?? runtime.smtpUrl ?? `smtp://127.0.0.1:${DEFAULT_PORTS.smtp}`;
  const keysDir = resolve(s.DISCLOSURE_KEYS_DIR ?? join(home, 'keys'));
  const temporal = temporalSettings(env, { address: runtime.temporalAddress ?? `127.0.0.1:${DEFAULT_PORTS.temporal}` });
  return {
    home,
    temporalAddress: temporal.address,
    temporalNamespace: temporal.namespace,
    temporal,
    taskQueue: s.DISCLOSURE_TASK_QUEUE ?? 'disclosures',
    database: s.DISCLOSURE_DB ?? join(home, 'disclosure.db'),
    smtpUrl,
    // TLS unless the server is on loopback or SMTP_REQUIRE_TLS says otherwise.
    smtpRequireTls: resolveRequireTls(smtpUrl, s.SMTP_REQUIRE_TLS),
    smtpCaFile: s.SMTP_CA_FILE,
    policyPath: s.DISCLOSURE_POLICY ?? join(projectRoot(), 'policy', 'disclosure-policy.json'),
    mailFrom: s.DISCLOSURE_MAIL_FROM ?? 'privacy-office@disclosure.invalid',
    apiUrl: s.DISCLOSURE_API_URL ?? runtime.apiUrl ?? `http://127.0.0.1:${DEFAULT_PORTS.api}`,
    ackTtlMs: s.DISCLOSURE_ACK_TTL_MS ?? 30 * 24 * 60 * 60_000,
    ledgerKeyPath: s.DISCLOSURE_LEDGER_KEY ?? join(keysDir, 'ledger-ed25519.pem'),
    ledgerPublicKeyPath: s.DISCLOSURE_LEDGER_PUBLIC_KEY,
    ledgerKeyPem: s.DISCLOSURE_LEDGER_KEY_PEM,
    ledgerPublicKeyPem: s.DISCLOSURE_LEDGER_PUBLIC_KEY_PEM,
    checkpointIntervalMs: s.DISCLOSURE_CHECKPOINT_INTERVAL_MS ?? 60_000,
    checkpointRecords: s.DISCLOSURE_CHECKPOINT_RECORDS ?? 100,
    witness: s.DISCLOSURE_WITNESS === undefined ? undefined : witnessTarget(s.DISCLOSURE_WITNESS, witnessCredentials(s)),
    keysDir,
    codecEncode: ['1', 'true', 'yes'].includes(s.DISCLOSURE_CODEC_ENCODE ?? '0'),
    codecOrigins: (s.DISCLOSURE_CODEC_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    apiHost: s.DISCLOSURE_API_HOST ?? '127.0.0.1',
    publicUrl: s.DISCLOSURE_PUBLIC_URL ?? s.DISCLOSURE_API_URL,
    tls: s.DISCLOSURE_TLS_CERT !== undefined && s.DISCLOSURE_TLS_KEY !== undefined ? { certFile: resolve(s.DISCLOSURE_TLS_CERT), keyFile: resolve(s.DISCLOSURE_TLS_KEY) } : undefined,
    trustProxy: trustProxyOf(s.DISCLOSURE_TRUST_PROXY),
    timeZone: s.DISCLOSURE_TIMEZONE ?? 'Asia/Tokyo',
    metricsAddress: s.DISCLOSURE_METRICS_ADDRESS,
  };
}

import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import type { ClientConfigProfile, ConfigDataSource } from '@temporalio/envconfig';
import { existsSync } from 'node:fs';
import { ConfigError } from './config-error';

/**
 * How every process reaches Temporal — clients, workers, the audit tools and the codec server
 * alike — read once by @temporalio/envconfig from TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_* and a TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE).
 */
export interface TemporalSettings {
  address: string;
  namespace: string;
  /** Whether an address was configured (variable or profile); else the embedded default is used. */
  addressConfigured: boolean;
  tls?: TLSConfig | boolean | undefined;
  apiKey?: string | undefined;
  metadata?: Record<string, string> | undefined;
  /** Where each TLS part came from, for messages that say what to fix. */
  sources: { serverCa?: string; clientCert?: string; profile?: string };
}

const describeSource = (source: ConfigDataSource | undefined, variable: string): string | undefined =>
  source === undefined ? undefined : 'path' in source ? `${variable}_PATH (${source.path})` : `${variable}_DATA`;

const strings = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));

function loadProfile(env: NodeJS.ProcessEnv): ClientConfigProfile {
  const file = env.TEMPORAL_CONFIG_FILE;
  if (file !== undefined && file !== '' && !existsSync(file)) {
    throw new ConfigError([
      { variable: 'TEMPORAL_CONFIG_FILE', value: JSON.stringify(file), accepted: 'the path of an existing TOML file' },
    ]);
  }
  try {
    return loadClientConfigProfile({ overrideEnvVars: strings(env) });
  } catch (err) {
    const message = (err as Error).message;
    if (/Profile '.*' not found/.test(message)) {
      throw new ConfigError([
        {
          variable: 'TEMPORAL_PROFILE',
          value: JSON.stringify(env.TEMPORAL_PROFILE ?? ''),
          accepted: `a profile defined in ${file ?? 'the Temporal config file'}`,
        },
      ]);
    }
    throw new ConfigError([
      {
        variable: 'TEMPORAL_CONFIG_FILE',
        value: JSON.stringify(file ?? '(default location)'),
        accepted: `a valid Temporal TOML config (${message})`,
      },
    ]);
  }
}

function checkTlsFiles(profile: ClientConfigProfile): void {
  const tls = profile.tls;
  if (tls === undefined) return;
  const parts: [ConfigDataSource | undefined, string][] = [
    [tls.serverCACert, 'TEMPORAL_TLS_SERVER_CA_CERT'],
    [tls.clientCert, 'TEMPORAL_TLS_CLIENT_CERT'],
    [tls.clientKey, 'TEMPORAL_TLS_CLIENT_KEY'],
  ];
  for (const [source, variable] of parts) {
    if (source !== undefined && 'path' in source && !existsSync(source.path)) {
      throw new ConfigError([
        {
          variable: `${variable}_PATH`,
          value: JSON.stringify(source.path),
          accepted: 'the path of an existing PEM file',
        },
      ]);
    }
  }
  if ((tls.clientCert === undefined) !== (tls.clientKey === undefined)) {
    const missing = tls.clientCert === undefined ? 'TEMPORAL_TLS_CLIENT_CERT_PATH' : 'TEMPORAL_TLS_CLIENT_KEY_PATH';
    throw new ConfigError([
      {
        variable: missing,
        value: '""',
        accepted: 'set together with its pair: a client certificate needs its key and the key its certificate',
      },
    ]);
  }
}

/**
 * The connection settings for this environment. `fallbackAddress` is used when neither a variable
 * nor a profile names a server (the embedded dev server `disclosure up` started).
 */
export function temporalSettings(
  env: NodeJS.ProcessEnv,
  fallback: { address: string; namespace?: string },
): TemporalSettings {
  const profile = loadProfile(env);
  checkTlsFiles(profile);
  const { connectionOptions, namespace } = toClientOptions(profile);
  return {
    address: connectionOptions.address ?? fallback.address,
    namespace: namespace ?? fallback.namespace ?? 'default',
    addressConfigured: connectionOptions.address !== undefined,
    tls: connectionOptions.tls ?? undefined,
    apiKey: typeof connectionOptions.apiKey === 'string' ? connectionOptions.apiKey : undefined,
    metadata: profile.grpcMeta,
    sources: {
      ...(describeSource(profile.tls?.serverCACert, 'TEMPORAL_TLS_SERVER_CA_CERT') !== undefined
        ? { serverCa: describeSource(profile.tls?.serverCACert, 'TEMPORAL_TLS_SERVER_CA_CERT')! }
        : {}),
      ...(describeSource(profile.tls?.clientCert, 'TEMPORAL_TLS_CLIENT_CERT') !== undefined
        ? { clientCert: describeSource(profile.tls?.clientCert, 'TEMPORAL_TLS_CLIENT_CERT')! }
        : {}),
      ...(env.TEMPORAL_PROFILE !== undefined && env.TEMPORAL_PROFILE !== '' ? { profile: env.TEMPORAL_PROFILE } : {}),
    },
  };
}

/** The options both Connection.connect (clients) and NativeConnection.connect (workers) take. */
export function connectionOptions(s: TemporalSettings) {
  return {
    address: s.address,
    ...(s.tls !== undefined ? { tls: s.tls } : {}),
    ...(s.apiKey !== undefined ? { apiKey: s.apiKey } : {}),
    ...(s.metadata !== undefined ? { metadata: s.metadata } : {}),
  };
}

/** Temporal could not be reached or the TLS handshake failed; the message is one line saying what to fix. */
export class TemporalConnectError extends Error {
  override name = 'TemporalConnectError';
}

const usesTls = (s: TemporalSettings): boolean => s.tls !== undefined && s.tls !== false;

/**
 * Turns what grpc-js (clients) or the Rust core (workers) report into one line that names the
 * setting to fix. Pure, so each case is unit-tested without a server.
 */
export function explainConnectError(err: unknown, s: TemporalSettings): string {
  const raw = err instanceof Error ? err.message : String(err);
  const detail = raw.split('\n')[0]!.slice(0, 200);
  const at = `Temporal at ${s.address}`;
  const ca = s.sources.serverCa ?? "the system CAs (set TEMPORAL_TLS_SERVER_CA_CERT_PATH to the cluster's CA)";
  if (
    /UnknownIssuer|self[- ]signed certificate|unable to (get local issuer|verify the first) certificate|certificate verify failed|BadSignature|invalid peer certificate/i.test(
      raw,
    )
  ) {
    if (/NotValidForName|altnames|hostname/i.test(raw)) {
      return `${at} presented a certificate for another name; set TEMPORAL_TLS_SERVER_NAME to the name in its certificate (${detail})`;
    }
    return `${at} presented a certificate not signed by the CA in ${ca}; point TEMPORAL_TLS_SERVER_CA_CERT_PATH at the CA that signed the server's certificate (${detail})`;
  }
  if (/NotValidForName|altnames|does not match certificate/i.test(raw)) {
    return `${at} presented a certificate for another name; set TEMPORAL_TLS_SERVER_NAME to the name in its certificate (${detail})`;
  }
  if (
    /CertificateRequired|certificate required|bad certificate|BadCertificate|alert.*(certificate|handshake)|tlsv13 alert|sslv3 alert/i.test(
      raw,
    )
  ) {
    return s.sources.clientCert === undefined
      ? `${at} requires a client certificate; set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (${detail})`
      : `${at} rejected the client certificate in ${s.sources.clientCert}; use one signed by a CA the server trusts (${detail})`;
  }
  if (/wrong version number|WRONG_VERSION_NUMBER|InvalidContentType|CorruptMessage|packet length too long/i.test(raw)) {
    return usesTls(s)
      ? `${at} does not speak TLS; unset TEMPORAL_TLS and the TEMPORAL_TLS_* settings, or use its TLS port (${detail})`
      : `${at} expects TLS; set TEMPORAL_TLS=true and TEMPORAL_TLS_SERVER_CA_CERT_PATH (${detail})`;
  }
  if (/Namespace .* (is )?not found|NamespaceNotFound/i.test(raw)) {
    return `namespace ${s.namespace} does not exist on ${at}; create it or set TEMPORAL_NAMESPACE (${detail})`;
  }
  if (/UNAUTHENTICATED|PERMISSION_DENIED|Request unauthorized|api key/i.test(raw)) {
    return `${at} refused the credentials; check TEMPORAL_API_KEY or the client certificate (${detail})`;
  }
  const profile = s.sources.profile !== undefined ? ` (profile ${s.sources.profile})` : '';
  return `cannot reach ${at}${profile} (${detail}); start the engine with \`npm start\` or set TEMPORAL_ADDRESS`;
}

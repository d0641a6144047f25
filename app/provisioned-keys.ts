import { existsSync } from 'node:fs';
import type { EngineConfig } from '../infra/config';
import { ConfigError } from '../infra/config';
import type { ConfigIssue } from '../infra/config';
import {
  CODEC_TOKEN_ENV,
  CODEC_TOKEN_FILE_ENV,
  codecTokenFile,
  KEYS_DIR_ENV,
  KEYS_ENV,
  KEYS_FILE_ENV,
  keyFile,
  readKeyRing,
} from '../infra/keys';
import { hasPrivateLedgerKey, keyPathsOf } from '../infra/signing-key';
import { tokenFilePath } from '../api/auth';
import { ACK_KEY_ENV, ACK_KEY_FILE_ENV, ackKeyFile, loadAckKey } from '../service/ack-token';

export type KeyNeed = 'payload' | 'ack' | 'ledger' | 'codecToken' | 'apiTokens';

const set = (v: string | undefined): boolean => v !== undefined && v !== '';
const init = 'create them once with `disclosure init --keys-dir DIR` and give every host the same';

/**
 * A worker or server of a deployment never creates keys: a key made on one host is unknown to the
 * others (payloads it encrypts cannot be read, ack links it signs look forged, checkpoints it signs
 * look like tampering). Every key this process needs must be there, or it refuses to start,
 * naming the variable for each missing one (exit 2). Reads keys; writes nothing.
 */
export async function requireProvisionedKeys(
  config: EngineConfig,
  env: NodeJS.ProcessEnv,
  needs: KeyNeed[],
): Promise<void> {
  const issues: ConfigIssue[] = [];
  const missing = (variable: string, what: string) =>
    issues.push({ variable, value: '(not set)', accepted: `${what}; ${init}` });
  const probe = async (fn: () => Promise<unknown>, variable: string) => {
    try {
      await fn();
    } catch (err) {
      issues.push({ variable, value: '(unusable)', accepted: (err as Error).message });
    }
  };
  if (needs.includes('payload')) {
    if (!set(env[KEYS_ENV]) && !existsSync(keyFile(config.home, env))) {
      missing(
        KEYS_ENV,
        `the payload key ring, as JSON, or ${KEYS_FILE_ENV} / ${KEYS_DIR_ENV} naming its file (looked for ${keyFile(config.home, env)})`,
      );
    } else {
      await probe(() => readKeyRing(config.home, env), set(env[KEYS_ENV]) ? KEYS_ENV : KEYS_FILE_ENV);
    }
  }
  if (needs.includes('ack')) {
    if (!set(env[ACK_KEY_ENV]) && !existsSync(ackKeyFile(config.home, env))) {
      missing(
        ACK_KEY_ENV,
        `the ack-link key (hex), or ${ACK_KEY_FILE_ENV} / ${KEYS_DIR_ENV} naming its file (looked for ${ackKeyFile(config.home, env)})`,
      );
    } else {
      await probe(
        () => loadAckKey(config.home, { env, create: false }),
        set(env[ACK_KEY_ENV]) ? ACK_KEY_ENV : ACK_KEY_FILE_ENV,
      );
    }
  }
  if (needs.includes('ledger') && !hasPrivateLedgerKey(keyPathsOf(config))) {
    missing(
      'DISCLOSURE_LEDGER_KEY',
      `the ledger signing key's file, or DISCLOSURE_LEDGER_KEY_PEM (looked for ${keyPathsOf(config).privateKeyPath}); a host that signs no checkpoints sets DISCLOSURE_CHECKPOINT_INTERVAL_MS=0`,
    );
  }
  if (needs.includes('codecToken') && !set(env[CODEC_TOKEN_ENV]) && !existsSync(codecTokenFile(config.home, env))) {
    missing(
      CODEC_TOKEN_ENV,
      `the codec server's bearer token, or ${CODEC_TOKEN_FILE_ENV} / ${KEYS_DIR_ENV} naming its file (looked for ${codecTokenFile(config.home, env)})`,
    );
  }
  // Like a key, the token file is made once and given to every server host: a server that made
  // its own would print an admin token into its log and accept tokens no other host knows.
  if (needs.includes('apiTokens') && !existsSync(tokenFilePath(config.home, env))) {
    issues.push({
      variable: 'DISCLOSURE_API_TOKENS',
      value: '(not set)',
      accepted: `the API token file (looked for ${tokenFilePath(config.home, env)}); create it with \`disclosure api token add --role admin --name WHO\` (DISCLOSURE_API_TOKENS naming the file) and give every server host the same file`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

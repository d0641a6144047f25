import { resolve } from 'node:path';
import { createKeySet, KEY_VARIABLES, keySetAsEnv, writeKeySet } from '../../infra/provision';
import { InputError } from '../../service/errors';
import type { Command } from '../command';

export const init: Command = {
  name: 'init',
  summary: "create a deployment's keys once: payload key ring, ack-link key, ledger signing key pair, codec token",
  options: {
    'keys-dir': {
      type: 'string',
      value: 'DIR',
      description: 'write each key to a file in DIR (0600, folder 0700); refuses if any exists',
    },
    print: {
      type: 'boolean',
      description: "print the keys as NAME='value' lines for a secret store instead of writing files",
    },
  },
  examples: [
    'disclosure init --keys-dir /etc/disclosure/keys',
    'disclosure init --print > disclosure-keys.env   # then load it into the secret store and delete it',
  ],
  async run(env, v) {
    const dir = typeof v['keys-dir'] === 'string' ? resolve(v['keys-dir']) : undefined;
    if ((dir === undefined) === (v.print !== true)) {
      throw new InputError([{ field: '--keys-dir', message: 'give either --keys-dir DIR or --print' }]);
    }
    const set = createKeySet();
    if (dir === undefined) {
      // Printed on stdout on purpose: it is meant for a pipe into a secret store.
      return {
        json: Object.fromEntries(
          Object.entries(KEY_VARIABLES).map(([k, name]) => [name, set[k as keyof typeof set].trim()]),
        ),
        text: keySetAsEnv(set),
      };
    }
    const files = await writeKeySet(dir, set);
    const lines = [
      `keys written to ${dir}:`,
      ...Object.values(files).map((f) => `  ${f}`),
      'give every worker and server host the same files (DISCLOSURE_KEYS_DIR=' +
        dir +
        '), or the values through the variables;',
      `auditors need only ${files.ledgerPublicKey} (DISCLOSURE_LEDGER_PUBLIC_KEY) to verify checkpoints.`,
    ];
    return { json: { keysDir: dir, files }, text: lines.join('\n') };
  },
};

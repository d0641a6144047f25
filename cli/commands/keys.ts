import { describeRing, keyFile, KeyRingError, readKeyRing, rotateKeys, rotatedRing } from '../../infra/keys';
import type { Command } from '../command';
import { when } from '../format';

const ROLLOUT =
  'roll it out: copy this ring file to every worker and server host now (or store it where DISCLOSURE_PAYLOAD_KEYS comes from); ' +
  'processes that read the file pick the change up on their next payload, processes given the variable need a restart. ' +
  'Until a host has the new ring it cannot read payloads encrypted with the new key, so update every host before new work starts, and never remove an old key.';

type RingView = ReturnType<typeof describeRing>;

const ringText = (view: RingView, timeZone: string): string =>
  [
    `payload keys (${view.source}):`,
    ...view.keys.map((k) => `  ${k.id}  created ${when(k.createdAt, timeZone)}${k.current ? '  (current: encrypts)' : ''}`),
  ].join('\n');

export const keysList: Command = {
  name: 'keys list',
  summary: 'list the payload encryption keys by id (never the key material)',
  options: {},
  examples: ['disclosure keys list', 'disclosure keys list --json'],
  async run(env) {
    const ring = await readKeyRing(env.config.home, env.vars);
    if (ring === undefined) {
      throw new KeyRingError(
        `no payload keys at ${keyFile(env.config.home, env.vars)}; \`disclosure up\` creates them on first start, \`disclosure init\` for a deployment`,
      );
    }
    const view = describeRing(ring);
    return { json: view, text: ringText(view, env.config.timeZone) };
  },
};

export const keysRotate: Command = {
  name: 'keys rotate',
  summary: 'add a new payload key and make it current; older keys stay to decrypt older histories',
  options: {
    print: {
      type: 'boolean',
      description:
        'for a ring kept in DISCLOSURE_PAYLOAD_KEYS: print the new ring (JSON) for the secret store instead of writing a file',
    },
  },
  examples: [
    'DISCLOSURE_KEYS_DIR=/etc/disclosure/keys disclosure keys rotate',
    'DISCLOSURE_PAYLOAD_KEYS="$(vault read …)" disclosure keys rotate --print',
  ],
  async run(env, v) {
    if (v.print === true) {
      const current = await readKeyRing(env.config.home, env.vars);
      if (current === undefined)
        throw new KeyRingError('no payload key ring to rotate: set DISCLOSURE_PAYLOAD_KEYS or DISCLOSURE_KEYS_DIR');
      const next = rotatedRing(current);
      return { json: JSON.parse(next), text: next.trim() };
    }
    const view = describeRing(await rotateKeys(env.config.home, env.vars));
    return {
      json: { ...view, rollout: ROLLOUT },
      text: `${ringText(view, env.config.timeZone)}\nnew payloads are encrypted with ${view.current}; keep every listed key to read older histories\n${ROLLOUT}`,
    };
  },
};

import { describeRing, keyFile, KeyRingError, readKeyRing, rotateKeys } from '../../infra/keys';
import type { Command } from '../command';

type RingView = ReturnType<typeof describeRing>;

const ringText = (view: RingView): string =>
  [
    `payload keys (${view.source}):`,
    ...view.keys.map((k) => `  ${k.id}  created ${k.createdAt}${k.current ? '  (current: encrypts)' : ''}`),
  ].join('\n');

export const keysList: Command = {
  name: 'keys list',
  summary: 'list the payload encryption keys by id (never the key material)',
  options: {},
  examples: ['disclosure keys list', 'disclosure keys list --json'],
  async run(env) {
    const ring = await readKeyRing(env.config.home);
    if (ring === undefined) {
      throw new KeyRingError(
        `no payload keys at ${keyFile(env.config.home)}; \`disclosure up\` creates them on first start`,
      );
    }
    const view = describeRing(ring);
    return { json: view, text: ringText(view) };
  },
};

export const keysRotate: Command = {
  name: 'keys rotate',
  summary: 'add a new payload key and make it current; older keys stay to decrypt older histories',
  options: {},
  examples: ['disclosure keys rotate'],
  async run(env) {
    const view = describeRing(await rotateKeys(env.config.home));
    return {
      json: view,
      text: `${ringText(view)}\nnew payloads are encrypted with ${view.current}; keep every listed key to read older histories`,
    };
  },
};

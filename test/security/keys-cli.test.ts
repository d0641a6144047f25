import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import { ensureKeyRing, keyFile } from '../../infra/keys';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-keys-cli-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { DISCLOSURE_HOME: home },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const keyMaterial = async () =>
  (JSON.parse(await readFile(keyFile(home), 'utf8')) as { keys: { key: string }[] }).keys.map((k) => k.key);

describe('disclosure keys', () => {
  test('list before any key exists fails with where the keys are expected, and creates none', async () => {
    const run = await cli('keys', 'list');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(keyFile(home));
    await expect(readFile(keyFile(home))).rejects.toThrow(/ENOENT/);
  });

  test('rotate adds a current key, keeps the old one, and neither output shows key material', async () => {
    const first = await ensureKeyRing(home, {});
    const rotated = await cli('keys', 'rotate', '--json');
    expect(rotated.code).toBe(0);
    const view = JSON.parse(rotated.stdout) as { current: string; keys: { id: string; current: boolean }[] };
    expect(view.keys.map((k) => k.id)).toEqual([first.current.id, view.current]);
    expect(view.keys.map((k) => k.current)).toEqual([false, true]);

    const listed = await cli('keys', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${view.current}`);
    const material = await keyMaterial();
    expect(material).toHaveLength(2);
    for (const key of material) {
      expect(rotated.stdout).not.toContain(key);
      expect(listed.stdout).not.toContain(key);
    }
  });
});

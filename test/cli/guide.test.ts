import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../cli/main';

/** The command line helps a person find the command they meant. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { DISCLOSURE_HOME: '/nonexistent/disclosure-guide' } });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

test('--version prints the package version', async () => {
  const version = (JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
  expect(await run('--version')).toEqual({ code: 0, stdout: `disclosure ${version}`, stderr: '' });
});

test('a group with --help, and help with a command, list the group or show the command', async () => {
  const ledger = await run('ledger', '--help');
  expect(ledger.code).toBe(0);
  expect(ledger.stdout).toContain('ledger verify');
  const request = await run('request', '--help');
  expect(request.stdout).toContain('request dealer-catalog');
  expect(request.stdout).not.toContain('ledger verify');
  const one = await run('help', 'api', 'token', 'add');
  expect(one.code).toBe(0);
  expect(one.stdout).toContain('usage: disclosure api token add');
});

test('a mistyped command is exit 2 and names the nearest command', async () => {
  const typo = await run('recrods');
  expect(typo.code).toBe(2);
  expect(typo.stderr).toContain('did you mean "records"');
  const far = await run('xyzzy-plugh');
  expect(far.code).toBe(2);
  expect(far.stderr).not.toContain('did you mean');
});

test('completion bash prints a script bash accepts that completes command words', async () => {
  const out = await run('completion', 'bash');
  expect(out.code).toBe(0);
  const { execFileSync } = await import('node:child_process');
  const words = execFileSync('bash', ['-c', `${out.stdout}\nCOMP_WORDS=(disclosure api ""); COMP_CWORD=2; _disclosure; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  expect(words.trim().split(' ').sort()).toEqual(['serve', 'token']);
  expect((await run('completion', 'fish')).code).toBe(2);
});

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../store/open';

const bin = path.resolve(__dirname, '../../bin/disclosure.js');
let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-unreachable-'));
  await (await openStore(path.join(home, 'disclosure.db'), { schema: 'migrate' })).close();
});
afterAll(() => rm(home, { recursive: true, force: true }));

/** The installed command as its own process, so that whatever reaches the terminal is seen. */
function run(
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...argv],
      { env: { PATH: process.env.PATH, DISCLOSURE_HOME: home, ...env }, timeout: 30_000 },
      (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr }),
    );
  });
}

const NO_TEMPORAL = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

describe('an unreachable Temporal or database is one line and exit 1, never a stack trace', () => {
  test.each([
    ['audit export', ['audit', 'export', '--out', 'evidence']],
    ['audit replay --all', ['audit', 'replay', '--all']],
    ['status', ['status', 'D-1']],
  ])('%s with Temporal not started', async (_name, argv) => {
    const r = await run(argv, NO_TEMPORAL);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: cannot reach Temporal at 127\.0\.0\.1:1 .*TEMPORAL_ADDRESS$/),
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('records with the PostgreSQL server down names the database without its password', async () => {
    const r = await run(['records'], { DISCLOSURE_DB: 'postgres://staff:s3cret-pw@127.0.0.1:1/disclosure' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^error: cannot reach the database at postgres:\/\/staff:\*\*\*@127\.0\.0\.1:1\/disclosure/,
      ),
    ]);
    expect(r.stderr).not.toContain('s3cret-pw');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('--json prints the failure as the one JSON document', async () => {
    const r = await run(['audit', 'replay', '--all', '--json'], NO_TEMPORAL);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      error: { message: expect.stringContaining('cannot reach Temporal') },
    });
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

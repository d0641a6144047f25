import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseEnv } from '../../infra/config';
import { parseDuration } from '../../infra/duration';
import { runBin } from '../support/bin';

const issuesOf = (env: NodeJS.ProcessEnv) => {
  try {
    parseEnv(env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues;
  }
};

describe('durations', () => {
  test.each([
    ['15m', 900_000],
    ['30s', 30_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['250ms', 250],
    ['900000', 900_000],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(['15x', '1.5h', '-1m', 'm', '', '15 minutes', 'NaN'])('%j is not a duration', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  test('every duration setting takes the same forms', () => {
    const c = loadConfig({
      DISCLOSURE_HOME: '/tmp/x',
      DISCLOSURE_CHECKPOINT_INTERVAL_MS: '15m',
      DISCLOSURE_ACK_TTL_MS: '7d',
    });
    expect(c.checkpointIntervalMs).toBe(900_000);
    expect(c.ackTtlMs).toBe(7 * 86_400_000);
    expect(
      loadConfig({ DISCLOSURE_HOME: '/tmp/x', DISCLOSURE_CHECKPOINT_INTERVAL_MS: '60000' }).checkpointIntervalMs,
    ).toBe(60_000);
  });
});

describe('the environment schema', () => {
  test('a bad duration names the variable, the value and the accepted form, never NaN', () => {
    expect(issuesOf({ DISCLOSURE_CHECKPOINT_INTERVAL_MS: '15x' })).toEqual([
      {
        variable: 'DISCLOSURE_CHECKPOINT_INTERVAL_MS',
        value: '"15x"',
        accepted: expect.stringMatching(/15m, 30s, 1h.*milliseconds/),
      },
    ]);
  });

  test('every bad value is reported at once', () => {
    const issues = issuesOf({
      SMTP_URL: 'http://mail',
      DISCLOSURE_MAIL_FROM: 'not-an-address',
      TEMPORAL_ADDRESS: 'temporal internal:7233',
      DISCLOSURE_DB: 'mysql://db/x',
      SMTP_REQUIRE_TLS: 'maybe',
      DISCLOSURE_ACK_TTL_MS: '0',
    });
    expect(issues.map((i) => i.variable).sort()).toEqual(
      [
        'DISCLOSURE_ACK_TTL_MS',
        'DISCLOSURE_DB',
        'DISCLOSURE_MAIL_FROM',
        'SMTP_REQUIRE_TLS',
        'SMTP_URL',
        'TEMPORAL_ADDRESS',
      ].sort(),
    );
    for (const i of issues) expect(i.accepted.length).toBeGreaterThan(5);
  });

  test('empty variables mean unset, and an unset environment gives the embedded defaults', () => {
    expect(issuesOf({ DISCLOSURE_DB: '', SMTP_URL: '' })).toEqual([]);
    const c = loadConfig({ DISCLOSURE_HOME: '/srv/d' });
    expect(c).toMatchObject({
      database: '/srv/d/disclosure.db',
      keysDir: '/srv/d/keys',
      checkpointIntervalMs: 60_000,
      checkpointRecords: 100,
      taskQueue: 'disclosures',
    });
  });
});

describe('start-up with a bad setting', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-config-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  test('the command exits 2 with one line per bad variable and creates nothing', async () => {
    const run = await runBin(['records'], {
      DISCLOSURE_HOME: path.join(home, 'h'),
      DISCLOSURE_CHECKPOINT_INTERVAL_MS: '15x',
      SMTP_URL: 'http://mail',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DISCLOSURE_CHECKPOINT_INTERVAL_MS="15x": expected a duration such as 15m, 30s, 1h');
    expect(run.stderr).toContain('SMTP_URL="http://mail": expected an smtp:// or smtps:// URL');
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(path.join(home, 'h'))).toBe(false);
  });

  test('with --json the same issues are one JSON document', async () => {
    const run = await runBin(['records', '--json'], { DISCLOSURE_HOME: home, DISCLOSURE_ACK_TTL_MS: 'soon' });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { type: 'ConfigError', issues: [{ field: 'DISCLOSURE_ACK_TTL_MS' }] },
    });
  });
});

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import {
  findFreePort,
  resolveTemporalBinary,
  startDevServer,
  TemporalUnavailableError,
} from '../../infra/temporal-server';

let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'temporal-server-test-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Runs `body` with some environment variables replaced, then puts them back. */
async function withEnv<T>(
  vars: Record<string, string | undefined>,
  body: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(vars);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}

describe('the shared Temporal dev server', () => {
  it('answers gRPC calls at TEST_TEMPORAL_ADDRESS, with its namespace registered', async () => {
    const connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^1\.\d+/);
      const namespace = process.env.TEST_TEMPORAL_NAMESPACE;
      const described = await connection.workflowService.describeNamespace({ namespace });
      expect(described.namespaceInfo?.name).toBe(namespace);
    } finally {
      await connection.close();
    }
  });
});

describe('resolveTemporalBinary', () => {
  it('rejects a TEMPORAL_CLI_PATH with no file behind it, naming the variable', async () => {
    const missing = path.join(workDir, 'no-such-temporal');
    const attempt = withEnv({ TEMPORAL_CLI_PATH: missing }, () =>
      resolveTemporalBinary({ build: false }),
    );

    await expect(attempt).rejects.toThrow(TemporalUnavailableError);
    await expect(attempt).rejects.toMatchObject({
      name: 'TemporalUnavailable',
      message: expect.stringContaining(`TEMPORAL_CLI_PATH is ${missing}`),
    });
  });

  it('says how to get a CLI, without building one, when none is found and build is false', async () => {
    const emptyCache = path.join(workDir, 'empty-cache');
    const attempt = withEnv(
      { TEMPORAL_CLI_PATH: undefined, PATH: '', DISCLOSURE_TEMPORAL_CACHE: emptyCache },
      () => resolveTemporalBinary({ build: false }),
    );

    await expect(attempt).rejects.toMatchObject({
      name: 'TemporalUnavailable',
      message: expect.stringMatching(/TEMPORAL_CLI_PATH.*Go >= 1\.25/s),
    });
    expect(existsSync(emptyCache)).toBe(false);
  });
});

describe('startDevServer', () => {
  const binary = () => process.env.TEST_TEMPORAL_BINARY as string;

  it('creates the database folder, serves on loopback, and stop() ends the process', async () => {
    const dbFile = path.join(workDir, 'nested', 'state', 'temporal.db');
    const server = await startDevServer({ binary: binary(), dbFile, headless: true });
    try {
      expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(server.uiUrl).toBeUndefined();
      expect(existsSync(dbFile)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(() => process.kill(server.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('rejects with the end of the server output when the server dies before it is ready', async () => {
    const port = await findFreePort();
    // Hangs up at once, so the health checks aimed at it fail fast and it can close.
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const dbFile = path.join(workDir, 'squatted', 'temporal.db');
      await expect(
        startDevServer({ binary: binary(), dbFile, port, headless: true }),
      ).rejects.toThrow(/exited \(code \d+\) before it was ready[\s\S]*address already in use/);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

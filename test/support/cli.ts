import { main } from '../../cli/main';
import type { Harness } from './harness';

/** Runs the `disclosure` command against a harness's home, database and Temporal server. */
export async function runCli(h: Harness, argv: string[]): Promise<{ code: number; json: unknown; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {
      DISCLOSURE_HOME: h.home,
      DISCLOSURE_DB: h.database,
      TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: process.env.TEST_TEMPORAL_NAMESPACE,
      DISCLOSURE_TASK_QUEUE: h.taskQueue,
    },
  });
  const text = out.join('\n');
  return { code, json: argv.includes('--json') && text !== '' ? JSON.parse(text) : undefined, stderr: err.join('\n') };
}

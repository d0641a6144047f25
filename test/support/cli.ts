import { main } from '../../cli/main';
import type { Harness } from './harness';

/** The environment a `disclosure` command needs to reach a harness's home, database, Temporal server and queue. */
export const cliEnv = (h: Harness): NodeJS.ProcessEnv => ({
  DISCLOSURE_HOME: h.home,
  DISCLOSURE_DB: h.database,
  TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
  TEMPORAL_NAMESPACE: process.env.TEST_TEMPORAL_NAMESPACE,
  DISCLOSURE_TASK_QUEUE: h.taskQueue,
});

/** Runs the `disclosure` command in-process against a harness; returns its exit code and output. */
export async function runCliText(
  h: Harness,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: cliEnv(h) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** As runCliText, with stdout parsed when the command was given --json. */
export async function runCli(h: Harness, argv: string[]): Promise<{ code: number; json: unknown; stderr: string }> {
  const { code, stdout, stderr } = await runCliText(h, argv);
  return { code, json: argv.includes('--json') && stdout !== '' ? JSON.parse(stdout) : undefined, stderr };
}

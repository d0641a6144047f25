import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { engineDataConverter } from '../../infra/data-converter';
import type { WorkflowHistory } from '../../service/audit-history';
import { fetchHistories } from '../../service/audit-history';
import { replayHistories } from '../../service/audit-replay';
import { prebuiltWorkflowBundle } from '../../workers/workflow-bundle';
import type { Stack } from '../stack';

export interface ReplayMeasure {
  histories: number;
  perSecond: number[];
  fetchPerSecond: number;
}

/**
 * `audit replay` on the e2e run's workflows: histories fetched once, then replayed against the
 * workflow code `runs` times against the prebuilt bundle, so bundling is not timed.
 */
export async function measureReplay(stack: Stack, workflowIds: string[], runs: number, say: (l: string) => void): Promise<ReplayMeasure> {
  // The bundle `npm run build` wrote, as `audit replay` uses it; bundled here only if it is missing or stale.
  let bundlePath = prebuiltWorkflowBundle();
  if (bundlePath === undefined) {
    say('replay: no current prebuilt workflow bundle (run `npm run build`); bundling for this run');
    bundlePath = path.join(stack.home, 'replay-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') });
    await writeFile(bundlePath, code);
  }
  const fetchBegan = performance.now();
  const fetched = await fetchHistories(stack.client, workflowIds);
  const fetchPerSecond = fetched.length / ((performance.now() - fetchBegan) / 1000);
  const histories = fetched.filter((f): f is WorkflowHistory => 'history' in f);
  const perSecond: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const began = performance.now();
    const reports = await replayHistories(histories, { workflowBundlePath: bundlePath, dataConverter: engineDataConverter(stack.home) });
    const rate = reports.length / ((performance.now() - began) / 1000);
    const inconsistent = reports.filter((r) => !r.consistent);
    if (inconsistent.length > 0) throw new Error(`${inconsistent.length} histories did not replay: ${inconsistent[0]?.error?.message ?? ''}`);
    say(`replay run ${run}: ${reports.length} histories, ${rate.toFixed(1)}/s`);
    perSecond.push(rate);
  }
  return { histories: histories.length, perSecond, fetchPerSecond };
}

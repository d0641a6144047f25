import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { fetchHistories, FETCH_CONCURRENCY } from '../../service/audit-history';

/** A client whose history fetches resolve in reverse order of asking, counting how many are in flight. */
function fakeClient(gone: Set<string>) {
  let inFlight = 0;
  let most = 0;
  const client = {
    workflow: {
      getHandle: (id: string) => ({
        fetchHistory: async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 40 - (Number(id.split('-')[1]) % 8) * 5));
          inFlight--;
          if (gone.has(id)) throw new WorkflowNotFoundError('gone', id, undefined);
          return { events: [{ eventId: id }] };
        },
      }),
    },
  } as unknown as Client;
  return { client, most: () => most };
}

test('histories are fetched a few at a time, never more, and come back in the order asked, a missing one reported', async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `wf-${i}`);
  const { client, most } = fakeClient(new Set(['wf-7']));
  const ticks: number[] = [];
  const fetched = await fetchHistories(client, ids, (n) => ticks.push(n));
  expect(fetched.map((f) => f.workflowId)).toEqual(ids);
  expect(fetched[7]).toEqual({ workflowId: 'wf-7', missing: 'Temporal has no history for wf-7' });
  expect(fetched.filter((f) => 'history' in f)).toHaveLength(29);
  expect(most()).toBeLessThanOrEqual(FETCH_CONCURRENCY);
  expect(most()).toBeGreaterThan(1);
  expect(ticks).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
});

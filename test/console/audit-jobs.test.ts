import { fragment, render } from '../../console/html';
import { translator } from '../../console/i18n';
import { JobBoard } from '../../console/jobs';
import { jobPage, verifyFragment } from '../../console/pages/audit-jobs';
import type { View } from '../../console/view';
import type { VerifyReport } from '../../service/ledger';

const v: View = { lang: 'ja', t: translator('ja'), timeZone: 'Asia/Tokyo', provider: 'P', path: '/', csrf: 'x' };

test('a running verify polls its fragment with JavaScript and refreshes without it; the finished one stops both', async () => {
  const board = new JobBoard<VerifyReport>();
  let finish!: (r: VerifyReport) => void;
  const job = board.start(
    't-1',
    10,
    async (tick) => {
      tick(4);
      return new Promise<VerifyReport>((r) => (finish = r));
    },
    () => undefined,
  );
  const running = render(jobPage(v, 'verify', verifyFragment(v, job), true));
  expect(running).toContain(`data-poll="/ledger/verify/${job.id}/fragment"`);
  expect(running).toContain('<noscript><meta http-equiv="refresh" content="1" /></noscript>');
  expect(running).toMatch(/<progress max="10" value="4"/);
  expect(board.get(job.id, 't-2')).toBeUndefined();

  finish({
    ok: true,
    records: 10,
    unsignedRecords: 0,
    checkpoints: { trusted: 0 },
    checkpointIssues: [],
    warnings: [],
  });
  await job.finished;
  const done = fragment(verifyFragment(v, board.get(job.id, 't-1')!));
  expect(done).toContain('data-done="true"');
  expect(done).not.toContain('data-poll');
  expect(render(jobPage(v, 'verify', verifyFragment(v, job), false))).not.toContain('http-equiv="refresh"');
});

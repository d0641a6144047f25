import { BenchUsageError, parseOptions } from '../../bench/options';

describe('bench options', () => {
  it('reads flags over the environment over the defaults', () => {
    const o = parseOptions(['--n', '300', '--only', 'e2e,ceiling', '--label', 'before-abc1234'], { BENCH_N: '10', BENCH_RUNS: '2' });
    expect(o).toMatchObject({ n: 300, runs: 2, sections: ['e2e', 'ceiling'], label: 'before-abc1234', concurrency: 50 });
  });

  it.each([
    [['--label', 'no spaces please'], /--label must be 1-40 letters/],
    [['--label'], /--label.*argument.*see --help/],
    [['--n', '0'], /--n must be a positive integer, got "0"/],
    [['--only', 'e2e,nope'], /--only: unknown section\(s\) nope/],
    [['--colour'], /Unknown option '--colour'.*see --help/],
  ])('refuses %j with a usage error naming the flag', (argv, message) => {
    let caught: unknown;
    try {
      parseOptions(argv, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BenchUsageError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain('\n');
  });
});

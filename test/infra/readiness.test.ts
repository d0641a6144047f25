import { checkReadiness, type ReadinessCheck } from '../../service/readiness';
import { parseListenAddress } from '../../infra/observability-listener';

const passing = (name: ReadinessCheck['name']): ReadinessCheck => ({ name, run: async () => undefined });

describe('readiness', () => {
  it('is ready only when every check passes', async () => {
    const result = await checkReadiness([passing('temporal'), passing('database'), passing('schema'), passing('keys')]);
    expect(result).toEqual({ ready: true, checks: ['temporal', 'database', 'schema', 'keys'].map((name) => ({ name, ok: true })) });
  });

  it('names the failing check and its reason, and still reports the others', async () => {
    const failing: ReadinessCheck = { name: 'schema', run: () => Promise.reject(new Error('run `disclosure db migrate`')) };
    const result = await checkReadiness([passing('database'), failing]);
    expect(result.ready).toBe(false);
    expect(result.checks).toEqual([
      { name: 'database', ok: true },
      { name: 'schema', ok: false, error: 'run `disclosure db migrate`' },
    ]);
  });

  it('gives up on a check that hangs instead of hanging the probe', async () => {
    const hanging: ReadinessCheck = { name: 'temporal', run: () => new Promise(() => undefined) };
    const result = await checkReadiness([hanging, passing('keys')], 50);
    expect(result.ready).toBe(false);
    expect(result.checks[0]).toEqual({ name: 'temporal', ok: false, error: 'no answer within 50 ms' });
  });
});

describe('DISCLOSURE_METRICS_ADDRESS', () => {
  it('takes host:port, IPv6 in brackets, and port 0 for a free one', () => {
    expect(parseListenAddress('V', '127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('V', '[::1]:0')).toEqual({ host: '::1', port: 0 });
  });

  it('refuses anything else, naming the variable, the value and the accepted form', () => {
    expect(() => parseListenAddress('DISCLOSURE_METRICS_ADDRESS', '9464')).toThrow(
      'DISCLOSURE_METRICS_ADDRESS="9464" is not valid: expected host:port, e.g. 127.0.0.1:9464',
    );
    expect(() => parseListenAddress('DISCLOSURE_METRICS_ADDRESS', 'localhost:70000')).toThrow(/at most 65535/);
  });
});

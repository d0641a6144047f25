import { checkReadiness, type ReadinessCheck } from '../../service/readiness';
import { ConfigError, loadConfig } from '../../infra/config';

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
    expect(loadConfig({ DISCLOSURE_METRICS_ADDRESS: '127.0.0.1:9464' }).metricsAddress).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ DISCLOSURE_METRICS_ADDRESS: '[::1]:0' }).metricsAddress).toEqual({ host: '::1', port: 0 });
    expect(loadConfig({}).metricsAddress).toBeUndefined();
  });

  it('refuses anything else at start, naming the variable, the value and the accepted form', () => {
    expect(() => loadConfig({ DISCLOSURE_METRICS_ADDRESS: '9464' })).toThrow(ConfigError);
    expect(() => loadConfig({ DISCLOSURE_METRICS_ADDRESS: '9464' })).toThrow(/DISCLOSURE_METRICS_ADDRESS.*"9464".*host:port, e\.g\. 127\.0\.0\.1:9464/s);
    expect(() => loadConfig({ DISCLOSURE_METRICS_ADDRESS: 'localhost:70000' })).toThrow(/at most 65535/);
  });
});

import { readFile } from 'node:fs/promises';
import { Connection } from '@temporalio/client';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set: run this file with jest.cluster.config.js`);
  return value;
};

describe('the mTLS Temporal server of the cluster tier', () => {
  const address = env('CLUSTER_TEMPORAL_ADDRESS');
  const serverNameOverride = env('CLUSTER_TLS_SERVER_NAME');

  it('serves a client that presents the run certificate and trusts the run CA', async () => {
    const [ca, crt, key] = await Promise.all(['CLUSTER_TLS_CA', 'CLUSTER_TLS_CERT', 'CLUSTER_TLS_KEY'].map((v) => readFile(env(v))));
    const connection = await Connection.connect({ address, tls: { serverNameOverride, serverRootCACertificate: ca!, clientCertPair: { crt: crt!, key: key! } } });
    try {
      const { status } = await connection.healthService.check({});
      expect(status).toBe(1); // SERVING
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBe('1.29.1');
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: env('CLUSTER_TEMPORAL_NAMESPACE') });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  });

  it('refuses a client without a certificate', async () => {
    const ca = await readFile(env('CLUSTER_TLS_CA'));
    await expect(
      Connection.connect({ address, tls: { serverNameOverride, serverRootCACertificate: ca }, connectTimeout: '3 seconds' }).then(async (c) => {
        try {
          await c.workflowService.getSystemInfo({});
        } finally {
          await c.close();
        }
      }),
    ).rejects.toThrow();
  });

  it('is not trusted by a client that trusts another CA', async () => {
    const [other, crt, key] = await Promise.all(['CLUSTER_TLS_OTHER_CA', 'CLUSTER_TLS_CERT', 'CLUSTER_TLS_KEY'].map((v) => readFile(env(v))));
    await expect(
      Connection.connect({ address, tls: { serverNameOverride, serverRootCACertificate: other!, clientCertPair: { crt: crt!, key: key! } }, connectTimeout: '3 seconds' }),
    ).rejects.toThrow();
  });

  it('refuses a plain connection without TLS', async () => {
    await expect(Connection.connect({ address, connectTimeout: '3 seconds' })).rejects.toThrow();
  });
});

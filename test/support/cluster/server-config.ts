import type { RunCertificates } from './certs';

export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

export const PORT_NAMES: readonly (keyof ServerPorts)[] = [
  'frontend',
  'frontendHttp',
  'frontendMembership',
  'history',
  'historyMembership',
  'matching',
  'matchingMembership',
  'worker',
  'workerMembership',
];

export interface ServerConfigInput {
  ports: ServerPorts;
  postgres: { host: string; port: number; user: string };
  certs: RunCertificates;
  dynamicConfigFile: string;
}

const datastore = (pg: ServerConfigInput['postgres'], databaseName: string, maxConns: number) => ({
  sql: {
    pluginName: 'postgres12',
    databaseName,
    connectAddr: `${pg.host}:${pg.port}`,
    connectProtocol: 'tcp',
    user: pg.user,
    password: '',
    maxConns,
    maxIdleConns: maxConns,
    maxConnLifetime: '1h',
  },
});

const service = (grpcPort: number, membershipPort: number, httpPort?: number) => ({
  rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...(httpPort !== undefined ? { httpPort } : {}) },
});

/**
 * The server's configuration for a test run, after the module's `development-postgres12.yaml`:
 * every service on 127.0.0.1 on the given ports, no metrics or pprof listener, and mutual TLS on
 * the frontend (clients must present a certificate from the run's CA). The server's own system
 * worker connects to the frontend with the run's client certificate. Written as JSON, which the
 * server's YAML loader reads.
 */
export function temporalServerConfig(input: ServerConfigInput): Record<string, unknown> {
  const { ports, postgres, certs } = input;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': datastore(postgres, 'temporal', 20),
        'postgres-visibility': datastore(postgres, 'temporal_visibility', 4),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      tls: {
        frontend: {
          server: {
            certFile: certs.server.cert,
            keyFile: certs.server.key,
            requireClientAuth: true,
            clientCaFiles: [certs.ca.cert],
          },
          client: { serverName: certs.serverName, rootCaFiles: [certs.ca.cert] },
        },
        systemWorker: {
          certFile: certs.client.cert,
          keyFile: certs.client.key,
          client: { serverName: certs.serverName, rootCaFiles: [certs.ca.cert] },
        },
      },
    },
    services: {
      frontend: service(ports.frontend, ports.frontendMembership, ports.frontendHttp),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `localhost:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: input.dynamicConfigFile, pollInterval: '10s' },
  };
}

/**
 * Dynamic config: never call out to the internet for a version check; refresh namespaces quickly
 * so a namespace made at start-up is usable in seconds, not after the default interval.
 */
export const DYNAMIC_CONFIG = {
  'frontend.enableServerVersionCheck': [{ value: false }],
  'system.namespaceCacheRefreshInterval': [{ value: '1s' }],
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
} as const;

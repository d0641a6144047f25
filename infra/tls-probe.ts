import tls from 'node:tls';
import type { TemporalSettings } from './temporal-connection';

interface TlsParts {
  serverRootCACertificate?: Uint8Array;
  clientCertPair?: { crt: Uint8Array; key: Uint8Array };
  serverNameOverride?: string;
}

const hostAndPort = (address: string): { host: string; port: number } => {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  return match === null ? { host: address, port: 7233 } : { host: match[1]!, port: Number(match[2]) };
};

/**
 * grpc-js reports a failed TLS handshake only as a connect timeout. After a failed connect, one
 * handshake with the same CA, client pair and server name finds the reason (an untrusted
 * certificate, a demanded client certificate) so the message can name the setting. Bounded to
 * `timeoutMs`; resolves undefined when the handshake works or nothing more is learnt.
 */
export function probeTls(s: TemporalSettings, timeoutMs = 3_000): Promise<string | undefined> {
  if (s.tls === undefined || s.tls === false) return Promise.resolve(undefined);
  const parts: TlsParts = s.tls === true ? {} : (s.tls as TlsParts);
  const { host, port } = hostAndPort(s.address);
  return new Promise((resolve) => {
    let settled = false;
    const done = (reason: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const socket = tls.connect({
      host,
      port,
      servername: parts.serverNameOverride ?? (/^[\d.]+$|:/.test(host) ? undefined : host),
      ...(parts.serverRootCACertificate !== undefined ? { ca: Buffer.from(parts.serverRootCACertificate) } : {}),
      ...(parts.clientCertPair !== undefined
        ? { cert: Buffer.from(parts.clientCertPair.crt), key: Buffer.from(parts.clientCertPair.key) }
        : {}),
      ALPNProtocols: ['h2'],
    });
    // With TLS 1.3 the server judges the client certificate after the client's handshake ends;
    // its alert arrives as the first read, so wait a moment for it.
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('secureConnect', () => setTimeout(() => done(undefined), Math.min(1_000, timeoutMs)));
    socket.on('error', (err: NodeJS.ErrnoException) => done(`${err.code ?? ''} ${err.message}`.trim()));
  });
}

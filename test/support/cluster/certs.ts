import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertPair {
  cert: string;
  key: string;
}

export interface RunCertificates {
  dir: string;
  ca: CertPair;
  server: CertPair;
  client: CertPair;
  /** A CA that signed nothing of this run: trusting it instead of `ca` must fail. */
  otherCa: CertPair;
  serverName: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args, { timeout: 30_000 });
}

async function makeCa(dir: string, name: string): Promise<CertPair> {
  const pair = { cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) };
  await openssl([
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    pair.key,
    '-out',
    pair.cert,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return pair;
}

async function makeLeaf(
  dir: string,
  ca: CertPair,
  name: string,
  usage: 'serverAuth' | 'clientAuth',
  serverName: string,
): Promise<CertPair> {
  const pair = { cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) };
  const csr = path.join(dir, `${name}.csr`);
  const ext = path.join(dir, `${name}.ext`);
  await openssl([
    'req',
    ...EC_KEY,
    '-keyout',
    pair.key,
    '-out',
    csr,
    '-subj',
    `/CN=${usage === 'serverAuth' ? serverName : name}`,
  ]);
  const sans = usage === 'serverAuth' ? `subjectAltName=DNS:${serverName},IP:127.0.0.1\n` : '';
  await writeFile(
    ext,
    `${sans}basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${usage}\n`,
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-out',
    pair.cert,
    '-days',
    '2',
    '-extfile',
    ext,
  ]);
  return pair;
}

/**
 * A CA, a server certificate (for `serverName` and 127.0.0.1) and a client certificate made for
 * one test run with Debian's openssl, plus an unrelated CA for the wrong-CA case. Valid two days;
 * the folder is private to the run (mode 0700) and deleted with it.
 */
export async function makeRunCertificates(dir: string, serverName = 'localhost'): Promise<RunCertificates> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await makeCa(dir, 'run-ca');
  const otherCa = await makeCa(dir, 'other-ca');
  // One after the other: both update the CA's serial file.
  const server = await makeLeaf(dir, ca, 'server', 'serverAuth', serverName);
  const client = await makeLeaf(dir, ca, 'client', 'clientAuth', serverName);
  return { dir, ca, server, client, otherCa, serverName };
}

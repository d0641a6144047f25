import { resolve } from 'node:path';
import { isLoopbackHost } from './smtp-tls';

/**
 * Where copies of the ledger's checkpoints go (DISCLOSURE_WITNESS, `ledger verify --witness`):
 * a folder (ideally on another volume or host), or a witness server reached over HTTPS with a
 * bearer token read from a file, never from the command line.
 */
export type WitnessTarget =
  | { kind: 'folder'; dir: string }
  | { kind: 'https'; url: string; tokenFile: string; caFile?: string | undefined };

export interface WitnessCredentials {
  /** DISCLOSURE_WITNESS_TOKEN_FILE: a file holding the witness server's bearer token. */
  tokenFile?: string | undefined;
  /** DISCLOSURE_WITNESS_CA: a private CA (PEM) to trust for the witness server's certificate. */
  caFile?: string | undefined;
}

export const WITNESS_FORM =
  'a folder path (ideally on another volume or host) or an https:// URL of a witness server (http:// only to loopback)';

const isUrl = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(value);

/** Why `value` cannot be a witness, or undefined when it can. */
export function witnessProblem(value: string, credentials: WitnessCredentials): string | undefined {
  if (!isUrl(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return WITNESS_FORM;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return WITNESS_FORM;
  if (url.username !== '' || url.password !== '') return 'a URL without credentials (the token goes in DISCLOSURE_WITNESS_TOKEN_FILE)';
  if (credentials.tokenFile === undefined) return 'a witness URL needs DISCLOSURE_WITNESS_TOKEN_FILE (a file holding its bearer token)';
  return undefined;
}

/** The target `value` names; check it with witnessProblem first. */
export function witnessTarget(value: string, credentials: WitnessCredentials): WitnessTarget {
  const problem = witnessProblem(value, credentials);
  if (problem !== undefined) throw new Error(problem);
  if (!isUrl(value)) return { kind: 'folder', dir: resolve(value) };
  return {
    kind: 'https',
    url: value.replace(/\/+$/, ''),
    tokenFile: resolve(credentials.tokenFile!),
    caFile: credentials.caFile === undefined ? undefined : resolve(credentials.caFile),
  };
}

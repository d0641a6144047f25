/**
 * When SMTP must be encrypted, and how a failed TLS set-up is reported. Handoffs carry personal
 * data, so TLS is required everywhere except loopback (the local mail catcher never leaves the
 * machine); SMTP_REQUIRE_TLS=false is the explicit way to allow plain SMTP elsewhere.
 */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

const YES = ['1', 'true', 'yes'];
const NO = ['0', 'false', 'no'];

/**
 * TLS required unless the setting says no, or unset and the server is on loopback. A value that
 * is neither yes nor no requires TLS: a typo must not switch encryption off.
 */
export function resolveRequireTls(smtpUrl: string, setting: string | undefined): boolean {
  const value = setting?.trim().toLowerCase();
  if (value === undefined || value === '') return !isLoopbackHost(new URL(smtpUrl).hostname);
  if (YES.includes(value)) return true;
  return !NO.includes(value);
}

/** Node's codes for a certificate that does not verify against the trusted CAs or the host. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isCertificateFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; originalCode?: unknown };
  return [e.code, e.originalCode].some((c) => typeof c === 'string' && CERTIFICATE_CODES.has(c));
}

/** STARTTLS refused or absent while TLS is required (nodemailer's ETLS). */
export function isTlsUnavailable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ETLS';
}

/**
 * The TLS set-up failed in a way the next attempt would repeat: a certificate that does not
 * verify, or a server without STARTTLS where TLS is required. Nothing was sent. It is a
 * configuration problem for a person to fix, so the send is not retried.
 */
export class SmtpTlsError extends Error {
  override name = 'SmtpTlsError';
  readonly code = 'ESMTPTLS';
}

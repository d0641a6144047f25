/**
 * Reads what `ledger verify` needs of a stored record straight from its bytes, without building
 * the record: a single left-to-right pass that confirms the bytes are exactly what canonicalJson
 * writes (no white space, object keys unique and in ascending order, strings escaped and numbers
 * written as JSON.stringify writes them) and picks out the top-level members the columns and the
 * chain are compared with.
 *
 * The scan only ever confirms: it answers `undefined` for anything it does not recognise as
 * canonical, and the caller then judges the body by parsing and re-serialising it. It must never
 * accept bytes that canonicalJson(JSON.parse(bytes)) would not reproduce (a property test holds it
 * to that), because what it accepts is trusted to say what a reader of the record would read.
 */

/** The members of a stored record that verification compares, and where its hash member sits. */
export interface ScannedRecord {
  seq: number;
  recordId: string;
  idempotencyKey: string;
  disclosureId: string;
  kind: string;
  recipientId: string;
  prevHash: string;
  hash: string;
  recordedAt: string;
  subjectIds: string[];
  /** The hash covers the stored bytes without [cutFrom, cutTo): the hash member and one comma beside it. */
  cutFrom: number;
  cutTo: number;
}

/** Deeper nesting than records have is left to the parser (and keeps the scan off the stack limit). */
const MAX_DEPTH = 32;

/**
 * Characters a canonical string writes as an escape (or, for a lone surrogate, that a record
 * would need one for). Bodies without any of them, nearly all, are scanned with every string
 * ending at its next quote; bodies with one are left to the parser.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPES = /[\u0000-\u001f\\\ud800-\udfff]/;

let s = '';
let i = 0;

/** A string at i (no escapes in the body, so it ends at the next quote); i after its closing quote. */
function scanString(): boolean {
  if (s.charCodeAt(i) !== 34) return false;
  const end = s.indexOf('"', i + 1);
  if (end < 0) return false;
  i = end + 1;
  return true;
}

/** A number as JSON.stringify writes it. */
function scanNumber(): boolean {
  const from = i;
  const n = s.length;
  let plain = true;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c === 45 || c === 43 || c === 46 || c === 101 || c === 69) plain = false;
    else break;
  }
  const length = i - from;
  if (length === 0) return false;
  // Digits alone, without a leading zero and short of 2^53: written as JSON.stringify writes them.
  if (plain && length <= 15 && (length === 1 || s.charCodeAt(from) !== 48)) return true;
  // Number() accepts forms JSON does not; JSON.stringify's own output of the value must be the token.
  const token = s.slice(from, i);
  return String(Number(token)) === token;
}

function scanLiteral(word: string): boolean {
  if (!s.startsWith(word, i)) return false;
  i += word.length;
  return true;
}

function scanValue(depth: number): boolean {
  const c = s.charCodeAt(i);
  if (c === 34) return scanString();
  if (c === 123) return scanObject(depth + 1) >= 0;
  if (c === 91) return scanArray(depth + 1);
  if (c === 116) return scanLiteral('true');
  if (c === 102) return scanLiteral('false');
  if (c === 110) return scanLiteral('null');
  return scanNumber();
}

function scanArray(depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  i++;
  if (s.charCodeAt(i) === 93) {
    i++;
    return true;
  }
  for (;;) {
    if (!scanValue(depth)) return false;
    const c = s.charCodeAt(i++);
    if (c === 93) return true;
    if (c !== 44) return false;
  }
}

/** Whether the key at [a, a + aLength) sorts strictly before the one at [b, b + bLength), as `<` sorts strings. */
function keyBefore(a: number, aLength: number, b: number, bLength: number): boolean {
  const n = Math.min(aLength, bLength);
  for (let k = 0; k < n; k++) {
    const x = s.charCodeAt(a + k);
    const y = s.charCodeAt(b + k);
    if (x !== y) return x < y;
  }
  return aLength < bLength;
}

/**
 * Members a caller picks out: called with the key's place once its colon is passed; it scans the
 * value itself (true or false) or leaves it to the generic scan (undefined).
 */
type Pick = (keyFrom: number, keyLength: number) => boolean | undefined;

/** An object at i, keys unique and ascending; -1 when it is not canonical. */
function scanObject(depth: number, pick?: Pick): number {
  if (depth > MAX_DEPTH) return -1;
  i++;
  if (s.charCodeAt(i) === 125) {
    i++;
    return 0;
  }
  let previousFrom = -1;
  let previousLength = 0;
  let members = 0;
  for (;;) {
    const keyFrom = i + 1;
    if (!scanString()) return -1;
    const keyLength = i - 1 - keyFrom;
    // canonicalJson sorts keys with `<`; Object.entries gives each key once.
    if (previousFrom >= 0 && !keyBefore(previousFrom, previousLength, keyFrom, keyLength)) return -1;
    previousFrom = keyFrom;
    previousLength = keyLength;
    if (s.charCodeAt(i++) !== 58) return -1;
    const own = pick?.(keyFrom, keyLength);
    if (own === false || (own === undefined && !scanValue(depth))) return -1;
    members++;
    const c = s.charCodeAt(i++);
    if (c === 125) return members;
    if (c !== 44) return -1;
  }
}

/** A string value at i; undefined when the value is not a string. */
function stringValue(): string | undefined {
  const from = i + 1;
  return scanString() ? s.slice(from, i - 1) : undefined;
}

// What the top-level scan found; reset per record.
let seq: number | undefined;
let recordId: string | undefined;
let idempotencyKey: string | undefined;
let disclosureId: string | undefined;
let kind: string | undefined;
let recipientId: string | undefined;
let prevHash: string | undefined;
let hash: string | undefined;
let recordedAt: string | undefined;
let subjectIds: string[] | undefined;
let hashFrom = -1;
let hashTo = -1;

const is = (word: string, from: number, length: number): boolean => length === word.length && s.startsWith(word, from);

/** Picks out the members verification compares; any of them in an unusual shape ends the scan. */
function topLevel(from: number, length: number): boolean | undefined {
  switch (s.charCodeAt(from)) {
    case 100:
      if (is('disclosureId', from, length)) return (disclosureId = stringValue()) !== undefined;
      return undefined;
    case 104:
      if (!is('hash', from, length)) return undefined;
      hashFrom = from - 1;
      hash = stringValue();
      hashTo = i;
      return hash !== undefined;
    case 105:
      if (is('idempotencyKey', from, length)) return (idempotencyKey = stringValue()) !== undefined;
      return undefined;
    case 107:
      if (is('kind', from, length)) return (kind = stringValue()) !== undefined;
      return undefined;
    case 112:
      if (is('prevHash', from, length)) return (prevHash = stringValue()) !== undefined;
      return undefined;
    case 114:
      if (is('recordId', from, length)) return (recordId = stringValue()) !== undefined;
      if (is('recordedAt', from, length)) return (recordedAt = stringValue()) !== undefined;
      if (!is('recipient', from, length)) return undefined;
      if (s.charCodeAt(i) !== 123) return false;
      return scanObject(2, (k, n) => (is('id', k, n) ? (recipientId = stringValue()) !== undefined : undefined)) >= 0;
    case 115:
      if (is('seq', from, length)) {
        const at = i;
        if (!scanNumber()) return false;
        seq = Number(s.slice(at, i));
        return true;
      }
      if (is('subjectIds', from, length)) return subjectIdsValue();
      return undefined;
    default:
      return undefined;
  }
}

function subjectIdsValue(): boolean {
  if (s.charCodeAt(i) !== 91) return false;
  const ids: string[] = [];
  i++;
  if (s.charCodeAt(i) === 93) {
    i++;
  } else {
    for (;;) {
      const id = stringValue();
      if (id === undefined) return false;
      ids.push(id);
      const c = s.charCodeAt(i++);
      if (c === 93) break;
      if (c !== 44) return false;
    }
  }
  subjectIds = ids;
  return true;
}

/**
 * The members verification compares, when `body` is a canonical record with all of them in their
 * usual shape (strings, a numeric seq, a recipient object with an id, string customer ids);
 * undefined otherwise, for the caller to judge the body by parsing it.
 */
export function scanCanonicalRecord(body: string): ScannedRecord | undefined {
  s = body;
  i = 0;
  seq = recordId = idempotencyKey = disclosureId = kind = recipientId = prevHash = hash = recordedAt = undefined;
  subjectIds = undefined;
  hashFrom = hashTo = -1;
  const whole = !NEEDS_ESCAPES.test(body) && s.charCodeAt(0) === 123 && scanObject(1, topLevel) >= 0 && i === s.length;
  s = '';
  if (
    !whole ||
    seq === undefined ||
    recordId === undefined ||
    idempotencyKey === undefined ||
    disclosureId === undefined ||
    kind === undefined ||
    recipientId === undefined ||
    prevHash === undefined ||
    hash === undefined ||
    recordedAt === undefined
  ) {
    return undefined;
  }
  // Cut the member and one of its commas (it is never the only member: seq and the rest are there).
  const [cutFrom, cutTo] = body.charCodeAt(hashFrom - 1) === 44 ? [hashFrom - 1, hashTo] : [hashFrom, hashTo + 1];
  return {
    seq,
    recordId,
    idempotencyKey,
    disclosureId,
    kind,
    recipientId,
    prevHash,
    hash,
    recordedAt,
    subjectIds: subjectIds ?? [],
    cutFrom,
    cutTo,
  };
}

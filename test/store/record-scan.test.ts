import fc from 'fast-check';
import { canonicalJson } from '../../domain/canonical';
import type { DisclosureRecord, DisclosureRecordInput } from '../../domain/record';
import { buildRecord, GENESIS_HASH, sha256Hex } from '../../store/chain';
import { scanCanonicalRecord, type ScannedRecord } from '../../store/record-scan';
import { recordInput } from '../ledger/records';

const record = (n: number, extra: Partial<DisclosureRecordInput> | { details: unknown } = {}): DisclosureRecord =>
  buildRecord({ ...recordInput(n), ...extra } as DisclosureRecordInput, n, '2026-05-01T10:00:01.000Z', GENESIS_HASH);

/** What verification reads of a body, the slow way. */
function expected(body: string): Omit<ScannedRecord, 'cutFrom' | 'cutTo'> {
  const r = JSON.parse(body) as DisclosureRecord;
  return {
    seq: r.seq,
    recordId: r.recordId,
    idempotencyKey: r.idempotencyKey,
    disclosureId: r.disclosureId,
    kind: r.kind,
    recipientId: (r.recipient as { id?: unknown } | undefined)?.id as string,
    prevHash: r.prevHash,
    hash: r.hash,
    recordedAt: r.recordedAt,
    // Verification reads a missing customer list as none.
    subjectIds: Array.isArray(r.subjectIds) ? r.subjectIds : [],
  };
}

const covered = (body: string, s: ScannedRecord): string => body.slice(0, s.cutFrom) + body.slice(s.cutTo);

/** Whatever the scan accepts must be canonical JSON and must say what a parser reads. */
function holdsUp(body: string): boolean {
  const scanned = scanCanonicalRecord(body);
  if (scanned === undefined) return true;
  const { cutFrom: _f, cutTo: _t, ...members } = scanned;
  expect(canonicalJson(JSON.parse(body))).toBe(body);
  expect(members).toEqual(expected(body));
  const { hash: _h, ...rest } = JSON.parse(body) as DisclosureRecord;
  expect(covered(body, scanned)).toBe(canonicalJson(rest));
  return true;
}

describe('reading a stored record from its canonical bytes', () => {
  test('a record as the ledger stores it gives its members, and the bytes its hash covers', () => {
    const r = record(3);
    const body = canonicalJson(r);
    const scanned = scanCanonicalRecord(body)!;
    expect(scanned).toMatchObject(expected(body));
    expect(sha256Hex(covered(body, scanned))).toBe(r.hash);
  });

  test('records with text outside ASCII, empty customers and nested look-alike members read the same as parsed', () => {
    const bodies = [
      canonicalJson(record(4, { purpose: '目録の送付', details: { kind: 'legal', seq: 7, hash: 'x', recipient: { id: 'R-X' } } })),
      canonicalJson(record(5, { subjectIds: [] })),
      canonicalJson(record(6, { details: { n: 1.5, big: 1e21, neg: -3, t: true, f: false, z: null, a: [[], {}, [1, 'a']] } })),
    ];
    for (const body of bodies) {
      const scanned = scanCanonicalRecord(body);
      expect(scanned).toBeDefined();
      holdsUp(body);
    }
  });

  test('bodies a parser must judge are left to it: escapes, white space, key order, number forms, duplicates', () => {
    const body = canonicalJson(record(7));
    const variants = [
      canonicalJson(record(7, { purpose: 'say "hi"' })),
      canonicalJson(record(7, { purpose: 'line\nbreak' })),
      canonicalJson(record(7, { purpose: 'emoji 😀' })),
      JSON.stringify(JSON.parse(body), null, 1),
      body.replace('"seq":7', '"seq":7.0'),
      body.replace('"seq":7', '"seq":7e0'),
      body.replace('{"', '{"seq":7,"'),
      body.replace('"kind":', '"kind":"legal","kind":'),
      body.replace('"purpose":', '"zzz":1,"purpose":'),
      body.replace('"purpose":"', '"purpose":"\u0001'),
      body.replace('"purpose":"', '"purpose":"\ud800'),
      `${body} `,
      body.slice(0, -1),
    ];
    for (const v of variants) expect(scanCanonicalRecord(v)).toBeUndefined();
  });

  test('property: any record with arbitrary extra members, mutated or not, is read right or left to the parser', () => {
    const extraMembers = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
    const mutation = fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 3 }),
      insert: fc.constantFrom('', ' ', ',', '"', '\\', '\\"', '{', '}', '[', ']', ':', '0', '-', '.', 'e', '\u0000', '\ud800', 'é', '"a":1,'),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 28 }), extraMembers, fc.option(mutation), (n, extra, m) => {
        let body = canonicalJson(record(n, { details: extra }));
        if (m !== null) {
          const at = m.at % (body.length + 1);
          body = body.slice(0, at) + m.insert + body.slice(at + m.cut);
        } else if (!/[\\\ud800-\udfff]/.test(body)) {
          // Canonical and without escapes: the scan reads it itself.
          expect(scanCanonicalRecord(body)).toBeDefined();
        }
        return holdsUp(body);
      }),
      { numRuns: 1500 },
    );
  });
});

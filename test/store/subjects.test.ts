import { BACKENDS, type Ledger } from '../ledger/backends';
import { hanako } from '../support/fixtures';

const customer = (i: number) => ({ ...hanako, id: `C-${String(i).padStart(5, '0')}`, surveyOptOut: i % 7 === 0 });

describe.each(BACKENDS)('reading many customers at once on $name', (backend) => {
  let l: Ledger;
  beforeAll(() => backend.start(), 120_000);
  afterAll(() => backend.stop());
  beforeEach(async () => {
    l = await backend.ledger();
  });
  afterEach(() => l.dispose());

  test('getSubjects returns exactly the customers on file, across several batches, each as getSubject reads it', async () => {
    const subjects = Array.from({ length: 2_500 }, (_, i) => customer(i + 1));
    await l.store.putSubjects(subjects);
    const asked = [...subjects.map((s) => s.id), 'C-MISSING-1', 'C-00001', 'C-MISSING-2'];
    const found = await l.store.getSubjects(asked);
    expect(found.size).toBe(2_500);
    expect(found.has('C-MISSING-1')).toBe(false);
    for (const id of ['C-00001', 'C-01000', 'C-01001', 'C-02500', 'C-00007']) expect(found.get(id)).toEqual(await l.store.getSubject(id));
    expect(found.get('C-00007')?.surveyOptOut).toBe(true);
  });

  test('getSubjects of no ids, or of ids none of which is on file, is empty', async () => {
    await l.store.putSubjects([customer(1)]);
    expect((await l.store.getSubjects([])).size).toBe(0);
    expect((await l.store.getSubjects(['C-NOPE', "C-'; DROP TABLE subjects; --"])).size).toBe(0);
    expect(await l.store.getSubject('C-00001')).toBeDefined();
  });
});

import { readFile } from 'node:fs/promises';

/**
 * Temporal evaluates the whole workflow bundle again for every workflow it runs, so the
 * schema library must stay out of it: workflows import only zod-free domain modules.
 */
test('the workflow bundle the worker loads does not include zod', async () => {
  const bundle = await readFile(process.env.TEST_WORKFLOW_BUNDLE!, 'utf8');
  expect(bundle).toContain('workflows/handoff');
  expect(bundle).toContain('domain/deciders/dealer-catalog');
  expect(bundle).not.toMatch(/node_modules\/zod\//);
});

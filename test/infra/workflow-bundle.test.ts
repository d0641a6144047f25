import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundledProjectModules, prebuiltWorkflowBundle } from '../../workers/workflow-bundle';

describe('the prebuilt workflow bundle', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-bundle-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test("names the project's own modules in a bundle, not the libraries'", async () => {
    const code = await readFile(process.env.TEST_WORKFLOW_BUNDLE!, 'utf8');
    const modules = bundledProjectModules(code);
    expect(modules).toContain('./workflows/index.ts');
    expect(modules.some((m) => m.includes('node_modules'))).toBe(false);
  });

  async function writeBundle(moduleContent: string, digestOf: string): Promise<string> {
    await mkdir(path.join(dir, 'workflows'));
    await writeFile(path.join(dir, 'workflows', 'index.js'), moduleContent);
    const { createHash } = await import('node:crypto');
    await writeFile(path.join(dir, 'workflow-bundle.js'), '/* bundle */');
    await writeFile(
      path.join(dir, 'workflow-bundle.manifest.json'),
      JSON.stringify({ modules: { 'workflows/index.js': createHash('sha256').update(digestOf).digest('hex') } }),
    );
    return path.join(dir, 'workflow-bundle.js');
  }

  test('is used when every module in it is unchanged', async () => {
    const bundle = await writeBundle('exports.a = 1;', 'exports.a = 1;');
    expect(prebuiltWorkflowBundle(bundle)).toBe(bundle);
  });

  test('is not used once a module in it changed (compiled again without bundling), nor without its manifest', async () => {
    const bundle = await writeBundle('exports.a = 2;', 'exports.a = 1;');
    expect(prebuiltWorkflowBundle(bundle)).toBeUndefined();
    await rm(path.join(dir, 'workflow-bundle.manifest.json'));
    expect(prebuiltWorkflowBundle(bundle)).toBeUndefined();
  });

  test('is not used when a module it names is gone', async () => {
    const bundle = await writeBundle('exports.a = 1;', 'exports.a = 1;');
    await rm(path.join(dir, 'workflows', 'index.js'));
    expect(prebuiltWorkflowBundle(bundle)).toBeUndefined();
  });
});

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/data-converter';

/**
 * The workflow bundle `npm run build` writes beside the compiled code (dist/workflow-bundle.js),
 * so that a worker or `audit replay` loads it instead of bundling the workflows at every start.
 * A manifest beside it holds the digest of every project module the bundle contains; a bundle
 * whose modules changed since (compiled again without bundling) is stale and not used.
 */
const HERE = path.resolve(__dirname, '..');
export const PREBUILT_BUNDLE = path.join(HERE, 'workflow-bundle.js');
const manifestOf = (bundle: string): string => bundle.replace(/\.js$/, '.manifest.json');

interface BundleManifest {
  /** Module path relative to the bundle's folder → sha256 of its content when bundled. */
  modules: Record<string, string>;
}

const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The project's own modules in a webpack bundle: its `/***\/ "./dist/…js"` module headers. */
export function bundledProjectModules(code: string): string[] {
  const ids = [...code.matchAll(/^\/\*\*\*\/ "(\.\/[^"]+\.[cm]?[jt]s)"$/gm)].map((m) => m[1]!);
  return [...new Set(ids.filter((id) => !id.includes('node_modules/')))];
}

/** Bundles the workflows (the compiled ones next to this file) and writes bundle and manifest. */
export async function writeWorkflowBundle(out = PREBUILT_BUNDLE): Promise<{ path: string; modules: number; bytes: number }> {
  const context = process.cwd();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    // Failures raised inside workflows are encrypted like every other payload (infra/failure-converter).
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  const dir = path.dirname(out);
  const modules: Record<string, string> = {};
  for (const id of bundledProjectModules(code)) {
    const file = path.resolve(context, id);
    modules[path.relative(dir, file)] = digest(file);
  }
  if (Object.keys(modules).length === 0) throw new Error('the workflow bundle names no project module: cannot tell when it is stale');
  await mkdir(dir, { recursive: true });
  await writeFile(`${out}.tmp`, code);
  await writeFile(manifestOf(out), `${JSON.stringify({ modules } satisfies BundleManifest, null, 1)}\n`);
  await rename(`${out}.tmp`, out);
  return { path: out, modules: Object.keys(modules).length, bytes: code.length };
}

/**
 * The prebuilt bundle when it exists and every module in it is unchanged; undefined otherwise
 * (then the caller bundles the workflow sources itself, as before).
 */
export function prebuiltWorkflowBundle(bundle = PREBUILT_BUNDLE): string | undefined {
  try {
    const { modules } = JSON.parse(readFileSync(manifestOf(bundle), 'utf8')) as BundleManifest;
    const dir = path.dirname(bundle);
    const entries = Object.entries(modules);
    if (entries.length === 0 || entries.some(([file, sha]) => digest(path.join(dir, file)) !== sha)) return undefined;
    return existsSync(bundle) ? bundle : undefined;
  } catch {
    return undefined;
  }
}

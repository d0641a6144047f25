import { constants } from 'node:fs';
import { lstat, open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { InputError } from './errors';

/**
 * The files of an evidence bundle, read only through the names found inside it. A bundle is a
 * folder (`audit export --out`) or the tar the console offers; either way every read is of a
 * regular file inside the bundle, never of a path a manifest or a link points to.
 */
export interface BundleFiles {
  /** What the auditor named: the folder or the tar file. */
  label: string;
  /** Every file in the bundle, as `a/b.json` relative to its root. */
  paths: string[];
  read(path: string): Promise<string>;
}

const bad = (field: string, message: string) => new InputError([{ field, message }]);

/**
 * A relative path with no way out: no leading `/`, no drive or backslash, no `.` or `..`
 * segment, no empty segment, no control characters. Returns what is wrong, or undefined.
 */
export function unsafePathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(path)) return 'contains a backslash or a control character';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is an absolute path';
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..'))
    return 'leaves or escapes the bundle folder (an empty, "." or ".." segment)';
  return undefined;
}

function assertSafe(field: string, path: string): void {
  const problem = unsafePathProblem(path);
  if (problem !== undefined)
    throw bad(field, `${JSON.stringify(path)} ${problem}; a bundle names only files inside itself`);
}

async function walk(root: string, sub = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, sub), { withFileTypes: true })) {
    const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await walk(root, rel)));
    else if (entry.isFile()) out.push(rel);
    else
      throw bad(
        'DIR',
        `${rel} in the bundle is ${entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; a bundle holds only files`,
      );
  }
  return out;
}

/** Opens without following a link in the last step, should one appear after the walk. */
async function readNoFollow(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function folderBundle(dir: string): Promise<BundleFiles> {
  const paths = await walk(dir);
  const known = new Set(paths);
  return {
    label: dir,
    paths,
    read: async (path) => {
      if (!known.has(path)) throw Object.assign(new Error(`${path} is not in the bundle`), { code: 'ENOENT' });
      return readNoFollow(join(dir, path));
    },
  };
}

/** The entries of a tar, each a regular file under one top folder (the console's `evidence/`). */
async function tarBundle(file: string): Promise<BundleFiles> {
  const data = await readFile(file);
  const files = new Map<string, string>();
  const x = extract();
  const done = new Promise<void>((resolve, reject) => {
    x.on('entry', (header, stream, next) => {
      const name = header.name.replace(/\/+$/, '');
      const problem = unsafePathProblem(name);
      const wrongType = header.type !== 'file' && header.type !== 'directory';
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (problem !== undefined) return reject(bad('TAR', `entry ${JSON.stringify(header.name)} ${problem}`));
        if (wrongType)
          return reject(
            bad('TAR', `entry ${header.name} is a ${header.type ?? 'special entry'}; a bundle holds only files`),
          );
        if (header.type === 'file') files.set(name, Buffer.concat(chunks).toString('utf8'));
        next();
      });
      stream.resume();
    });
    x.on('finish', resolve);
    x.on('error', (err: Error) => reject(bad('TAR', `is not a readable tar (${err.message})`)));
  });
  x.end(data);
  await done;
  const tops = new Set([...files.keys()].map((n) => n.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || top === undefined || files.has(top))
    throw bad('TAR', 'the bundle files must sit in one top folder, as the console writes them');
  const inner = new Map([...files].map(([n, c]) => [n.slice(top.length + 1), c]));
  return {
    label: file,
    paths: [...inner.keys()],
    read: async (path) => {
      const content = inner.get(path);
      if (content === undefined) throw Object.assign(new Error(`${path} is not in the bundle`), { code: 'ENOENT' });
      return content;
    },
  };
}

/** A folder, or a tar file, as the auditor named it. */
export async function openBundle(path: string): Promise<BundleFiles> {
  const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    throw bad('DIR', `cannot read ${path}: ${err.code ?? err.message}`);
  });
  // The auditor's own link to a bundle is followed; links inside it are not.
  const target = st.isSymbolicLink() ? await stat(path) : st;
  if (target.isDirectory()) return folderBundle(path);
  if (target.isFile()) return tarBundle(path);
  throw bad('DIR', `${path} is neither a bundle folder nor a tar file`);
}

/** Every file the manifest lists must be a safe relative name; checked before anything is read. */
export function assertManifestPaths(files: Record<string, string>): void {
  for (const path of Object.keys(files)) assertSafe('manifest.json files', path);
}

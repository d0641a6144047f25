import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The SQLite file holds every customer's data: it is created readable by its owner only
 * (SQLite gives its -wal and -shm files the same mode), whatever the umask, and an existing
 * file of ours is narrowed to that too.
 */
export function ensurePrivateDatabaseFile(path: string, create: boolean): void {
  if (path === ':memory:') return;
  if (create) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) {
    if (create) closeSync(openSync(path, 'a', 0o600));
    return;
  }
  try {
    chmodSync(path, 0o600);
  } catch {
    // Someone else's file, opened read-only for them: its mode is theirs to set.
  }
}

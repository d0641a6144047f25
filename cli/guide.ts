import { closest, distance } from 'fastest-levenshtein';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from './command';
import { commandHelp } from './help';

/** The package's version, from the checkout's package.json (sources and `dist/` alike). */
export function engineVersion(): string {
  const root = resolve(__dirname, __dirname.endsWith(join('dist', 'cli')) ? '../..' : '..');
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `disclosure ledger --help`, `disclosure help api token`: one command's help, or a group's commands. */
export function helpFor(words: string[], commands: readonly Command[]): string | undefined {
  const name = words.join(' ');
  const exact = commands.find((c) => c.name === name);
  if (exact !== undefined) return commandHelp(exact);
  const group = commands.filter((c) => c.name.startsWith(`${name} `));
  if (words.length === 0 || group.length === 0) return undefined;
  const width = Math.max(...group.map((c) => c.name.length));
  return [`disclosure ${name} — commands:`, ...group.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), '', `disclosure ${group[0]!.name} --help shows one in full.`].join('\n');
}

/** The nearest command name to a mistyped one, when it is near enough to be what was meant. */
export function didYouMean(words: string[], commands: readonly Command[]): string | undefined {
  const typed = words.join(' ');
  if (typed === '') return undefined;
  const names = commands.map((c) => c.name.split(' ').slice(0, Math.max(1, words.length)).join(' '));
  const best = closest(typed, names);
  return distance(typed, best) <= Math.max(2, Math.floor(typed.length / 3)) ? best : undefined;
}

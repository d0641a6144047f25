import { parseArgs } from 'node:util';
import { loadConfig } from '../infra/config';
import { InputError } from '../service/errors';
import type { Command, OptionValues } from './command';
import { COMMANDS } from './commands';
import { createEnv, type ManagedEnv } from './env';
import { EXIT, reportError } from './errors';
import { didYouMean, engineVersion, helpFor } from './guide';
import { commandHelp, overview } from './help';

export interface Io {
  stdout(text: string): void;
  /** Writes exactly what it is given, with no line end added; `stdout` is used without it. */
  write?(bytes: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(`${t}\n`),
  write: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(`${t}\n`),
  env: process.env,
};

/** The longest list of leading words that names a command: `request dealer-catalog`, `status`. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  for (let n = Math.min(3, words.length); n > 0; n--) {
    const name = words.slice(0, n).join(' ');
    const command = COMMANDS.find((c) => c.name === name);
    if (command !== undefined && argv.slice(0, n).join(' ') === name) return { command, rest: argv.slice(n) };
  }
  return undefined;
}

function parse(command: Command, rest: string[]): { values: OptionValues; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(Object.entries(command.options).map(([k, o]) => [k, { type: o.type }])),
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new InputError([{ field: 'arguments', message: (err as Error).message }]);
  }
  const values = parsed.values as OptionValues;
  if (values.help !== true) {
    const missing = Object.entries(command.options).filter(([k, o]) => o.required === true && values[k] === undefined);
    if (missing.length > 0) {
      throw new InputError(missing.map(([k, o]) => ({ field: `--${k}`, message: `is required (${o.description})` })));
    }
  }
  return { values, positionals: parsed.positionals };
}

/** Runs one command; returns the exit code. Everything printed on stdout with --json is one JSON document. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const json = argv.includes('--json');
  const found = findCommand(argv);
  if (found === undefined) {
    const words = argv.filter((a) => !a.startsWith('-'));
    if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
      io.stdout(json ? JSON.stringify({ version: engineVersion() }) : `disclosure ${engineVersion()}`);
      return EXIT.ok;
    }
    const helpWords = argv[0] === 'help' ? words.slice(1) : argv.includes('--help') || argv.includes('-h') ? words : undefined;
    const help = helpWords !== undefined ? helpFor(helpWords, COMMANDS) : undefined;
    if (help !== undefined) {
      io.stdout(help);
      return EXIT.ok;
    }
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.stdout(json ? JSON.stringify({ commands: COMMANDS.map((c) => ({ name: c.name, summary: c.summary })) }) : overview(COMMANDS));
      return EXIT.ok;
    }
    const near = didYouMean(words, COMMANDS);
    const hint = near !== undefined ? ` — did you mean "${near}"? See` : '; see';
    const report = reportError(new InputError([{ field: 'command', message: `unknown command "${words.join(' ')}"${hint} disclosure --help` }]));
    (json ? io.stdout : io.stderr)(json ? JSON.stringify(report.json) : report.text);
    return report.exitCode;
  }
  let env: ManagedEnv | undefined;
  try {
    const { values, positionals } = parse(found.command, found.rest);
    if (values.help === true) {
      io.stdout(commandHelp(found.command));
      return EXIT.ok;
    }
    // Every setting is checked before anything starts: a bad one is exit 2, naming it.
    env = createEnv(loadConfig(io.env), json, io.stderr, io.env);
    const out = await found.command.run(env, values, positionals);
    if (!json && out.file !== undefined) (io.write ?? io.stdout)(out.file);
    else io.stdout(json ? JSON.stringify(out.json, null, 2) : out.text);
    return out.exitCode ?? EXIT.ok;
  } catch (err) {
    const report = reportError(err);
    if (json) io.stdout(JSON.stringify(report.json, null, 2));
    else io.stderr(report.text);
    return report.exitCode;
  } finally {
    await env?.close().catch(() => undefined);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(EXIT.other);
    },
  );
}

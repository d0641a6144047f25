import type { Command } from './command';

export function commandHelp(c: Command): string {
  const usage = [`disclosure ${c.name}`, ...(c.positionals ?? [])];
  for (const [name, o] of Object.entries(c.options)) {
    const flag = o.type === 'boolean' ? `--${name}` : `--${name} ${o.value ?? 'VALUE'}`;
    usage.push(o.required === true ? flag : `[${flag}]`);
  }
  usage.push('[--json]');
  const width = Math.max(8, ...Object.keys(c.options).map((k) => k.length + 2));
  const lines = [c.summary, '', `usage: ${usage.join(' ')}`, '', 'options:'];
  for (const [name, o] of Object.entries(c.options)) lines.push(`  --${name.padEnd(width)} ${o.description}`);
  lines.push(`  --${'json'.padEnd(width)} print exactly one JSON document on stdout`);
  lines.push('', 'examples:', ...c.examples.map((e) => `  ${e}`));
  lines.push('', 'exit codes: 0 done, 2 bad input, 3 refused by policy, 4 tampering or replay mismatch, 1 other');
  return lines.join('\n');
}

export function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'disclosure — third-party disclosure engine: consent- and law-checked, minimum-field handoffs with an immutable record',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --json (one JSON document on stdout) and --help (details and an example).',
    'Configuration: DISCLOSURE_HOME, DISCLOSURE_DB, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, SMTP_URL (see README).',
  ].join('\n');
}

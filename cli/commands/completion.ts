import { InputError } from '../../service/errors';
import type { Command } from '../command';

/** Every first word, and for each, the words that may follow it (`api` → `token serve`). */
function wordTree(names: string[]): Map<string, Set<string>> {
  const tree = new Map<string, Set<string>>();
  for (const name of names) {
    const [first = '', second] = name.split(' ');
    const next = tree.get(first) ?? tree.set(first, new Set()).get(first)!;
    if (second !== undefined) next.add(second);
  }
  return tree;
}

export function completionScript(shell: 'bash' | 'zsh', names: string[]): string {
  const tree = wordTree(names);
  const cases = [...tree].filter(([, next]) => next.size > 0).map(([first, next]) => `    ${first}) words="${[...next].join(' ')}" ;;`).join('\n');
  const bash = [
    '_disclosure() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" words',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    words="${[...tree.keys()].join(' ')} help --version --help"`,
    '  else',
    '  case "${COMP_WORDS[1]}" in',
    cases,
    '    *) words="--json --help" ;;',
    '  esac',
    '  fi',
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '}',
    'complete -F _disclosure disclosure',
  ].join('\n');
  return shell === 'bash' ? `${bash}\n` : `autoload -U +X bashcompinit && bashcompinit\n${bash}\n`;
}

export const completion: Command = {
  name: 'completion',
  summary: 'print a shell completion script: eval "$(disclosure completion bash)" (or zsh)',
  positionals: ['bash|zsh'],
  options: {},
  examples: ['disclosure completion bash > ~/.local/share/bash-completion/completions/disclosure', 'eval "$(disclosure completion zsh)"'],
  async run(_env, _v, positionals) {
    const [shell] = positionals;
    if (shell !== 'bash' && shell !== 'zsh') throw new InputError([{ field: 'shell', message: 'bash or zsh' }]);
    const { COMMANDS } = await import('./index');
    const script = completionScript(shell, COMMANDS.map((c) => c.name));
    return { json: { shell, script }, text: script.trimEnd() };
  },
};

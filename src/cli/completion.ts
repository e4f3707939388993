/**
 * Shell completion scripts generated from commander's command tree (no hand-kept lists): every
 * visible command and subcommand (`alerts show`), its options and its arguments. An option's
 * value completes by what it is: its choices (Option.argChoices, which cli/options.ts
 * choiceOption sets from the registries: output formats, methods, quorum rules, unsafe variants),
 * a fault kind (`--fault`: config/faults.ts FAULT_KINDS, as `kind:`), a file (`<file>`), a
 * directory (`<dir>`), or nothing (numbers, durations, seeds). Arguments complete their choices
 * (the demo names, the shells, `help`'s command names) or files. A new command, option or choice
 * completes as soon as it is registered.
 */
import type { Argument, Command, Option } from 'commander';
import { FAULT_KINDS } from '../config/index.js';

/** How an option's value completes. */
type ValueKind = 'choices' | 'prefixes' | 'file' | 'dir' | 'none';

interface OptionSpec {
  readonly flags: string[];
  readonly description: string;
  readonly takesValue: boolean;
  readonly kind: ValueKind;
  /** the choices, or the prefixes (`kill:`) completed without a trailing space */
  readonly words: readonly string[];
  /** the value's placeholder (`seed` of `--seed <seed>`), the zsh message */
  readonly placeholder: string;
}

/** What completion needs of one command. */
interface Spec {
  readonly name: string;
  /** from the program down, e.g. ['alerts', 'show']; [] for the program */
  readonly path: readonly string[];
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** the values its positional arguments complete: their choices, or files; none without arguments */
  readonly positional: { readonly kind: 'choices' | 'file' | 'none'; readonly words: readonly string[] };
  readonly subcommands: readonly Spec[];
}

/** Values that are texts with a keyword before a colon, by option flag: `--fault kill:1@30s` (run, plan, dr). */
const VALUE_PREFIXES: ReadonlyMap<string, () => readonly string[]> = new Map([['--fault', () => FAULT_KINDS.map((k) => `${k}:`)]]);

function optionSpec(o: Option): OptionSpec {
  const placeholder = /[<[]([^>\]]+?)(?:\.\.\.)?[>\]]/.exec(o.flags)?.[1] ?? 'value';
  const prefixes = o.long === undefined ? undefined : VALUE_PREFIXES.get(o.long);
  const kind: ValueKind = (o.argChoices ?? []).length > 0 ? 'choices' : prefixes !== undefined ? 'prefixes' : /^(file|files)$/.test(placeholder) ? 'file' : placeholder === 'dir' ? 'dir' : 'none';
  return {
    flags: [o.short, o.long].filter((f): f is string => f !== undefined),
    // a help text may name this machine (`all cores, 2 here`): a saved script must not
    description: o.description.replace(/, \d+ here\b/g, ''),
    takesValue: o.required || o.optional,
    kind,
    words: kind === 'choices' ? (o.argChoices ?? []) : kind === 'prefixes' ? (prefixes?.() ?? []) : [],
    placeholder,
  };
}

function positionalOf(args: readonly Argument[], helpChoices: readonly string[] | null): Spec['positional'] {
  if (helpChoices !== null) return { kind: 'choices', words: helpChoices };
  const choices = args.flatMap((a) => a.argChoices ?? []);
  if (choices.length > 0) return { kind: 'choices', words: choices };
  return { kind: args.length > 0 ? 'file' : 'none', words: [] };
}

function specOf(cmd: Command, path: readonly string[], parent: Command | null): Spec {
  const help = cmd.createHelp();
  const subs = help.visibleCommands(cmd);
  const own = subs.filter((c) => c.name() !== 'help');
  // commander's implicit `help [command]` (at the root and under a command with subcommands) takes a command name
  const helpChoices = parent !== null && cmd.name() === 'help' ? parent.createHelp().visibleCommands(parent).map((c) => c.name()).filter((n) => n !== 'help') : null;
  return {
    name: cmd.name(),
    path,
    description: cmd.description(),
    options: help.visibleOptions(cmd).map(optionSpec),
    positional: positionalOf(help.visibleArguments(cmd), helpChoices),
    subcommands: own.length > 0 ? subs.map((c) => specOf(c, [...path, c.name()], cmd)) : [],
  };
}

/** The program's spec, its subcommands' below it (commander's implicit `help` included). */
export function completionTree(program: Command): Spec {
  return specOf(program, [], null);
}

/** The program's own spec and one per visible subcommand (commander's implicit `help` included). */
export function completionSpecs(program: Command): { root: Spec; commands: readonly Spec[] } {
  const root = completionTree(program);
  return { root, commands: root.subcommands };
}

/** Every spec with subcommands below `s`, `s` first. */
function withSubcommands(s: Spec): Spec[] {
  return s.subcommands.length === 0 ? [] : [s, ...s.subcommands.flatMap(withSubcommands)];
}

/** Every spec below `s`, depth first. */
function descendants(s: Spec): Spec[] {
  return s.subcommands.flatMap((c) => [c, ...descendants(c)]);
}

/** A word list safe inside a bash double-quoted string (names and choices are plain words). */
function words(list: readonly string[]): string {
  return list.join(' ').replace(/["$`\\]/g, '\\$&');
}

/** The bash statement that completes one kind of value (`$cur` the word under the cursor). */
function bashValue(kind: ValueKind | 'file' | 'none', list: readonly string[]): string {
  switch (kind) {
    case 'choices':
      return `mapfile -t COMPREPLY < <(compgen -W "${words(list)}" -- "$cur")`;
    case 'prefixes':
      return `mapfile -t COMPREPLY < <(compgen -W "${words(list)}" -- "$cur"); compopt -o nospace 2>/dev/null`;
    case 'file':
      return 'compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur")';
    case 'dir':
      return 'compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur")';
    case 'none':
      return 'COMPREPLY=()';
  }
}

/** The bash `case "$path"` branch of one command: its option values, then its flags or arguments. */
function bashCase(c: Spec): string {
  const label = c.path.length === 1 ? c.name : `"${c.path.join(' ')}"`;
  const lines = [`    ${label})`];
  const valued = c.options.filter((o) => o.takesValue);
  if (valued.length > 0) lines.push('      case "$prev" in');
  for (const o of valued.filter((v) => v.kind === 'choices' || v.kind === 'prefixes')) lines.push(`        ${o.flags.join('|')}) ${bashValue(o.kind, o.words)}; return ;;`);
  for (const kind of ['file', 'dir', 'none'] as const) {
    const flags = valued.filter((o) => o.kind === kind).flatMap((o) => o.flags);
    if (flags.length > 0) lines.push(`        ${flags.join('|')}) ${bashValue(kind, [])}; return ;;`);
  }
  if (valued.length > 0) lines.push('      esac');
  const flags = c.options.flatMap((o) => o.flags);
  const value = c.subcommands.length > 0 ? bashValue('choices', c.subcommands.map((s) => s.name)) : bashValue(c.positional.kind, c.positional.words);
  // `help` takes one command name: after it (`help alerts <TAB>`) nothing more
  const rest = c.name === 'help' ? `if ((extra > 0)); then COMPREPLY=(); else ${value}; fi` : value;
  lines.push(`      if [[ "$cur" == -* ]]; then mapfile -t COMPREPLY < <(compgen -W "${words(flags)}" -- "$cur"); else ${rest}; fi ;;`);
  return lines.join('\n');
}

/** The walk from COMP_WORDS to the command path: a word descends while it names a subcommand. */
function bashWalk(root: Spec): string {
  const branches = withSubcommands(root).map((s) => `      ${s.path.length === 0 ? '""' : `"${s.path.join(' ')}"`}) case " ${words(s.subcommands.map((c) => c.name))} " in *" $w "*) path="\${path:+$path }$w" ;; *) stop=1; extra=1 ;; esac ;;`);
  return ['    if [[ -n "$stop" ]]; then extra=$((extra + 1)); continue; fi', '    case "$path" in', ...branches, '      *) stop=1; extra=1 ;;', '    esac'].join('\n');
}

/** `zksim completion bash`: source it (`source <(zksim completion bash)`) or drop it in bash-completion's directory. */
export function bashCompletion(program: Command): string {
  const root = completionTree(program);
  const name = root.name;
  return `# ${name} completion for bash, generated by \`${name} completion bash\` from the command tree.
# Load it with:  source <(${name} completion bash)   (or save it as ~/.local/share/bash-completion/completions/${name})
_${name}_complete() {
  local cur prev path="" w i stop="" extra=0
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
${bashWalk(root)}
  done
  case "$path" in
    "") mapfile -t COMPREPLY < <(compgen -W "${words([...root.subcommands.map((c) => c.name), ...root.options.flatMap((o) => o.flags)])}" -- "$cur") ;;
${descendants(root).map(bashCase).join('\n')}
  esac
}
complete -F _${name}_complete ${name}
`;
}

/** Text inside a single-quoted zsh word, with `[ ] :` escaped as _arguments wants. */
function zshText(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/\\/g, '\\\\').replace(/[[\]:]/g, '\\$&').replace(/'/g, "'\\''");
}

/** Text inside a single-quoted zsh word as _describe shows it: only the name before the first colon needs escapes. */
function zshQuoted(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/'/g, "'\\''");
}

/** An _arguments action for one kind of value: choices, `kind:` prefixes (no space after), files, directories, or none (a message only). */
function zshAction(kind: ValueKind | 'file' | 'none', list: readonly string[]): string {
  switch (kind) {
    case 'choices':
      return `(${list.map(zshText).join(' ')})`;
    case 'prefixes':
      return `{compadd -S \\: -- ${list.map((w) => zshText(w.replace(/:$/, ''))).join(' ')}}`;
    case 'file':
      return '_files';
    case 'dir':
      return '_files -/';
    case 'none':
      return ' ';
  }
}

function zshOption(o: OptionSpec): string {
  const value = o.takesValue ? `:${zshText(o.placeholder)}:${zshAction(o.kind, o.words)}` : '';
  const description = `[${zshText(o.description)}]`;
  if (o.flags.length === 1) return `'${o.flags[0]}${description}${value}'`;
  // -h and --help exclude each other
  return `'(${o.flags.join(' ')})'{${o.flags.join(',')}}'${description}${value}'`;
}

function zshCase(c: Spec, fname: string): string {
  if (c.subcommands.length > 0) return `    ${c.name}) ${fname}_${zshName(c.name)} ;;`;
  const p = c.positional;
  const rest = p.kind === 'none' ? [] : [`'*:${p.kind === 'file' ? 'file' : 'argument'}:${zshAction(p.kind, p.words)}'`];
  return `    ${c.name}) _arguments -s ${[...c.options.map(zshOption), ...rest].join(' \\\n        ')} ;;`;
}

function zshName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The completion function of a command with subcommands (the program's is `_zksim`), then its nested ones'. */
function zshFunction(s: Spec, fname: string): string[] {
  const lines = [
    `${fname}() {`,
    '  local -a commands',
    '  commands=(',
    ...s.subcommands.map((c) => `    '${zshText(c.name)}:${zshQuoted(c.description)}'`),
    '  )',
    '  if (( CURRENT == 2 )); then',
    "    _describe -t commands 'command' commands",
    `    _arguments ${s.options.map(zshOption).join(' ')}`,
    '    return',
    '  fi',
    '  local cmd=$words[2]',
    '  shift words',
    '  (( CURRENT-- ))',
    '  case $cmd in',
    ...s.subcommands.map((c) => zshCase(c, fname)),
    '  esac',
    '}',
  ];
  return [...lines, ...s.subcommands.filter((c) => c.subcommands.length > 0).flatMap((c) => zshFunction(c, `${fname}_${zshName(c.name)}`))];
}

/** `zksim completion zsh`: source it (`source <(zksim completion zsh)`) or save it as `_zksim` on $fpath. */
export function zshCompletion(program: Command): string {
  const root = completionTree(program);
  const name = root.name;
  return `#compdef ${name}
# ${name} completion for zsh, generated by \`${name} completion zsh\` from the command tree.
# Load it with:  source <(${name} completion zsh)   (after compinit), or save it as _${name} in a directory of $fpath
${zshFunction(root, `_${name}`).join('\n')}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _${name} "$@"; else compdef _${name} ${name}; fi
`;
}

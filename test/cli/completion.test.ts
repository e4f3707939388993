/**
 * `zksim completion bash|zsh`: generated from the command tree, so every command and every
 * option `--help` shows appears in both scripts, and every value with fixed choices completes
 * them, the choices taken here from the same registries the commands use (a choice missing from
 * a script fails the test); bash accepts the script (`bash -n`) and, sourced, completes commands,
 * subcommands, options, choices, fault kinds, directories and nothing for numbers. zsh is checked
 * with `zsh -n` only where zsh exists (it is not installed here: its script is checked as text).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../src/config/faults.js';
import { DEMOS } from '../../src/demos/index.js';
import { OUTPUT_FORMATS } from '../../src/cli/output-format.js';
import { REQUESTED_METHODS } from '../../src/montecarlo/method.js';
import { FORMATS } from '../../src/report/export/index.js';
import { QUORUM_RULES, UNSAFE_VARIANTS } from '../../src/zk/index.js';
import { runProcess, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** The commands `zksim --help` lists. */
function commandsOf(help: string): string[] {
  const section = help.slice(help.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1] as string);
}

/** The option flags a `--help` lists (`-h, --help`, `--seed <seed>`). */
function optionsOf(help: string): string[] {
  const section = help.slice(help.indexOf('Options:'), help.indexOf('Commands:') > 0 ? help.indexOf('Commands:') : undefined);
  return [...section.matchAll(/^ {2}(-[A-Za-z](?:, )?)?(--[a-z][a-z-]*)?/gm)].flatMap((m) => [m[1]?.replace(', ', ''), m[2]]).filter((f): f is string => f !== undefined && f !== '');
}

const dir = tempDir('zksim-completion-');

describe('zksim completion', () => {
  it('names every command and every option of every command, in bash and zsh', async () => {
    const [bash, zsh, root] = await Promise.all([zksim(['completion', 'bash']), zksim(['completion', 'zsh']), zksim(['--help'])]);
    expect(bash.status).toBe(0);
    expect(zsh.status).toBe(0);
    const commands = commandsOf(root.stdout);
    expect(commands).toEqual(expect.arrayContaining(['run', 'import', 'completion', 'availability']));
    const helps = await Promise.all(commands.filter((c) => c !== 'help').map(async (c) => ({ c, help: (await zksim([c, '--help'])).stdout })));
    for (const c of commands) {
      expect(bash.stdout, c).toMatch(new RegExp(`^    ${c}\\)`, 'm'));
      expect(zsh.stdout, c).toMatch(new RegExp(`^    '${c}:`, 'm'));
    }
    for (const { c, help } of helps) {
      const options = optionsOf(help);
      expect(options.length, c).toBeGreaterThan(1);
      // from `    c)` to the next command's case (the option cases inside are indented deeper)
      const bashFrom = bash.stdout.slice(bash.stdout.indexOf(`\n    ${c})\n`) + 1);
      const bashCase = bashFrom.slice(0, bashFrom.slice(1).search(/\n {4}[a-z][a-z-]*\)\n|\n {2}esac/) + 1);
      // a command with subcommands (alerts) completes in its own function, _zksim_alerts
      const nested = zsh.stdout.includes(`    ${c}) _zksim_${c} ;;`);
      const zshCase = nested ? (zsh.stdout.split(`\n_zksim_${c}() {\n`)[1] ?? '').split('\n}\n')[0] ?? '' : (zsh.stdout.slice(zsh.stdout.indexOf(`    ${c}) _arguments`)).split(' ;;')[0] ?? '');
      for (const o of options) {
        expect(bashCase, `${c} ${o} (bash)`).toMatch(new RegExp(`[ |"]${o}[ |")]`));
        expect(zshCase, `${c} ${o} (zsh)`).toMatch(new RegExp(`[{'(,]${o}[\\[, )}]`));
      }
    }
    for (const o of optionsOf(root.stdout)) expect(bash.stdout.split('\n').find((l) => l.includes('"") mapfile -t COMPREPLY')), o).toContain(o);
  }, 180_000); // a --help per command, on a shared machine

  it('every fixed set of values is completed, in bash and zsh, from the registries the commands use', async () => {
    const [bash, zsh] = await Promise.all([zksim(['completion', 'bash']), zksim(['completion', 'zsh'])]);
    /** The bash case of a command path (`alerts show`), up to the next one. */
    const bashCase = (path: string): string => {
      const label = path.includes(' ') ? `"${path}"` : path;
      const from = bash.stdout.slice(bash.stdout.indexOf(`\n    ${label})\n`) + 1);
      return from.slice(0, from.slice(1).search(/\n {4}("[a-z ]+"|[a-z][a-z-]*)\)\n|\n {2}esac/) + 1);
    };
    const expectBash = (path: string, flag: string, words: readonly string[]): void => {
      expect(bashCase(path), `${path} ${flag}`).toContain(`${flag}) mapfile -t COMPREPLY < <(compgen -W "${words.join(' ')}" -- "$cur")`);
    };
    const expectZsh = (flag: string, words: readonly string[]): void => {
      expect(zsh.stdout, flag).toMatch(new RegExp(`'${flag}\\[[^']*\\]:[a-z]+:\\(${words.join(' ')}\\)'`));
    };
    for (const c of ['availability', 'sweep', 'merge']) expectBash(c, '--format', OUTPUT_FORMATS);
    expectBash('chart', '--format', FORMATS);
    for (const c of ['availability', 'sweep', 'start']) expectBash(c, '--method', REQUESTED_METHODS);
    for (const c of ['run', 'check']) {
      expectBash(c, '--quorum-rule', QUORUM_RULES);
      expectBash(c, '--unsafe', UNSAFE_VARIANTS);
    }
    for (const c of ['run', 'plan', 'dr']) expectBash(c, '--fault', FAULT_KINDS.map((k) => `${k}:`));
    expectZsh('--format', OUTPUT_FORMATS);
    expectZsh('--format', FORMATS);
    expectZsh('--method', REQUESTED_METHODS);
    expectZsh('--quorum-rule', QUORUM_RULES);
    expectZsh('--unsafe', UNSAFE_VARIANTS);
    expect(zsh.stdout).toContain(`:spec:{compadd -S \\: -- ${FAULT_KINDS.join(' ')}}'`);
    // positional choices: demo names, command names for help, alerts' subcommands
    const demos = DEMOS.map((d) => d.name);
    expect(bashCase('demo')).toContain(`else mapfile -t COMPREPLY < <(compgen -W "${demos.join(' ')}" -- "$cur"); fi`);
    expect(zsh.stdout).toContain(`'*:argument:(${demos.join(' ')})'`);
    const commands = commandsOf((await zksim(['--help'])).stdout).filter((c) => c !== 'help');
    expect(bashCase('help')).toContain(`compgen -W "${commands.join(' ')}"`);
    expect(zsh.stdout).toContain(`    help) _arguments -s '*:argument:(${commands.join(' ')})' ;;`);
    const subcommands = commandsOf((await zksim(['alerts', '--help'])).stdout);
    expect(subcommands).toEqual(['show', 'study', 'tune', 'help']);
    expect(bashCase('alerts')).toContain(`compgen -W "${subcommands.join(' ')}"`);
    for (const sub of subcommands.filter((x) => x !== 'help')) expect(zsh.stdout).toMatch(new RegExp(`^_zksim_alerts\\(\\) \\{[^]*^    ${sub}\\) _arguments`, 'm'));
    // zsh: files only for file arguments, directories for <dir>, nothing for numbers
    expect(zsh.stdout).toContain("'--seed[root seed\\: the same seed prints the same output, byte for byte]:seed: '");
    expect(zsh.stdout).toMatch(/'--out\[[^']*\]:dir:_files -\/'/);
    expect(zsh.stdout).toMatch(/'--trace\[[^']*\]:file:_files'/);
    expect(zsh.stdout).not.toMatch(/'--(seed|runs|duration|writes|horizon)\[[^']*\]:[a-z]+:_files/);
  });

  it('bash accepts the script and, sourced, completes commands, options and choices', async () => {
    const script = join(dir, 'zksim.bash');
    writeFileSync(script, (await zksim(['completion', 'bash'])).stdout);
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const complete = async (...words: string[]): Promise<string[]> => {
      const quoted = words.map((w) => `'${w}'`).join(' ');
      const r = await runProcess('bash', ['-c', `source '${script}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _zksim_complete; printf '%s\\n' "\${COMPREPLY[@]}"`]);
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter((l) => l !== '');
    };
    expect(await complete('zksim', 'imp')).toEqual(['import']);
    expect(await complete('zksim', 'completion', '')).toEqual(['bash', 'zsh']);
    expect(await complete('zksim', 'validate', '--kind', 'e')).toEqual(['experiment']);
    expect(await complete('zksim', 'import', 'x.cfg', '--zone')).toEqual(['--zones', '--zone-pattern']);
    expect(await complete('zksim', 'demo', '')).toEqual(DEMOS.map((d) => d.name));
    expect(await complete('zksim', 'demo', 'two')).toEqual(['two-zones']);
    expect(await complete('zksim', 'availability', 't.yaml', '--format', '')).toEqual([...OUTPUT_FORMATS]);
    expect(await complete('zksim', 'merge', 'a.json', '--format', 'c')).toEqual(['csv']);
    expect(await complete('zksim', 'chart', 'a.json', '--format', '')).toEqual([...FORMATS]);
    expect(await complete('zksim', 'run', 't.yaml', '--quorum-rule', '')).toEqual([...QUORUM_RULES]);
    expect(await complete('zksim', 'check', '--unsafe', 'ack')).toEqual(UNSAFE_VARIANTS.filter((v) => v.startsWith('ack')));
    expect(await complete('zksim', 'sweep', 't.yaml', '--method', '')).toEqual([...REQUESTED_METHODS]);
    expect(await complete('zksim', 'run', 't.yaml', '--fault', 'ki')).toEqual(['kill:']);
    expect(await complete('zksim', 'run', 't.yaml', '--fault', '')).toEqual(FAULT_KINDS.map((k) => `${k}:`));
    expect(await complete('zksim', 'help', 'a')).toEqual(['availability', 'alerts']);
    expect(await complete('zksim', 'help', 'alerts', '')).toEqual([]);
    expect(await complete('zksim', 'alerts', '')).toEqual(['show', 'study', 'tune', 'help']);
    expect(await complete('zksim', 'alerts', 'study', '--ru')).toEqual(['--rules', '--runs']);
    expect(await complete('zksim', 'alerts', 'study', 't.yaml', '--json', '--rules', 'zz')).toEqual([]);
  });

  it('bash completes files for file options, directories for --out, nothing for numbers', async () => {
    const script = join(dir, 'zksim-files.bash');
    writeFileSync(script, (await zksim(['completion', 'bash'])).stdout);
    const cwd = join(dir, 'cwd');
    mkdirSync(join(cwd, 'outdir'), { recursive: true });
    writeFileSync(join(cwd, 'other.yaml'), '');
    const complete = async (...words: string[]): Promise<string[]> => {
      const quoted = words.map((w) => `'${w}'`).join(' ');
      const r = await runProcess('bash', ['-c', `source '${script}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _zksim_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter((l) => l !== '').sort();
    };
    expect(await complete('zksim', 'run', 'x', '--trace', '')).toEqual(['other.yaml', 'outdir']);
    expect(await complete('zksim', 'run', 'x', '--out', '')).toEqual(['outdir']);
    expect(await complete('zksim', 'run', 'x', '--seed', '')).toEqual([]);
    expect(await complete('zksim', 'availability', 'x', '--runs', '')).toEqual([]);
    expect(await complete('zksim', 'run', '')).toEqual(['other.yaml', 'outdir']);
  });

  it('bash keeps a file name with a space whole, and works under shopt -s failglob; the script names no machine', async () => {
    const text = (await zksim(['completion', 'bash'])).stdout;
    expect(text).not.toMatch(/\d+ here/);
    const script = join(dir, 'zksim-space.bash');
    writeFileSync(script, text);
    const cwd = join(dir, 'cwd-space');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'sp ace.yaml'), '');
    for (const pre of ['', 'shopt -s failglob; ']) {
      const r = await runProcess('bash', ['-c', `${pre}source '${script}'; COMP_WORDS=('zksim' 'run' 'sp'); COMP_CWORD=2; _zksim_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd });
      expect(r.stderr, pre).toBe('');
      expect(r.stdout.split('\n').filter((l) => l !== ''), pre).toEqual(['sp ace.yaml']);
    }
  });

  it('zsh accepts the script (where zsh is installed)', async () => {
    const script = join(dir, '_zksim');
    writeFileSync(script, (await zksim(['completion', 'zsh'])).stdout);
    const which = spawnSync('sh', ['-c', 'command -v zsh']);
    if (which.status !== 0) return; // zsh is not installed here; the contents test above still covers the script
    expect(spawnSync('zsh', ['-n', script]).status).toBe(0);
  });

  it('an unknown shell exits 2 and names the choices', async () => {
    const r = await zksim(['completion', 'fish']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bash, zsh/);
  });
});

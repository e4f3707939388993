/**
 * `zksim completion bash|zsh`: generated from the command tree, so every command and every
 * option `--help` shows appears in both scripts; bash accepts the script (`bash -n`) and, sourced,
 * completes commands, options and choices. zsh is checked with `zsh -n` only where zsh exists.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
      const zshCase = zsh.stdout.slice(zsh.stdout.indexOf(`    ${c}) _arguments`)).split(' ;;')[0] ?? '';
      for (const o of options) {
        expect(bashCase, `${c} ${o} (bash)`).toMatch(new RegExp(`[ |"]${o}[ |")]`));
        expect(zshCase, `${c} ${o} (zsh)`).toMatch(new RegExp(`[{'(,]${o}[\\[, )}]`));
      }
    }
    for (const o of optionsOf(root.stdout)) expect(bash.stdout.split('\n').find((l) => l.includes('"")')), o).toContain(o);
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

/**
 * The `--fault` help of every command that takes `--fault` (run, plan, dr) lists exactly the
 * fault-kind table's syntaxes with their help lines: it is generated from the table
 * (config/faults.ts faultHelpText), so a kind added to the table shows up with no other change.
 */
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS_TABLE } from '../../src/scenario/fault-kinds.js';
import { zksim } from '../helpers/cli.js';

/** The syntax column of the "Faults (--fault" section of a --help. */
function faultSyntaxes(help: string): string[] {
  const start = help.indexOf('Faults (--fault');
  expect(start).toBeGreaterThan(0);
  const lines = help.slice(start).split('\n').slice(1);
  const section = lines.slice(0, lines.findIndex((l) => !l.startsWith('  ')));
  return section.map((l) => l.trim().split(/\s{2,}/)[0] as string);
}

describe('--fault help', () => {
  it.each(['run', 'plan', 'dr'])('zksim %s --help lists every kind of the table, and nothing else', async (command) => {
    const r = await zksim([command, '--help']);
    expect(r.status, r.stderr).toBe(0);
    const table = FAULT_KINDS_TABLE.entries.flatMap((e) => [...e.syntax]);
    expect(faultSyntaxes(r.stdout)).toEqual(table);
    for (const e of FAULT_KINDS_TABLE.entries) expect(r.stdout.replace(/\s+/g, ' ')).toContain(e.help.replace(/\s+/g, ' '));
  });
});

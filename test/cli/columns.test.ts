/**
 * Tables that fit the terminal (issue 16 §4): with COLUMNS set, the availability table (here
 * through `merge`, which prints a saved document without simulating) never prints a line wider
 * than the terminal, and keeps every value; without COLUMNS into a pipe it prints whole.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { terminalWidth } from '../../src/cli/output-format.js';
import { runProcess, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

let docFile = '';
let whole = '';

/** `zksim merge DOC` with COLUMNS=width. */
function atWidth(width: number): Promise<string> {
  return runProcess(process.execPath, [`${process.cwd()}/dist/cli/main.js`, 'merge', docFile], { env: { ...process.env, NO_COLOR: '1', COLUMNS: String(width) } }).then((r) => {
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  });
}

/** The cells of the whole table: what every fitted layout must still show. */
function values(table: string): string[] {
  const body = table.split('\n').filter((l) => /^\S.*\s{2,}\S/.test(l) || /^  \S.*\s{2,}\S/.test(l));
  return body.flatMap((l) => l.trim().split(/\s{2,}/).slice(1));
}

beforeAll(async () => {
  const r = await zksim(['availability', 'topologies/n3-1az.yaml', 'topologies/n5-3az.yaml', 'topologies/n4-2az.yaml', '--runs', '4', '--horizon', '30d', '--seed', '3', '--workers', '1', '--method', 'naive', '--json']);
  expect(r.status, r.stderr).toBe(0);
  docFile = join(tempDir('zksim-columns-'), 'doc.json');
  writeFileSync(docFile, r.stdout);
  whole = (await zksim(['merge', docFile])).stdout;
}, 120_000);

describe('the availability table fits COLUMNS', () => {
  it('into a pipe without COLUMNS: whole, one line per measure with every topology side by side', () => {
    expect(whole).toMatch(/^ +n3-1az +n5-3az +n4-2az$/m);
    expect(Math.max(...whole.split('\n').map((l) => l.length))).toBeGreaterThan(80);
  });

  for (const width of [60, 80, 200]) {
    it(`COLUMNS=${width}: no line wider, no value lost`, async () => {
      const out = await atWidth(width);
      const widest = Math.max(...out.split('\n').map((l) => l.length));
      expect(widest).toBeLessThanOrEqual(width);
      const unwrapped = out.replace(/\n {2,}/g, ' '); // a long value wraps onto indented lines
      for (const v of values(whole)) expect(unwrapped, v).toContain(v);
      if (width === 200) expect(out).toMatch(/^ +n3-1az +n5-3az +n4-2az$/m); // wide enough: side by side as ever
      else expect(out).not.toMatch(/n3-1az +n5-3az/); // split into blocks
    });
  }

  it('COLUMNS=30: one block per topology, `measure: value` lines', async () => {
    const out = await atWidth(30);
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(30);
    expect(out).toMatch(/^voters \/ observers: 3 \/ 0$/m);
    expect(out).toMatch(/^n5-3az\n─+$/m);
  });
});

describe('terminalWidth', () => {
  it('reads COLUMNS, else the tty, else prints whole (Infinity)', () => {
    expect(terminalWidth({ COLUMNS: '72' }, { isTTY: true, columns: 120 })).toBe(72);
    expect(terminalWidth({ COLUMNS: 'wide' }, { isTTY: true, columns: 120 })).toBe(120);
    expect(terminalWidth({ COLUMNS: '' }, { isTTY: false, columns: 120 })).toBe(Infinity);
    expect(terminalWidth({}, {})).toBe(Infinity);
  });
});

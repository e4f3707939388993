/**
 * The fault-kind table (scenario/fault-kinds.ts, config/fault-kinds.ts): the README's fault table
 * documents exactly its kinds, and a kind registered in a test — the no-op `noop:N@T` below, one
 * table entry — parses, formats back, fires in a trial, shows in `run --help` and is drawn by the
 * `check` explorer without touching any other module.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fail, knownServer } from '../../src/config/fault-parse.js';
import { faultHelpText, formatFault, parseFault } from '../../src/config/faults.js';
import type { FaultBase, ServerId, TrialEvent } from '../../src/model/index.js';
import { caseArb, runCase } from '../../src/scenario/explore.js';
import { FAULT_KINDS_TABLE, withFaultKinds, type FaultKindEntry } from '../../src/scenario/fault-kinds.js';
import { Trial } from '../../src/scenario/trial.js';
import { S, topology } from '../helpers/topologies.js';

/** The README's "### Faults" table: per row, the syntaxes (code spans of the first cell) and the help cell. */
function readmeFaultRows(): { syntax: string[]; help: string }[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### Faults'));
  const rows: { syntax: string[]; help: string }[] = [];
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('| `')) continue;
    // cells are split at unescaped pipes; `\|` inside a code span is a literal pipe
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim().replaceAll('\\|', '|'));
    const [first = '', help = ''] = cells.slice(1, 3);
    rows.push({ syntax: [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string), help });
  }
  return rows;
}

describe('the README fault table', () => {
  it('documents every kind of the table with its syntax and help line, and nothing else', () => {
    const rows = readmeFaultRows();
    const table = FAULT_KINDS_TABLE.entries.map((e) => ({ syntax: [...e.syntax], help: e.help }));
    const byFirst = (a: { syntax: string[] }, b: { syntax: string[] }) => (a.syntax[0] ?? '').localeCompare(b.syntax[0] ?? '');
    expect(rows.sort(byFirst)).toEqual([...table].sort(byFirst));
  });
});

interface NoopFault extends FaultBase {
  readonly kind: 'noop';
  readonly server: ServerId;
}

/** The whole fixture kind: one table entry. It aims at a server and does nothing to it. */
const noop: FaultKindEntry<NoopFault> = {
  kind: 'noop',
  keywords: ['noop'],
  syntax: ['noop:N@T[+DUR]'],
  help: 'nothing happens (a test fixture)',
  parse: (_keyword, target, ctx) => {
    if (!/^\d+$/.test(target)) fail(`expected a server id, found "${target}" in ${ctx.quoted}`);
    return { kind: 'noop', server: knownServer(Number(target), ctx) };
  },
  head: (f) => `noop:${f.server}`,
  target: (_host, f) => f.server,
  apply: () => ({ effect: 'links cut', servers: [], domain: null }),
  repair: () => ({ effect: 'healed', servers: [], domain: null }),
  affectedVoters: () => [],
  explore: {
    slot: 100,
    resolve: (t, d) => ({ kind: 'noop', server: (t.servers[d.node % t.servers.length] as { id: ServerId }).id, atUs: d.atUs, durationUs: d.durationUs }),
  },
};

const kinds = withFaultKinds([noop]);
const n5 = topology('n5-3az');

describe('a kind registered with one table entry (noop:N@T)', () => {
  it('parses and formats back; the built-in table does not know it', () => {
    const parsed = parseFault('noop:3@10s+5s', n5, kinds);
    expect(parsed).toEqual({ ok: true, fault: { kind: 'noop', server: 3, atUs: 10 * S, durationUs: 5 * S } });
    if (!parsed.ok) return;
    expect(formatFault(parsed.fault, kinds)).toBe('noop:3@10s+5s');
    expect(parseFault('noop:9@1s', n5, kinds)).toEqual({ ok: false, error: 'unknown server 9 in "noop:9@1s" (servers are 1..5)' });
    const unknown = parseFault('noop:3@10s', n5);
    expect(unknown.ok).toBe(false);
    expect(unknown.ok ? '' : unknown.error).toMatch(/^unknown fault kind "noop"/);
    // the built-in kinds still parse through the extended table
    expect(parseFault('zone-down:az1@1s', n5, kinds)).toEqual(parseFault('zone-down:az1@1s', n5));
  });

  it('shows in the run --help fault lines, after the built-in kinds', () => {
    const help = faultHelpText(kinds).split('\n');
    expect(help.at(-1)).toMatch(/^ {2}noop:N@T\[\+DUR\] +nothing happens \(a test fixture\)$/);
    expect(faultHelpText()).not.toContain('noop');
    for (const e of FAULT_KINDS_TABLE.entries) for (const s of e.syntax) expect(faultHelpText(kinds)).toContain(`  ${s}`);
  });

  it('fires in a trial (faultApplied, faultRepaired) and changes nothing else', () => {
    const withNoop: FaultBase[] = [{ kind: 'noop', server: 3, atUs: 10 * S, durationUs: 5 * S } as NoopFault];
    const run = (faults: FaultBase[]) => new Trial({ topology: n5, seed: 'noop', durationUs: 30 * S, faults, faultKinds: kinds }).run();
    const a = run(withNoop);
    const faultEvents = a.recorder.events.filter((e) => e.type.startsWith('fault'));
    expect(faultEvents).toEqual([
      { type: 'faultApplied', atUs: 10 * S, faultIndex: 0, fault: 'noop:3@10s+5s', source: 'scripted', target: 3, effect: 'links cut', servers: [], domain: null },
      { type: 'faultRepaired', atUs: 15 * S, faultIndex: 0, fault: 'noop:3@10s+5s', target: 3, effect: 'healed', servers: [], domain: null },
    ]);
    const others = (events: readonly TrialEvent[]) => events.filter((e) => !e.type.startsWith('fault'));
    expect(others(a.recorder.events)).toEqual(others(run([]).recorder.events));
    expect(a.faults).toEqual(['noop:3@10s+5s']);
  });

  it('is drawn by the check explorer, and a drawn schedule runs', () => {
    const cases = fc.sample(caseArb({ topologies: [{ topology: n5, file: null }], quorumRule: 'majority', unsafe: [], faultKinds: kinds }), { seed: 11, numRuns: 60 });
    const withNoop = cases.filter((c) => c.scenario.faults.some((f) => f.kind === 'noop'));
    expect(withNoop.length).toBeGreaterThan(0);
    // the built-in table never draws it
    const builtIn = fc.sample(caseArb({ topologies: [{ topology: n5, file: null }], quorumRule: 'majority', unsafe: [] }), { seed: 11, numRuns: 60 });
    expect(builtIn.some((c) => c.scenario.faults.some((f) => f.kind === 'noop'))).toBe(false);
    const c = withNoop[0]!;
    const outcome = runCase(c);
    const index = c.scenario.faults.findIndex((f) => f.kind === 'noop');
    const fired = outcome.result.recorder.events.find((e) => e.type === 'faultApplied' && e.faultIndex === index);
    expect(fired).toMatchObject({ fault: formatFault(c.scenario.faults[index]!, kinds), effect: 'links cut' });
    expect(outcome.violations).toEqual([]);
  });

  it('refuses a table where two kinds share a keyword or an explore slot', () => {
    expect(() => withFaultKinds([noop, { ...noop, kind: 'noop2' as 'noop' }])).toThrow(/keyword noop registered twice/);
    expect(() => withFaultKinds([noop, noop])).toThrow(/kind noop registered twice/);
    expect(() => withFaultKinds([{ ...noop, keywords: ['noop2'], explore: { ...noop.explore!, slot: 0 } }])).toThrow(/share explore slot 0/);
  });
});

/**
 * The byzantine demo: its claims from its facts at seed 1, and its text read against its runs —
 * every figure it prints is one of the runs' own (the run documents' events and safety counts).
 */
import { describe, expect, it } from 'vitest';
import { byzantine } from '../../src/demos/byzantine.js';
import type { ByzantineStory } from '../../src/demos/byzantine-scenes.js';
import type { Divergence } from '../../src/observe/digest-audit.js';
import type { RunJson } from '../../src/report/run-json.js';
import { experiment, topology } from '../helpers/topologies.js';

type Facts = Pick<ByzantineStory, 'leaders' | 'acked' | 'ackedLost' | 'mismatches' | 'firstMismatch' | 'checksumFailed' | 'violations' | 'quarantines'>;
const secs = (us: number): string => `${(us / 1e6).toFixed(3)} s`;

describe('demo byzantine', () => {
  const out = byzantine.build({ seed: '1', version: 'test', topology, experiment }, new Map());
  const f = out.facts as { inflate: Facts; flip: Facts; flipAutomation: Facts; bitFlip: Facts; ackUnlogged: Facts };
  const text = out.text.replaceAll('\n', ' ');
  const doc = (name: string): RunJson => out.runs.find((r) => r.name === name)?.doc as RunJson;
  const established = (d: RunJson): number[] => d.eventLog.flatMap((e) => (e.type === 'established' ? [e.server] : []));

  it('the inflated-zxid voter is elected and loses acknowledged writes; the digest counts nothing', () => {
    const d = doc('inflate-zxid');
    expect(f.inflate.leaders).toEqual(established(d));
    expect(f.inflate.leaders.at(-1)).toBe(1);
    expect(f.inflate.ackedLost).toBeGreaterThan(0);
    expect(f.inflate.violations).toEqual(d.safety.countsByInvariant);
    expect(f.inflate.violations['Durability']).toBeGreaterThan(0);
    expect(f.inflate.mismatches.every((m) => m.count === 0)).toBe(true);
    expect(text).toContain(`${f.inflate.ackedLost} of the ${f.inflate.acked} writes acknowledged to clients are missing`);
    expect(text).toContain(`Safety checkers: PrefixConsistency ${d.safety.countsByInvariant.PrefixConsistency}, Durability ${d.safety.countsByInvariant.Durability}.`);
    expect(text).toContain('The data-tree digest counted 0 mismatches');
  });

  // issue 15 §2 must-hold, in the demo: the violation and the digest-log audit's detection, both read off the same run
  it('the inflated-zxid run shows the Durability violation and the digest-log audit detecting it, figures from the run', () => {
    const d = doc('inflate-zxid');
    const a = out.facts as { inflateAudit: { watched: (Facts & { pollUs: number; divergences: Divergence[]; truncatedAtUs: number })[]; acted: Facts; againWatched: Facts; againActed: Facts } };
    const main = a.inflateAudit.watched.find((w) => w.pollUs === 10_000_000);
    expect(main?.violations).toEqual(f.inflate.violations);
    expect(main?.violations['Durability']).toBeGreaterThan(0);
    const diverged = d.eventLog.filter((e) => e.type === 'digestDiverged') as unknown as { atMs: number; zxid: number; servers: number[] }[];
    expect(diverged.length).toBeGreaterThan(0);
    expect(diverged.map((e) => e.zxid)).toEqual(main?.divergences.map((x) => x.zxid));
    const first = main?.divergences[0] as Divergence;
    expect(first.how).toBe('rewritten');
    expect(diverged[0]?.atMs).toBe(first.atUs / 1000);
    expect(first.atUs).toBeGreaterThan(main?.truncatedAtUs as number);
    expect(text).toContain(`the poll at ${secs(first.atUs)}`);
    expect(text).toContain(`after the truncation at ${secs(main?.truncatedAtUs as number)} found zxid 0x${first.zxid.toString(16)}`);
    expect(text).toContain(`gone from server ${first.servers.join(', ')}'s hash`);
    // the table's rows are the runs': the 30 s audit sees nothing
    const table = out.tables[0];
    expect(table?.rows.map((r) => r[0])).toEqual(['5 s', '10 s', '30 s']);
    expect(table?.rows.map((r) => r[5])).toEqual(a.inflateAudit.watched.map((w) => String(w.divergences.length)));
    expect(a.inflateAudit.watched.find((w) => w.pollUs === 30_000_000)?.divergences).toEqual([]);
    // acting cannot give back what the truncation lost; it keeps the liar from losing more later
    expect(a.inflateAudit.acted.ackedLost).toBe(f.inflate.ackedLost);
    expect(a.inflateAudit.againActed.ackedLost).toBeLessThan(a.inflateAudit.againWatched.ackedLost);
    expect(text).toContain(`${a.inflateAudit.againWatched.ackedLost} acknowledged writes of ${a.inflateAudit.againWatched.acked} are lost`);
    expect(text).toContain(`${a.inflateAudit.againActed.ackedLost} acknowledged writes of ${a.inflateAudit.againActed.acked} are lost`);
  });

  it('the flipped txn is detected by the digest at the run\'s own mismatch event, and the automation quarantines and readmits the server', () => {
    const m = doc('flip-txn').eventLog.find((e) => e.type === 'digestMismatch');
    expect(m).toBeDefined();
    expect(f.flip.firstMismatch?.atUs).toBe(Math.round((m as { atMs: number }).atMs * 1000));
    expect(text).toContain(`at ${secs(f.flip.firstMismatch?.atUs as number)} server 2's tree digest`);
    expect(text).toContain(`its leader carried with zxid 0x${f.flip.firstMismatch?.zxid.toString(16)}`);
    // the honest servers' counts, then the corrupted server's own (test/byzantine/demo-wording.test.ts)
    expect(text).toContain(`mismatch on each: ${f.flip.mismatches.filter((x) => x.server !== 2).map((x) => `server ${x.server} ${x.count}`).join(', ')}; server 2 itself counted`);
    const q = f.flipAutomation.quarantines[0];
    expect(q?.server).toBe(2);
    const auto = doc('flip-txn-automation').eventLog;
    expect(auto.find((e) => e.type === 'quarantined')?.atMs).toBe((q?.detectedAtUs as number) / 1000);
    expect(auto.find((e) => e.type === 'readmitted')?.atMs).toBe((q?.readmittedAtUs as number) / 1000);
    expect(text).toContain(`the poll at ${secs(q?.detectedAtUs as number)} saw it`);
    expect(text).toContain(`added back by reconfig at ${secs(q?.readmittedAtUs as number)}`);
    // with and without the automation: the write whose content flipped is lost only without it
    expect(f.flip.ackedLost).toBeGreaterThan(0);
    expect(f.flipAutomation.ackedLost).toBe(0);
    expect(text).toContain(`${f.flip.ackedLost} acknowledged write of ${f.flip.acked} missing`);
  });

  it('a plain bit flip fails the checksum at the restart, and acks without logging lose writes', () => {
    expect(f.bitFlip.checksumFailed?.server).toBe(2);
    expect(text).toContain(`at ${secs(f.bitFlip.checksumFailed?.atUs as number)}, as it loads its database, "CRC check failed"`);
    expect(f.ackUnlogged.violations['Durability']).toBeGreaterThan(0);
    expect(text).toContain(`${f.ackUnlogged.ackedLost} acknowledged writes of ${f.ackUnlogged.acked} lost`);
  });

  it('draws one chart and keeps its three runs for their own charts', () => {
    expect(out.charts.map((c) => c.name)).toEqual(['digest-mismatches']);
    expect(out.runs.map((r) => r.name)).toEqual(['inflate-zxid', 'flip-txn', 'flip-txn-automation']);
  });
});

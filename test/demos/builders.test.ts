import { describe, expect, test } from 'vitest';
import { DEMOS, findDemo, quorumSize, textTable, unavailableWithin } from '../../src/demos/index.js';
import { choose, evenOddRatio, quorumRows } from '../../src/demos/even-nodes.js';
import { splits } from '../../src/demos/two-zones.js';
import { quorumRatio, quorumRelativeError, ratioWithInterval } from '../../src/demos/common.js';
import { Z95 } from '../../src/stats/index.js';
import type { ResultRow } from '../../src/montecarlo/index.js';
import { exposure, restartOrder, rollingSchedule, syncedVoterSteps } from '../../src/demos/rolling-restart.js';
import { firstDivergence } from '../../src/demos/split-brain.js';
import type { RunEventJson, RunJson } from '../../src/report/run-json.js';

describe('demo builders (pure)', () => {
  test('five demos, each with a one-line summary', () => {
    expect(DEMOS.map((d) => d.name)).toEqual(['even-nodes', 'two-zones', 'split-brain', 'rolling-restart', 'rolling-upgrade', 'migration', 'reconfig', 'dr-partition', 'dr-failover', 'backup-restore', 'byzantine', 'calibration']);
    for (const d of DEMOS) expect(d.summary).not.toContain('\n');
    expect(findDemo('nope')).toBeNull();
  });

  test('even-nodes: quorum sizes, failures tolerated, and the ≈2× even/odd penalty from the closed form', () => {
    const rows = quorumRows([3, 4, 5], [0.999, 0.99]);
    expect(rows.map((r) => [r.voters, r.quorum, r.tolerates])).toEqual([
      [3, 2, 1],
      [4, 3, 1],
      [5, 3, 2],
    ]);
    // availability.md §1a: U(3) = 3.00e-6, U(4) = 5.99e-6 at a = 0.999
    expect(rows[0]?.unavailability[0]).toBeCloseTo(3.0e-6, 8);
    expect(rows[1]?.unavailability[0]).toBeCloseTo(5.99e-6, 8);
    const r = evenOddRatio(4, 0.999);
    expect(r).toBeGreaterThanOrEqual(1.9);
    expect(r).toBeLessThanOrEqual(2.0);
    expect(evenOddRatio(4, 0.99)).toBeCloseTo(1.987, 3);
    expect(evenOddRatio(6, 0.999)).toBeGreaterThan(1.9);
    expect(choose(4, 2)).toBe(6);
    expect(choose(3, 2)).toBe(3);
  });

  test('two-zones: no split of 3, 4 or 5 voters over two zones survives losing the larger zone', () => {
    for (const n of [3, 4, 5, 6, 7]) {
      const all = splits(n, 2);
      expect(all.length).toBe(Math.floor(n / 2) + 1);
      for (const s of all) {
        expect(s.zones.reduce((a, b) => a + b, 0)).toBe(n);
        expect(s.survivesLargest).toBe(false);
        expect(s.leftAfterLargest).toBeLessThan(quorumSize(n));
      }
    }
    const three = [3, 4, 5].flatMap((n) => splits(n, 3));
    expect(three.filter((s) => s.survivesLargest).map((s) => s.zones.join('+'))).toEqual(['1+1+1', '2+2+1']);
  });

  test('rolling-restart: orders and the scripted schedule', () => {
    expect(restartOrder([1, 2, 3, 4, 5], 5, 'leader-last')).toEqual([1, 2, 3, 4, 5]);
    expect(restartOrder([1, 2, 3, 4, 5], 5, 'arbitrary')).toEqual([1, 2, 5, 3, 4]);
    expect(restartOrder([1, 2, 3], 2, 'leader-last')).toEqual([1, 3, 2]);
    expect(restartOrder([1, 2, 3], 3, 'arbitrary')).toEqual([1, 3, 2]);
    // µs in, the canonical duration text out (90 s prints as 1.5m, as formatFault prints it)
    expect(rollingSchedule([1, 3, 2], 10_000_000, 20_000_000, 20_000_000)).toEqual(['kill:1@10s+20s', 'kill:3@50s+20s', 'kill:2@1.5m+20s']);
    expect(rollingSchedule([1, 2])).toEqual(['kill:1@10s+20s', 'kill:2@50s+20s']);
  });

  test('rolling-restart: synced voters and the time with no spare failure tolerance, from the events', () => {
    const servers = [1, 2, 3].map((id) => ({ id, zone: `az${id}` }));
    const kill = (atMs: number, id: number): RunEventJson => ({
      type: 'faultApplied',
      atMs,
      faultIndex: 0,
      fault: `kill:${id}@${atMs / 1000}s+20s`,
      source: 'scripted',
      target: id,
      effect: 'process killed',
      servers: [id],
      domain: null,
    });
    const synced = (atMs: number, server: number, leader: number): RunEventJson => ({ type: 'synced', atMs, server, leader, epoch: 1, mode: 'DIFF' });
    const eventLog: RunEventJson[] = [
      { type: 'established', atMs: 0, server: 3, epoch: 1, quorum: [1, 3] },
      synced(1, 1, 3),
      synced(2, 2, 3),
      kill(10_000, 1),
      { type: 'faultRepaired', atMs: 30_000, faultIndex: 0, fault: 'kill:1@10s+20s', target: 1, effect: 'restarted', servers: [1], domain: null },
      { type: 'looking', atMs: 30_000, server: 1 },
      synced(30_100, 1, 3),
      kill(50_000, 3),
      { type: 'looking', atMs: 50_001, server: 2 },
      { type: 'looking', atMs: 50_001, server: 1 },
      { type: 'established', atMs: 50_300, server: 2, epoch: 2, quorum: [1, 2] },
      synced(50_301, 1, 2),
    ];
    // The prose says nothing useful: only the events are read.
    const run = { durationMs: 100_000, config: { servers }, eventLog, timeline: eventLog.map((e) => ({ atMs: e.atMs, who: 'x', kind: 'x', what: 'reworded' })) } as unknown as RunJson;
    const steps = syncedVoterSteps(run);
    expect(steps.map((s) => [s.atMs, s.synced])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [10_000, 2],
      [30_100, 3],
      [50_000, 0],
      [50_300, 1],
      [50_301, 2],
    ]);
    const ex = exposure(steps, 2, 5_000, 100_000);
    expect(ex.noSpareMs).toBe(20_100 + (100_000 - 50_301));
    expect(ex.belowQuorumMs).toBe(301);
  });

  test('reading a run: write-unavailable time inside a window', () => {
    const run = {
      durationMs: 60_000,
      eventLog: [
        { type: 'writesUnavailable', atMs: 0, cause: 'electing' },
        { type: 'writesAvailable', atMs: 200, leader: 3, downForMs: 200 },
        { type: 'writesUnavailable', atMs: 10_000, cause: 'quorumLost' },
        { type: 'writesAvailable', atMs: 19_000, leader: 3, downForMs: 9_000 },
        { type: 'writesUnavailable', atMs: 50_000, cause: 'electing' },
      ],
    } as unknown as RunJson;
    expect(unavailableWithin(run, 5_000, 55_000)).toBe(9_000 + 5_000);
    expect(unavailableWithin(run, 0, 60_000)).toBe(200 + 9_000 + 10_000);
  });

  test('split-brain: the first position where two histories disagree', () => {
    const e = 2 ** 32;
    const logs = new Map<number, number[]>([
      [1, [e + 1, e + 2, 2 * e + 1]],
      [2, [e + 1, e + 2, 2 * e + 1]],
      [3, [e + 1, e + 2, e + 3]],
    ]);
    expect(firstDivergence(logs)).toEqual({ index: 2, a: { node: 1, zxid: '0x200000001' }, b: { node: 3, zxid: '0x100000003' } });
    expect(firstDivergence(new Map([[1, [e + 1]], [2, [e + 1, e + 2]]]))).toBeNull();
  });

  test('text tables pad columns and right-align numbers', () => {
    const t = textTable({ caption: 'c', columns: ['name', 'n'], rows: [['a', '1'], ['bbb', '22']], numeric: [false, true] });
    expect(t).toBe('c\nname   n\na      1\nbbb   22');
  });

  test('a quoted quorum ratio is the simulated one with a delta-method interval on the log; refused on degenerate weights or too few naive losses', () => {
    const fb = (topology: string, u: number, rel: number, degenerate = false, analytic: number | null = null) =>
      ({
        topology,
        method: 'failure-biasing',
        quorumLossEpisodes: 3,
        quorumAvailability: 1 - u,
        quorumAvailabilityCi95: [1 - u * (1 + Z95 * rel), 1 - u * (1 - Z95 * rel)],
        analyticQuorumUnavailability: analytic,
        rareEvent: { quorumRelativeError: rel, degenerate, warnings: degenerate ? ['the likelihood-ratio weights are degenerate: one cycle carries 80% of the quorum downtime'] : [] },
      }) as unknown as ResultRow;
    const naive = (topology: string, episodes: number, u: number, halfWidth: number, analytic: number | null = null) =>
      ({
        topology,
        method: 'naive',
        quorumLossEpisodes: episodes,
        quorumAvailability: 1 - u,
        quorumAvailabilityCi95: [1 - (u + halfWidth), 1 - Math.max(0, u - halfWidth)],
        analyticQuorumUnavailability: analytic,
        rareEvent: null,
      }) as unknown as ResultRow;
    // relative errors: the diagnostics' for failure biasing, (upper end − U) / (Z95·U) for naive
    expect(quorumRelativeError(fb('a', 2e-6, 0.1))).toBe(0.1);
    expect(quorumRelativeError(naive('b', 40, 1e-3, Z95 * 2e-4))).toBeCloseTo(0.2, 6);
    expect(quorumRelativeError(naive('b', 0, 0, 0))).toBeNull();

    const q = quorumRatio(fb('n4', 2e-6, 0.1, false, 6e-6), fb('n3', 1e-6, 0.1, false, 3e-6));
    expect(q.refused).toBeNull();
    expect(q.value).toBeCloseTo(2, 6);
    const half = Z95 * Math.SQRT2 * 0.1;
    expect(q.ci95?.[0]).toBeCloseTo(2 * Math.exp(-half), 6);
    expect(q.ci95?.[1]).toBeCloseTo(2 * Math.exp(half), 6);
    expect(q.closedForm).toBeCloseTo(2, 9);
    expect(q.methods).toEqual(['failure-biasing', 'failure-biasing']);
    expect(ratioWithInterval(q)).toBe(`2.00× (95% interval ${(2 * Math.exp(-half)).toFixed(2)}–${(2 * Math.exp(half)).toFixed(2)})`);

    const mixed = quorumRatio(naive('n5-2az', 244, 2e-3, Z95 * 2e-4), fb('n5-3az', 1.6e-5, 0.15));
    expect(mixed.value).toBeCloseTo(125, 6);
    expect(mixed.relativeErrors[0]).toBeCloseTo(0.1, 6);

    const degenerate = quorumRatio(fb('n6', 2e-8, 0.3, true, 2e-8), fb('n5', 1e-8, 0.1, false, 1e-8));
    expect(degenerate).toMatchObject({ value: null, ci95: null, closedForm: 2 });
    expect(degenerate.refused).toBe("n6's likelihood-ratio weights are degenerate (the likelihood-ratio weights are degenerate: one cycle carries 80% of the quorum downtime)");
    expect(ratioWithInterval(degenerate)).toBeNull();

    const few = quorumRatio(naive('a', 9, 1e-3, 5e-4), fb('b', 1e-5, 0.1));
    expect(few).toMatchObject({ value: null, closedForm: null });
    expect(few.refused).toBe('a lost its quorum 9 times in the simulation, fewer than 10');
  });
});

/**
 * The request-driven signals (observe/metrics.ts zk_outstanding_requests, zk_approximate_data_size,
 * the held zk_p99_updatelatency) from hand-written events, and the alert study's lazy workload
 * (montecarlo/alert-study-workload.ts): writes only after changes, and a latency page that fires
 * when a fault slows writes, which cannot fire without the workload. Fixed seeds throughout.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAlertRules } from '../../src/config/alerts.js';
import { Rng } from '../../src/core/index.js';
import type { TrialEvent } from '../../src/model/index.js';
import { runAlertStudy } from '../../src/montecarlo/alert-study-stats.js';
import { STUDY_SETTLE_US, studyWorkload } from '../../src/montecarlo/alert-study-workload.js';
import { signalsFromEvents, upperQuantile, valueAt, type ServerSignals } from '../../src/observe/metrics.js';
import { alertStudyText } from '../../src/report/alerts-text.js';
import { runTrial } from '../../src/scenario/index.js';
import { quantile, sortedCopy } from '../../src/stats/index.js';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { experiment, faults, S, topology } from '../helpers/topologies.js';

function at(signals: ServerSignals[], server: number, key: string, s: number): number {
  const series = signals.find((x) => x.server === server)?.series.get(key);
  return series === undefined ? Number.NaN : valueAt(series, s * S);
}

const leaderAndFollower: TrialEvent[] = [
  { type: 'roleDecided', atUs: 1 * S, server: 1, role: 'LEADING', leader: 1, round: 1, viaFinalizeWait: true },
  { type: 'roleDecided', atUs: 1 * S, server: 2, role: 'FOLLOWING', leader: 1, round: 1, viaFinalizeWait: true },
  { type: 'established', atUs: 2 * S, server: 1, epoch: 1, quorum: [1, 2] },
  { type: 'synced', atUs: 2 * S, server: 2, leader: 1, epoch: 1, mode: 'DIFF' },
];

describe('zk_outstanding_requests', () => {
  const events: TrialEvent[] = [
    ...leaderAndFollower,
    { type: 'writeIssued', atUs: 10 * S, server: 1, writeId: 1 },
    { type: 'writeIssued', atUs: 11 * S, server: 1, writeId: 2 },
    { type: 'writeIssued', atUs: 11 * S, server: 2, writeId: 3 },
    { type: 'writeCommitted', atUs: 12 * S, server: 1, writeId: 1, latencyUs: 2 * S },
    { type: 'writeFailed', atUs: 13 * S, server: 2, writeId: 3, reason: 'timed out' },
    { type: 'looking', atUs: 20 * S, server: 1 },
    { type: 'roleDecided', atUs: 21 * S, server: 1, role: 'FOLLOWING', leader: 2, round: 2, viaFinalizeWait: true },
    { type: 'synced', atUs: 21 * S, server: 1, leader: 2, epoch: 2, mode: 'DIFF' },
    // the answer to a write of the finished role: the new role's count stays 0
    { type: 'writeFailed', atUs: 22 * S, server: 1, writeId: 2, reason: 'rejected' },
  ];
  const sig = signalsFromEvents(events, { servers: [1, 2], voters: new Set([1, 2]) });
  it('counts the writes handed to a server and not yet answered, per server', () => {
    expect([1, 2, 10, 11, 12, 19].map((t) => at(sig, 1, 'zk_outstanding_requests', t))).toEqual([Number.NaN, 0, 1, 2, 1, 1]);
    expect([11, 13].map((t) => at(sig, 2, 'zk_outstanding_requests', t))).toEqual([1, 0]);
  });
  it('is absent while LOOKING and starts from 0 in the next role (a new ZooKeeperServer)', () => {
    expect(at(sig, 1, 'zk_outstanding_requests', 20)).toBeNaN();
    expect([21, 22].map((t) => at(sig, 1, 'zk_outstanding_requests', t))).toEqual([0, 0]);
  });
});

describe('zk_approximate_data_size', () => {
  const commit = (s: number, writeId: number): TrialEvent => ({ type: 'writeCommitted', atUs: s * S, server: 1, writeId, latencyUs: 5000 });
  const events: TrialEvent[] = [
    ...leaderAndFollower,
    commit(10, 1),
    commit(11, 2),
    { type: 'looking', atUs: 12 * S, server: 2 },
    commit(13, 3),
    { type: 'roleDecided', atUs: 14 * S, server: 2, role: 'FOLLOWING', leader: 1, round: 2, viaFinalizeWait: true },
    commit(15, 4),
    { type: 'synced', atUs: 16 * S, server: 2, leader: 1, epoch: 1, mode: 'DIFF' },
  ];
  const base = 2 * 1024 * 1024;
  const sig = signalsFromEvents(events, { servers: [1, 2], voters: new Set([1, 2]), storage: { snapshotMB: 2, txnBytes: 1000 } });
  it('is the data tree plus txnBytes per committed write on every server in sync', () => {
    expect([2, 10, 11, 13, 15].map((t) => at(sig, 1, 'zk_approximate_data_size', t))).toEqual([base, base + 1000, base + 2000, base + 3000, base + 4000]);
    expect(at(sig, 2, 'zk_approximate_data_size', 11)).toBe(base + 2000);
  });
  it('a server out of the ensemble is absent while LOOKING and syncing (mntr is not serving), then holds the ensemble\'s', () => {
    expect(at(sig, 2, 'zk_approximate_data_size', 12)).toBeNaN();
    expect([14, 15].map((t) => at(sig, 2, 'zk_approximate_data_size', t))).toEqual([Number.NaN, Number.NaN]);
    expect(at(sig, 2, 'zk_approximate_data_size', 16)).toBe(base + 4000);
  });
  it('is absent without the topology\'s storage', () => {
    const none = signalsFromEvents(events, { servers: [1, 2], voters: new Set([1, 2]) });
    expect(at(none, 1, 'zk_approximate_data_size', 11)).toBeNaN();
  });
});

describe('zk_p99_updatelatency held between changes (holdLatency)', () => {
  const slow = Array.from({ length: 10 }, (_, i): TrialEvent => ({ type: 'writeCommitted', atUs: (10 + i) * S, server: 1, writeId: i + 1, latencyUs: 300_000 }));
  const events: TrialEvent[] = [...leaderAndFollower, ...slow, { type: 'learnerLost', atUs: 300 * S, server: 1, learner: 2, reason: 'read timeout' }];
  it('with no write in the window: the quiet value without hold, the last measured p99 with it', () => {
    const plain = signalsFromEvents(events, { servers: [1, 2], voters: new Set([1, 2]), steadyLatencyMs: 7 });
    const held = signalsFromEvents(events, { servers: [1, 2], voters: new Set([1, 2]), steadyLatencyMs: 7, holdLatency: true });
    expect(at(plain, 1, 'zk_p99_updatelatency', 19)).toBe(300);
    expect(at(plain, 1, 'zk_p99_updatelatency', 300)).toBe(7);
    expect(at(held, 1, 'zk_p99_updatelatency', 300)).toBe(300);
  });
  it('a restarted process starts from the quiet value again', () => {
    const stopped: TrialEvent[] = [...events, { type: 'processStopped', atUs: 301 * S, server: 1, how: 'killed' }, { type: 'stepDone', atUs: 400 * S, server: 1, step: 'jvmStart', tookUs: S, bytes: 0 },
      { type: 'looking', atUs: 400 * S, server: 1 },
      { type: 'roleDecided', atUs: 401 * S, server: 1, role: 'FOLLOWING', leader: 2, round: 2, viaFinalizeWait: true },
      { type: 'synced', atUs: 402 * S, server: 1, leader: 2, epoch: 2, mode: 'DIFF' }];
    const held = signalsFromEvents(stopped, { servers: [1, 2], voters: new Set([1, 2]), steadyLatencyMs: 7, holdLatency: true });
    expect([401, 402].map((t) => at(held, 1, 'zk_p99_updatelatency', t))).toEqual([Number.NaN, 7]);
  });
});

describe('upperQuantile', () => {
  it('equals the sorted type-7 quantile for p99 and p90 at every size from 1 to 700', () => {
    const rng = new Rng('upper-quantile');
    for (let n = 1; n <= 700; n += n < 20 ? 1 : 37) {
      const l = Array.from({ length: n }, () => ({ ms: Math.round(rng.next() * 1000) / 10 }));
      for (const q of [0.99, 0.9]) expect(upperQuantile(l, 0, q), `n=${n} q=${q}`).toBe(quantile(sortedCopy(l.map((x) => x.ms)), q));
    }
    expect(upperQuantile([{ ms: 1 }, { ms: 2 }], 2, 0.99)).toBeNaN();
  });
});

describe('the lazy workload (studyWorkload)', () => {
  it('writes while writes are down and for the settle after each change, and nowhere else', () => {
    const n3 = topology('n3-1az');
    const issued: number[] = [];
    const changes: number[] = [];
    const r = runTrial({ topology: n3, seed: 'lazy', durationUs: 20 * 60 * S, faults: faults(n3, 'kill:2@8m+1m'), workload: studyWorkload(5), hooks: { onEvent: (e) => void changes.push(e.atUs), onClientEvent: (e) => void (e.type === 'writeIssued' && issued.push(e.atUs)) } });
    expect(r.clients?.writes.committed).toBeGreaterThan(0);
    // every write within the settle of the change before it (writes are down only at the start, before the first writesAvailable)
    const firstUp = r.recorder.events.find((e) => e.type === 'writesAvailable')?.atUs ?? Infinity;
    for (const t of issued) if (t > firstUp) expect(changes.some((c) => c <= t && t <= c + STUDY_SETTLE_US), `write at ${t / S} s`).toBe(true);
    // idle between the cold start's settle and the fault, writing again after the kill and after the restart
    const between = issued.filter((t) => t > firstUp + STUDY_SETTLE_US + 10 * S && t < 8 * 60 * S);
    expect(between).toEqual([]);
    expect(issued.filter((t) => t >= 8 * 60 * S && t < 8 * 60 * S + STUDY_SETTLE_US).length).toBeGreaterThan(100);
    expect(issued.filter((t) => t >= 9 * 60 * S).length).toBeGreaterThan(100);
    expect(issued.filter((t) => t > 14 * 60 * S)).toEqual([]);
  });
});

describe('a latency page in a study where writes slow down (GC pauses, a gray fault)', () => {
  // n3-1az under the production model plus stop-the-world pauses every ~2 days per server of ~4 s:
  // a paused leader stalls the writes, whose p99 over the next minute is seconds
  const base = experiment('production');
  const paused = { ...base, failures: { ...base.failures, pauses: { every: { dist: 'exponential' as const, mean: 2 * 86_400 * S }, duration: { dist: 'lognormal' as const, median: 4 * S, sigma: 0.3 } } } };
  const parsed = parseAlertRules(
    "rules:\n  - alert: WriteLatencySpike\n    expr: { signal: zk_p99_updatelatency, aggregate: max, op: '>', threshold: 100 }\n    for: 0s\n    labels: { severity: page }\n",
    'spike.yaml',
  );
  if (!parsed.ok) throw new Error('rules do not parse');
  const input = { topology: topology('n3-1az'), experiment: paused, rules: parsed.rules, runs: 1, seed: 3, horizonUs: 30 * 86_400 * S, graceUs: 300 * S, steadyLatencyMs: 6 };
  it('fires with the workload (seed 3, 30 days)', () => {
    const s = runAlertStudy({ ...input, workload: studyWorkload() });
    expect(s.byRule[0]?.count).toBeGreaterThan(0);
    expect(alertStudyText(s)).toContain('workload: 2 writes/s while writes were down and for 90 s after each change');
  });
  it('cannot fire without it: the study holds the quiet p99 and says so', () => {
    const s = runAlertStudy({ ...input, workload: null });
    expect(s.byRule[0]?.count).toBe(0);
    expect(alertStudyText(s)).toContain('the study runs no workload (--workload runs one), so latency rules see no spikes and a threshold above it cannot fire');
  });
});

describe('zksim alerts study --workload-rate (the built CLI)', () => {
  it('a rate out of (0, 200] is refused: exit 2, what was expected, before simulating', async () => {
    for (const rate of ['0', 'x', '500']) {
      const r = await zksim(['alerts', 'study', 'topologies/n3-1az.yaml', '--runs', '1', '--workload', '--workload-rate', rate]);
      expect(r.status, rate).toBe(2);
      expect(r.stderr).toContain(`--workload-rate "${rate}": expected writes per second, a number in (0, 200]`);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });
  it('the study text says what the workload was', async () => {
    const r = await zksim(['alerts', 'study', 'topologies/n3-1az.yaml', '--runs', '1', '--horizon', '2h', '--workload', '--workload-rate', '5']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('workload: 5 writes/s while writes were down and for 90 s after each change of the ensemble');
  });
});

describe('zksim run --alerts over the request-driven signals (the built CLI)', () => {
  it('zk_outstanding_requests and zk_approximate_data_size move with the run\'s writes (n3-1az: a 10 MiB tree, 1 KiB a txn)', async () => {
    const file = join(tempDir('zksim-workload-signals-'), 'rules.yaml');
    const rule = (name: string, expr: string): string => `  - alert: ${name}\n    expr: ${expr}\n    labels: { severity: ticket }\n`;
    writeFileSync(file, 'rules:\n' +
      rule('Outstanding', "{ signal: zk_outstanding_requests, function: max_over_time, window: 1m, aggregate: max, op: '>', threshold: 0 }") +
      rule('TreeGrew', `{ signal: zk_approximate_data_size, aggregate: max, op: '>', threshold: ${10 * 1024 * 1024 + 100 * 1024} }`) +
      rule('TreeHuge', `{ signal: zk_approximate_data_size, aggregate: max, op: '>', threshold: ${11 * 1024 * 1024} }`));
    const r = await zksim(['run', 'topologies/n3-1az.yaml', '--writes', '50', '--duration', '2m', '--alerts', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Outstanding +ticket fired/);
    // 2 min at 50 writes/s is ~6,000 writes of 1 KiB: past 100 KiB and 1 MiB more than the tree; without writes neither
    expect(r.stdout).toMatch(/TreeGrew +ticket fired/);
    expect(r.stdout).toMatch(/TreeHuge +ticket fired/);
    const quiet = await zksim(['run', 'topologies/n3-1az.yaml', '--duration', '2m', '--alerts', file]);
    expect(quiet.stdout).toContain('none fired');
  });
});

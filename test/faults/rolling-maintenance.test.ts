/**
 * Issue 9, item 4: rolling maintenance with `order: leader-last` restarts the followers first and
 * whoever leads at that moment last (since issue 14 each round is a `maintenance` fault the trial
 * runs as a gated plan, scenario/maintenance-kind.ts), so each round costs exactly one election; `order: any` restarts the servers in a random order per
 * round, and when the server elected after the leader's restart is still due, it is restarted too
 * and forces another election.
 *
 * rolling-maintenance.yaml with host failures off (so every election is maintenance's): weekly
 * rounds, 2 min per server, 5 min apart, a year per trial, 10 trials, fixed seed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/errors.js';
import { parseExperiment } from '../../src/config/experiment.js';
import type { Experiment, MaintenanceOrder } from '../../src/model/experiment.js';
import { availabilityDocument, runStudies, type ResultRow } from '../../src/montecarlo/index.js';
import { configs, options } from '../montecarlo/helpers.js';
import { parseTopology } from '../../src/config/topology.js';
import type { FaultSpec } from '../../src/model/faults.js';
import { Trial } from '../../src/scenario/index.js';

function rolling(order: MaintenanceOrder): Experiment {
  const parsed = parseExperiment(readFileSync('experiments/rolling-maintenance.yaml', 'utf8'), 'rolling-maintenance.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join('\n'));
  const e = parsed.experiment;
  return { ...e, failures: { ...e.failures, hostFailures: null, rollingMaintenance: { ...e.failures.rollingMaintenance!, order } } };
}

async function row(order: MaintenanceOrder): Promise<ResultRow> {
  const e = rolling(order);
  const opts = options({ horizonUs: e.horizonUs, runs: 10, chunkSize: 10 });
  const { studies } = await runStudies(configs(e, 'n5-3az'), opts, 'test', { workers: 1 });
  return availabilityDocument(opts, studies, 'test').results[0]!;
}

describe('rolling maintenance order', () => {
  it('leader-last costs one election per round; any costs more', async () => {
    const last = await row('leader-last');
    const any = await row('any');
    // One fault per round (the trial runs the round as a plan); rounds start at a random phase in
    // the first week, so a year holds 52 rounds (53 when the phase is < 1 day), the last possibly
    // cut short by the horizon.
    const roundsPerYear = last.faultsPerTrial / last.horizonYears;
    expect(roundsPerYear).toBeGreaterThanOrEqual(51.8);
    expect(roundsPerYear).toBeLessThanOrEqual(53.2);
    // The mechanism is deterministic: each round's last step hits the leader, nothing else does.
    // Allow one election either way per trial (a round cut by the horizon before its last step).
    const perRound = last.electionsPerYear / roundsPerYear;
    expect(Math.abs(perRound - 1)).toBeLessThanOrEqual(1 / roundsPerYear);
    // `any`: the server FLE elects next is still due in about half the rounds (≈ 1.5 per round).
    expect(any.electionsPerYearCi95[0]).toBeGreaterThan(last.electionsPerYearCi95[1]);
    expect(any.electionsPerYear / roundsPerYear).toBeGreaterThan(1.25);
  }, 60_000);
});

describe('rolling maintenance with observers in the voters\' zones', () => {
  it('a leader-last round restarts the follower voters, then the leader, then the observers', () => {
    const text = readFileSync('topologies/n5-3az.yaml', 'utf8').replace(
      '  - { id: 5, zone: az3, rack: az3-r1 }\n',
      '  - { id: 5, zone: az3, rack: az3-r1 }\n  - { id: 6, zone: az1, rack: az1-r1, role: observer }\n  - { id: 7, zone: az2, rack: az2-r3, role: observer }\n',
    );
    const parsed = parseTopology(text, 'n5-3az-observers.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const S = 1_000_000;
    // one round of seven steps, 20 s apart, each server down 5 s: the ensemble re-elects in well under 15 s
    const faults: FaultSpec[] = [1, 2, 3, 4, 5, 6, 7].map((id, i) => ({
      kind: 'kill',
      node: { kind: 'maintenance', round: 1, order: 'leader-last', id },
      atUs: 30 * S + i * 20 * S,
      durationUs: 5 * S,
      source: 'rollingMaintenance',
    }));
    const result = new Trial({ topology: parsed.topology, seed: 'maintenance-observers', durationUs: 200 * S, faults }).run();
    const killed = result.recorder.timeline
      .filter((e) => e.kind === 'fault' && e.what.includes('process killed'))
      .map((e) => ({ atUs: e.atUs, id: Number(/server (\d+) process killed/.exec(e.what)![1]) }));
    expect(killed.map((k) => k.id).slice(0, 5).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(killed.map((k) => k.id).slice(5)).toEqual([6, 7]);
    // the fifth step hit whoever led at that moment
    const fifth = killed[4]!;
    const leading = result.recorder.leaders.find((l) => l.electedAtUs <= fifth.atUs && (l.endedAtUs === null || l.endedAtUs >= fifth.atUs));
    expect(leading?.node).toBe(fifth.id);
  });
});

/**
 * Calibration against real ZooKeeper 3.8 (issue 13, must hold): the scenarios of
 * ../shared/reference/real-zk-n3/ on topologies/lab-n3.yaml, each simulated median within ±25% of
 * the real median, with the same outcomes, over 20 seeds. The model and its defaults are the ones
 * every topology uses (src/demos/calibration.ts runs the scenarios; nothing is tuned per case).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../src/config/topology.js';
import { calibrate, REAL_ZK_N3, type Calibration } from '../../src/demos/calibration.js';

const RUNS = 20;
const file = fileURLToPath(new URL('../../topologies/lab-n3.yaml', import.meta.url));

function labTopology() {
  const parsed = parseTopology(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  return parsed.topology;
}

describe('calibration: lab-n3 against real ZooKeeper 3.8 (real-zk-n3), 20 seeds', () => {
  let result: Calibration | null = null;
  const get = (): Calibration => (result ??= calibrate(labTopology(), RUNS));

  it('every simulated median is within ±25% of the real median', () => {
    const rows = get().rows;
    expect(rows.map((r) => r.quantity)).toHaveLength(6);
    for (const r of rows) {
      expect(r.valuesMs).toHaveLength(RUNS);
      expect(r.ratio, `${r.scenario}: ${r.quantity} — sim median ${r.simMedianMs.toFixed(1)} ms vs real ${r.realMedianMs} ms`).toBeGreaterThanOrEqual(0.75);
      expect(r.ratio, `${r.scenario}: ${r.quantity} — sim median ${r.simMedianMs.toFixed(1)} ms vs real ${r.realMedianMs} ms`).toBeLessThanOrEqual(1.25);
    }
  });

  it('a killed leader is followed by the highest surviving sid in every run, as in 20 of 20 real ones', () => {
    expect(get().outcomes.highestSurvivorLed).toBe(RUNS);
    expect(REAL_ZK_N3.leaderKill.highestSurvivorLeads).toBe('20 of 20');
  });

  it('a killed follower changes no leader and fails no write to a surviving server', () => {
    expect(get().outcomes.followerKillLeaderChanges).toBe(REAL_ZK_N3.followerKill.leaderChanges);
    expect(get().outcomes.followerKillFailedWrites).toBe(REAL_ZK_N3.followerKill.failedWrites);
  });

  it('a cold start is led by server 3, the highest sid', () => {
    expect(get().outcomes.coldStartHighestLed).toBe(RUNS);
    expect(REAL_ZK_N3.coldStart.leader).toBe(3);
  });
});

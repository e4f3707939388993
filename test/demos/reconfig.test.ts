/**
 * The reconfig demo's claims, from its facts at seed 1: growing to five voters costs no election
 * and no write; removing the leader hands over without an FLE election and with less time without
 * writes than killing it; a reconfig committed with the new quorum alone loses acknowledged writes,
 * while 3.8's rule (quorums of the old and the new configuration) loses none.
 */
import { describe, expect, it } from 'vitest';
import { reconfig } from '../../src/demos/reconfig.js';
import type { GrowStory, HandoverStory, MoveStory } from '../../src/demos/reconfig-scenes.js';
import { experiment, topology } from '../helpers/topologies.js';
import { formatDurationMs } from '../../src/stats/format.js';

describe('demo reconfig', () => {
  it('grows with no election, hands leadership over faster than a kill, and needs both quorums', { timeout: 60_000 }, () => {
    const out = reconfig.build({ seed: '1', version: 'test', topology, experiment }, new Map());
    const { grow, handover, move } = out.facts as { grow: GrowStory; handover: HandoverStory; move: MoveStory };

    // 1. one reconfig adds two new hosts as voters: 3 → 5 voters, tolerance 1 → 2, nobody elected, no write lost
    expect(grow.reconfig.voters).toEqual([1, 2, 3, 4, 5]);
    expect([grow.votersBefore, grow.votersAfter, grow.toleratedBefore, grow.toleratedAfter]).toEqual([3, 5, 1, 2]);
    expect(grow.after.elections).toBe(0);
    expect(grow.after.takeovers).toEqual([]);
    expect(grow.after.writeDownMs).toBe(0);
    expect(grow.after.writesFailed).toBe(0);

    // 2. the removed leader designates its successor: no FLE round, shorter than the kill's election
    const { reconfig: byReconfig, kill } = handover;
    expect(handover.leader).toBe(5);
    expect(byReconfig.outcome.voters).not.toContain(handover.leader);
    expect(byReconfig.elections).toBe(0);
    expect(byReconfig.takeovers.map((t) => [t.node, t.how])).toEqual([[byReconfig.outcome.designatedLeader, 'designated']]);
    expect(kill.elections).toBe(1);
    expect(kill.takeovers[0]?.how).toBe('elected');
    expect(byReconfig.writeDownMs).toBeGreaterThan(0);
    expect(byReconfig.writeDownMs).toBeLessThan(kill.writeDownMs);
    expect(byReconfig.violationTotal + kill.violationTotal).toBe(0);

    // 3. quorums of old and new: nothing committed by the new members alone, no violation; new quorum only: Durability fires
    expect(move.newMembers).toEqual([3, 4, 5]);
    expect(move.real.reconfig.committedAtMs).toBeNull();
    expect(move.real.newSideAcked).toBe(0);
    expect(move.real.violationTotal).toBe(0);
    expect(move.unsafe.reconfig.committedAtMs).not.toBeNull();
    expect(move.unsafe.newSideAcked).toBeGreaterThan(0);
    expect(move.unsafe.violationsByInvariant['Durability'] ?? 0).toBeGreaterThanOrEqual(1);

    expect(out.tables).toHaveLength(3);
    expect(out.charts.map((c) => c.name)).toEqual(['reconfig-handover', 'reconfig-both-quorums']);
    expect(out.runs.map((r) => r.name)).toEqual(['grow', 'remove-leader', 'kill-leader', 'move-both-quorums', 'move-new-quorum-only']);
    const text = out.text.replace(/\s+/g, ' ');
    // a duration auto-scaled (133 ms on seed 1), never seconds with fixed decimals (0.133 s)
    expect(text).toContain(`${formatDurationMs(byReconfig.writeDownMs)} without writes for the ensemble`);
    expect(text).not.toMatch(/\d\.\d{3} s without writes/);
    expect(text).toContain(`Durability ${move.unsafe.violationsByInvariant['Durability']}`);
  });
});

/** The backup-restore demo's claims, from its facts (the numbers its narration quotes). */
import { describe, expect, it } from 'vitest';
import { backupRestore, LOSS_AT_US, REBUILD_US, SWEEP_INTERVALS_US, SWEEP_LOSS_AT_US } from '../../src/demos/backup-restore.js';
import type { DemoInputs } from '../../src/demos/index.js';
import { experiment, topology } from '../helpers/topologies.js';

describe('demo backup-restore', () => {
  it('a region loss: RPO = the writes acknowledged since the last shipment, RTO past the new hosts; the RPO grows with the shipping interval', { timeout: 120_000 }, () => {
    const out = backupRestore.build({ seed: '1', version: 'test', topology, experiment } as unknown as DemoInputs, new Map());
    const facts = out.facts as {
      loss: { atMs: number; lastShippedMs: number; ackedLost: number };
      rtoMs: number;
      phases: [string, number, number][];
      sweep: { everyMs: number; lastShippedMs: number | null; ackedLost: number }[];
    };
    expect(facts.loss.atMs).toBe(LOSS_AT_US / 1000);
    expect(facts.loss.lastShippedMs).toBe(540_000); // 1-minute shipping: the last one at 9 min, 30 s before the loss
    expect(facts.loss.ackedLost).toBeGreaterThan(100); // 5 writes/s for 30 s, Poisson
    expect(facts.loss.ackedLost).toBeLessThan(200);
    expect(facts.rtoMs).toBeGreaterThan(REBUILD_US / 1000); // the servers restart on the replacement hosts
    expect(facts.phases.map((p) => p[0])).toEqual(['detect (alert, page)', 'decide (accept the loss)', 'fetch the backup', 'wait for new hosts', 'start, load, elect']);
    // the newest copy before a loss 1 s ahead of a shipment is a whole interval old
    facts.sweep.forEach((s, i) => expect(s.lastShippedMs).toBe((SWEEP_LOSS_AT_US + 1_000_000 - (SWEEP_INTERVALS_US[i] as number)) / 1000));
    const lost = facts.sweep.map((s) => s.ackedLost);
    expect([...lost].sort((a, b) => a - b)).toEqual(lost);
    expect(out.charts.map((c) => c.name)).toEqual(['restore-phases', 'rpo-by-interval']);
    expect(out.text).toContain('The safety checker flags nothing');
  });
});

/** The migration demo's claims, from its facts: the big bang stops writes for the whole cut-over, the migration for at most an election. */
import { describe, expect, it } from 'vitest';
import { migration } from '../../src/demos/migration.js';
import { experiment, topology } from '../helpers/topologies.js';
import { plan } from '../plan/helpers.js';

describe('demo migration', () => {
  it('big bang: writes down and no quorum for the whole copy; migration: one election at most, writes down under a second', { timeout: 120_000 }, () => {
    const out = migration.build({ seed: '1', version: 'test', topology, experiment, plan }, new Map());
    const facts = out.facts as { quiet: { plan: string; writeDownMs: number; writesFailed: number; elections: number; durationMs: number; quorumLost: { runs: number } }[]; underFailures: { plan: string; quorumLost: { p: number } }[] };
    const [mig, bang] = facts.quiet;
    expect(mig!.plan).toBe('migration');
    expect(mig!.elections).toBeLessThanOrEqual(1);
    expect(mig!.writeDownMs).toBeLessThan(1000);
    // the copy alone is 4096 MB at 100 MB/s = 40.96 s, and writes are down from the stop to the restart
    expect(bang!.writeDownMs).toBeGreaterThan(40_960);
    expect(bang!.writesFailed).toBeGreaterThan(20 * 40);
    expect(bang!.quorumLost.runs).toBe(1);
    expect(facts.underFailures.find((s) => s.plan === 'big-bang')!.quorumLost.p).toBe(1);
    expect(out.text.replace(/\s+/g, ' ')).toContain('That is the red flag: a big bang is a planned outage of the whole ensemble');
  });
});

/** The rolling-upgrade demo's claims, from its facts (the numbers its narration quotes). */
import { describe, expect, it } from 'vitest';
import { rollingUpgrade } from '../../src/demos/rolling-upgrade.js';
import { experiment, topology } from '../helpers/topologies.js';
import { plan } from '../plan/helpers.js';

describe('demo rolling-upgrade', () => {
  it('gated leader-last: one election on n3 and n5; the random order no fewer; n5 keeps a spare, n3 does not', { timeout: 120_000 }, () => {
    const out = rollingUpgrade.build({ seed: '1', version: 'test', topology, experiment, plan }, new Map());
    const facts = out.facts as Record<string, { quiet: { plan: string; elections: number; noSpareMs: number }[]; underFailures: { plan: string; runs: number }[] }>;
    for (const t of ['n3-3az', 'n5-3az']) {
      const [gated, any] = facts[t]!.quiet;
      expect(gated).toMatchObject({ plan: 'rolling-upgrade', elections: 1 });
      expect(any!.elections).toBeGreaterThanOrEqual(gated!.elections);
      expect(facts[t]!.underFailures.map((s) => s.runs)).toEqual([30, 30, 30]);
    }
    expect(facts['n5-3az']!.quiet[0]!.noSpareMs).toBeLessThan(2000);
    expect(facts['n3-3az']!.quiet[0]!.noSpareMs).toBeGreaterThan(60_000);
    expect(out.text.replace(/\s+/g, ' ')).toContain("the gated leader-last upgrade caused 1 election (the leader's step)");
    expect(out.charts.map((c) => c.name)).toEqual(['rolling-upgrade-timeline', 'rolling-upgrade-n3-3az', 'rolling-upgrade-n5-3az']);
  });
});

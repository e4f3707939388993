/**
 * Issue 9, items 2 and 3: every failure process is defined per server, host, domain or zone
 * pair, so adding servers elsewhere (observers in a DR zone) never changes the faults the
 * existing servers see; and a bare duration in a stochastic field is an exponential mean.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/errors.js';
import { parseExperiment } from '../../src/config/experiment.js';
import { Rng } from '../../src/core/rng.js';
import { sampleFaults } from '../../src/faults/index.js';
import type { Experiment } from '../../src/model/experiment.js';
import type { FaultSpec } from '../../src/model/faults.js';
import type { Topology } from '../../src/model/topology.js';
import { topology } from '../helpers/topologies.js';

const Y = 365 * 86_400_000_000;

function experimentText(text: string, file: string): Experiment {
  const result = parseExperiment(text, file);
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.experiment;
}

/**
 * The faults as servers `ids` see them: node faults aimed at them, domain outages of domains
 * holding one of them, partitions restricted to them (dropped when one side is left empty).
 */
function seenBy(faults: readonly FaultSpec[], topo: Topology, ids: ReadonlySet<number>): FaultSpec[] {
  const holds = (field: 'zone' | 'rack' | 'region', name: string): boolean => topo.servers.some((s) => s[field] === name && ids.has(s.id));
  const out: FaultSpec[] = [];
  for (const f of faults) {
    switch (f.kind) {
      case 'kill':
      case 'crash':
      case 'isolate':
      case 'wipe':
        if (f.node.kind !== 'server' || ids.has(f.node.id)) out.push(f);
        break;
      case 'zone-down':
        if (holds('zone', f.zone)) out.push(f);
        break;
      case 'rack-down':
      case 'region-down':
        if (holds(f.kind === 'rack-down' ? 'rack' : 'region', f.domain)) out.push(f);
        break;
      case 'partition': {
        const a = f.groups[0].filter((id) => ids.has(id));
        const b = f.groups[1].filter((id) => ids.has(id));
        if (a.length > 0 && b.length > 0) out.push({ ...f, groups: [a, b] });
        break;
      }
      case 'oneway':
        out.push(f);
        break;
    }
  }
  return out;
}

describe('observers never change the faults voters see', () => {
  it('servers 1..5 see exactly the same production.yaml faults in n5-3az and n5-3az-dr', () => {
    const production = experimentText(readFileSync('experiments/production.yaml', 'utf8'), 'production.yaml');
    const plain = topology('n5-3az');
    const dr = topology('n5-3az-dr');
    const voters = new Set([1, 2, 3, 4, 5]);
    let total = 0;
    let extra = 0;
    for (let trial = 0; trial < 50; trial++) {
      const rng = (): Rng => new Rng(`1|trial:${trial}|fork:"faults"`);
      const a = sampleFaults(production, plain, rng(), Y);
      const b = sampleFaults(production, dr, rng(), Y);
      expect(seenBy(a, plain, voters)).toEqual(a); // n5-3az has nothing but voters
      expect(seenBy(b, dr, voters)).toEqual(a);
      total += a.length;
      extra += b.length - a.length;
    }
    // the comparison is not vacuous: bursts and zone partitions are in it, and the DR site adds faults of its own
    expect(total).toBeGreaterThan(50 * 10);
    expect(extra).toBeGreaterThan(50);
  });
});

describe('a bare duration in a stochastic field is the mean of an exponential', () => {
  it('hostFailures { mttf: 1y, mttr: 4h } over a year injects faults at varied times (the repro of issue 9)', () => {
    const e = experimentText('horizon: 1y\nfailures:\n  hostFailures: { mttf: 1y, mttr: 4h }\n', 'repro.yaml');
    expect(e.failures.hostFailures).toEqual({ mttf: { dist: 'exponential', mean: Y }, mttr: { dist: 'exponential', mean: 4 * 3_600_000_000 } });
    const n5 = topology('n5-3az');
    const trials = 200;
    const starts: number[] = [];
    for (let trial = 0; trial < trials; trial++) for (const f of sampleFaults(e, n5, new Rng(`repro|${trial}`), e.horizonUs)) starts.push(f.atUs);
    // 5 hosts, each a renewal process with cycles of mean 1y + 4h: about 5 · (1 − 4.6e-4) ≈ 5.0
    // faults per trial, roughly Poisson, so the total over 200 trials is 1,000 ± 4·√1,000.
    expect(Math.abs(starts.length - 1000)).toBeLessThan(4 * Math.sqrt(1000));
    // Varied times: no two faults on one instant, and spread over the year. Exponential up times
    // make each host's failures (nearly) a Poisson process, so about half fall in the first half
    // year: the fraction's standard error is √(0.25/1,000) ≈ 0.016; we allow 4 of them.
    expect(new Set(starts).size).toBe(starts.length);
    const early = starts.filter((t) => t < Y / 2).length / starts.length;
    expect(Math.abs(early - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / starts.length));
  });
});

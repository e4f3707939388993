/**
 * The disk model (scenario/disk.ts): per-server storage overrides, the slow-disk and stall API,
 * the full disk's errors, and the epoch-file / snapshot draws (deterministic per seed).
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError, parseTopology } from '../../src/config/index.js';
import { LAB_FILE_REPLACE, LAB_FSYNC } from '../../src/config/schema.js';
import { topologyFromJson, topologyToJson } from '../../src/config/topology-json.js';
import { Rng, Simulation } from '../../src/core/index.js';
import { serverStorage, type Topology } from '../../src/model/index.js';
import { Disks } from '../../src/scenario/disk.js';
import type { SimEvent } from '../../src/scenario/sim-events.js';

const MS = 1000;

function parse(text: string): Topology {
  const result = parseTopology(text, 'disk.yaml');
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.topology;
}

const CONSTANT = parse(`
storage:
  fsync: { dist: constant, value: 1ms }
  fileReplace: { dist: constant, value: 3ms }
  bandwidthMbps: 1000
servers:
  - { id: 1, zone: a }
  - { id: 2, zone: a, storage: { fsync: { dist: constant, value: 20ms } } }
  - { id: 3, zone: a }
`);

interface Done {
  readonly atUs: number;
  readonly kind: string;
  readonly node: number;
  readonly token: number;
}

function rig(topology: Topology = CONSTANT, seed = 'disk'): { disks: Disks; sim: Simulation<SimEvent>; run: (untilUs: number) => Done[] } {
  const sim = new Simulation<SimEvent>();
  const disks = new Disks(topology, new Rng(seed), sim);
  const run = (untilUs: number): Done[] => {
    const out: Done[] = [];
    sim.runUntil(untilUs, (ev, atUs) => {
      if (ev.kind === 'fsynced' || ev.kind === 'diskError') out.push({ atUs, kind: ev.kind, node: ev.node, token: ev.token });
    });
    return out;
  };
  return { disks, sim, run };
}

describe('per-server storage', () => {
  it('reads a server\'s own fsync, merges it over the ensemble\'s and round-trips the JSON contract', () => {
    expect(serverStorage(CONSTANT, 2)).toEqual({ ...CONSTANT.storage, fsync: { dist: 'constant', value: 20 * MS } });
    expect(serverStorage(CONSTANT, 1)).toBe(CONSTANT.storage);
    expect(topologyToJson(CONSTANT).servers[1]?.storage).toEqual({ fsync: { dist: 'constant', valueMs: 20 } });
    expect(topologyFromJson(topologyToJson(CONSTANT))).toEqual(CONSTANT);
  });

  it('uses the override on that server only', () => {
    const { disks, run } = rig();
    disks.persist(1, 1, 0, 11);
    disks.persist(2, 1, 0, 21);
    disks.persist(3, 1, 0, 31, 'epochFile');
    expect(run(100 * MS)).toEqual([
      { atUs: 1 * MS, kind: 'fsynced', node: 1, token: 11 },
      { atUs: 3 * MS, kind: 'fsynced', node: 3, token: 31 },
      { atUs: 20 * MS, kind: 'fsynced', node: 2, token: 21 },
    ]);
  });

  it('rejects a bad override naming the field, and keys a server\'s disk cannot set', () => {
    const errorsOf = (server: string): string[] => {
      const result = parseTopology(`servers:\n  - ${server}\n`, 'bad.yaml');
      return result.ok ? [] : result.errors.map(formatConfigError);
    };
    expect(errorsOf('{ id: 1, zone: a, storage: { fsync: { dist: lognormal, median: -1, sigma: 1 } } }')).toEqual([
      'bad.yaml:2:68: servers[0].storage.fsync.median: expected a positive finite value, found -1',
    ]);
    expect(errorsOf('{ id: 1, zone: a, storage: { snapshotMB: 5 } }')).toEqual([
      'bad.yaml:2:34: servers[0].storage.snapshotMB: unknown key "snapshotMB"; expected one of fsync, fileReplace',
    ]);
  });
});

describe('slow disk and stall', () => {
  it('draws later fsyncs from the slow distribution, and back to normal when cleared', () => {
    const { disks, sim, run } = rig();
    disks.setSlow(1, { dist: 'constant', value: 50 * MS });
    disks.persist(1, 1, 0, 1);
    expect(run(60 * MS)).toEqual([{ atUs: 50 * MS, kind: 'fsynced', node: 1, token: 1 }]);
    disks.setSlow(1, null);
    disks.persist(1, 1, 0, 2);
    expect(run(sim.nowUs + 10 * MS)).toEqual([{ atUs: 61 * MS, kind: 'fsynced', node: 1, token: 2 }]);
  });

  it('holds every fsync, those in flight included, until cleared; then they complete in FIFO order', () => {
    const { disks, run } = rig();
    disks.persist(1, 1, 0, 1); // in flight: due at 1 ms
    disks.persist(2, 1, 0, 9); // another server's disk is not stalled
    disks.setSlow(1, 'stall');
    disks.persist(1, 1, 0, 2);
    disks.persist(1, 1, 0, 3, 'epochFile');
    expect(run(10_000 * MS)).toEqual([{ atUs: 20 * MS, kind: 'fsynced', node: 2, token: 9 }]);
    disks.persist(1, 1, 0, 4);
    disks.setSlow(1, null);
    // one fsync (1 ms) after the stall clears, then each just after the one before
    expect(run(20_000 * MS)).toEqual([
      { atUs: 10_001 * MS, kind: 'fsynced', node: 1, token: 1 },
      { atUs: 10_001 * MS + 1, kind: 'fsynced', node: 1, token: 2 },
      { atUs: 10_001 * MS + 2, kind: 'fsynced', node: 1, token: 3 },
      { atUs: 10_001 * MS + 3, kind: 'fsynced', node: 1, token: 4 },
    ]);
  });
});

describe('full disk', () => {
  it('fails writes issued while full (diskError), in FIFO order behind the writes issued before', () => {
    const { disks, sim, run } = rig();
    disks.persist(1, 1, 0, 1);
    disks.setFull(1, true);
    expect(disks.isFull(1)).toBe(true);
    disks.persist(1, 1, 0, 2);
    disks.persist(1, 1, 0, 3, 'epochFile');
    expect(run(10 * MS)).toEqual([
      { atUs: 1 * MS, kind: 'fsynced', node: 1, token: 1 },
      { atUs: 1 * MS + 1, kind: 'diskError', node: 1, token: 2 },
      { atUs: 1 * MS + 2, kind: 'diskError', node: 1, token: 3 },
    ]);
    disks.setFull(1, false);
    disks.persist(1, 1, 0, 4);
    expect(run(sim.nowUs + 10 * MS)).toEqual([{ atUs: 11 * MS, kind: 'fsynced', node: 1, token: 4 }]);
  });
});

describe('epoch-file and snapshot draws', () => {
  const lab = parse(`
storage:
  fsync: { dist: lognormal, median: 2ms, sigma: 0.47 }
  fileReplace: { dist: lognormal, median: 3.4ms, sigma: 0.54 }
servers: [{ id: 1, zone: a }, { id: 2, zone: a }, { id: 3, zone: a }]
`);

  it('are deterministic per seed and differ between seeds', () => {
    const draw = (seed: string): number[] => {
      const { disks } = rig(lab, seed);
      return [disks.epochFileWriteUs(1), disks.snapshotWriteUs(2, 10 * 1024 * 1024, true), disks.epochFileWriteUs(3)];
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('epoch files follow the fileReplace distribution: its median within the 99% interval of 2,000 draws', () => {
    const { disks } = rig(lab, 'median');
    const n = 2000;
    const below = Array.from({ length: n }, () => disks.epochFileWriteUs(1)).filter((us) => us < 3400).length;
    // below ~ Binomial(n, 1/2): 99% two-sided interval n/2 ± 2.576·√(n/4)
    expect(Math.abs(below - n / 2)).toBeLessThan(2.576 * Math.sqrt(n / 4));
  });

  it('a snapshot is serialised at process.snapshotWriteMBps, plus a file replace when synced; a persist of one takes as long', () => {
    const { disks, run } = rig(CONSTANT);
    const bytes = 10 * 1024 * 1024;
    const serialiseUs = (10 / CONSTANT.process.snapshotWriteMBps) * 1_000_000;
    expect(disks.snapshotWriteUs(1, bytes)).toBe(serialiseUs);
    expect(disks.snapshotWriteUs(1, bytes, true)).toBe(serialiseUs + 3 * MS);
    disks.persist(2, 1, bytes, 7, 'snapshot');
    expect(run(10_000 * MS)).toEqual([{ atUs: serialiseUs, kind: 'fsynced', node: 2, token: 7 }]);
  });

  it('the lab figures match the measurement they cite (medians, p99 = median·e^(2.326σ))', () => {
    const p99 = (d: typeof LAB_FSYNC): number => (d.dist === 'lognormal' ? d.median * Math.exp(2.326 * d.sigma) : Number.NaN);
    expect(LAB_FSYNC).toMatchObject({ dist: 'lognormal', median: 2000 });
    expect(p99(LAB_FSYNC) / MS).toBeCloseTo(6, 0);
    expect(LAB_FILE_REPLACE).toMatchObject({ dist: 'lognormal', median: 3400 });
    expect(p99(LAB_FILE_REPLACE) / MS).toBeCloseTo(12, 0);
  });
});

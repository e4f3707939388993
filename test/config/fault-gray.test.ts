/**
 * The issue-13 fault kinds' text: start, pause, slow-disk, disk-full, loss, delay, blackhole parse
 * to the expected fields, format back to a text that parses to the same fault (also for arbitrary
 * parameters), and bad text gets an error naming the fault and what was expected.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFault, parseFault, parseTopology, type FaultSpec } from '../../src/config/index.js';
import type { Distribution } from '../../src/model/distribution.js';
import type { Topology } from '../../src/model/topology.js';

const S = 1_000_000;
const MS = 1_000;

function shipped(name: string): Topology {
  const result = parseTopology(readFileSync(new URL(`../../topologies/${name}.yaml`, import.meta.url), 'utf8'), `${name}.yaml`);
  if (!result.ok) throw new Error(`${name} does not parse`);
  return result.topology;
}

const n5 = shipped('n5-3az'); // 1,2 az1; 3,4 az2; 5 az3

function ok(text: string): FaultSpec {
  const result = parseFault(text, n5);
  if (!result.ok) throw new Error(result.error);
  return result.fault;
}

function error(text: string): string {
  const result = parseFault(text, n5);
  if (result.ok) throw new Error(`expected an error for ${text}`);
  return result.error;
}

describe('the issue-13 kinds parse', () => {
  it('start: a server id, no +DUR', () => {
    expect(ok('start:3@20s')).toEqual({ kind: 'start', server: 3, atUs: 20 * S, durationUs: null });
    expect(error('start:leader@20s')).toBe('expected a server id (start names a server, not "leader"), found "leader" in "start:leader@20s"');
    expect(error('start:3@20s+5s')).toBe('start takes no +DUR (a start is never repaired), in "start:3@20s+5s"');
    expect(error('start:9@1s')).toBe('unknown server 9 in "start:9@1s" (servers are 1..5)');
  });

  it('pause and disk-full: NODE@T+DUR, leader allowed', () => {
    expect(ok('pause:leader@10s+12s')).toEqual({ kind: 'pause', node: { kind: 'leader' }, atUs: 10 * S, durationUs: 12 * S });
    expect(ok('disk-full:2@1m+5m')).toEqual({ kind: 'disk-full', node: { kind: 'server', id: 2 }, atUs: 60 * S, durationUs: 300 * S });
  });

  it('slow-disk: a stall, a fixed fsync or an inline distribution', () => {
    expect(ok('slow-disk:2:stall@10s+30s')).toMatchObject({ kind: 'slow-disk', node: { kind: 'server', id: 2 }, fsync: 'stall' });
    expect(ok('slow-disk:leader:fsync=200ms@10s')).toMatchObject({ fsync: { dist: 'constant', value: 200 * MS }, durationUs: null });
    expect(ok('slow-disk:2:fsync=lognormal(50ms,1.2)@10s+1m')).toMatchObject({ fsync: { dist: 'lognormal', median: 50 * MS, sigma: 1.2 } });
    expect(ok('slow-disk:2:fsync=uniform(0s,2s)@10s+1m')).toMatchObject({ fsync: { dist: 'uniform', min: 0, max: 2 * S } });
    expect(error('slow-disk:2@10s')).toBe('expected NODE:fsync=DIST or NODE:stall (e.g. slow-disk:2:fsync=200ms@10s+5m), in "slow-disk:2@10s"');
    expect(error('slow-disk:2:fast@10s')).toBe('expected fsync=DIST or stall after the node, found "fast" in "slow-disk:2:fast@10s"');
    expect(error('slow-disk:2:fsync=200@10s')).toContain('expected a duration (200ms) or KIND(PARAMS) with KIND one of constant, uniform');
    expect(error('slow-disk:2:fsync=lognormal(50ms)@10s')).toBe('expected lognormal(median,sigma), found "lognormal(50ms)" in "slow-disk:2:fsync=lognormal(50ms)@10s"');
    expect(error('slow-disk:2:fsync=lognormal(50ms,x)@10s')).toBe('expected sigma of lognormal to be a positive number, found "x" in "slow-disk:2:fsync=lognormal(50ms,x)@10s"');
  });

  it('loss and delay: directed member lists and a parameter', () => {
    expect(ok('loss:1>az2:30%@10s+1m')).toEqual({ kind: 'loss', from: [1], to: [3, 4], percent: 30, atUs: 10 * S, durationUs: 60 * S });
    expect(ok('delay:1,2>5:50ms@10s+1m')).toEqual({ kind: 'delay', from: [1, 2], to: [5], extraUs: 50 * MS, atUs: 10 * S, durationUs: 60 * S });
    expect(error('loss:1>2@10s')).toBe('expected FROM>TO:30% (e.g. loss:1>2,3:30%@10s+1m), in "loss:1>2@10s"');
    expect(error('loss:1>2:130%@10s')).toBe('expected a loss percentage in (0, 100] such as 30%, found "130%" in "loss:1>2:130%@10s"');
    expect(error('loss:1>2:0.3@10s')).toBe('expected a loss percentage in (0, 100] such as 30%, found "0.3" in "loss:1>2:0.3@10s"');
    expect(error('loss:1>1:5%@10s')).toBe('server 1 on both sides of "loss:1>1:5%@10s"');
    expect(error('delay:1>2:0s@10s')).toBe('expected a positive extra delay such as 50ms, found "0s" in "delay:1>2:0s@10s"');
    expect(error('delay:1|2:5ms@10s')).toBe('expected FROM>TO:50ms (e.g. delay:1>2,3:50ms@10s+1m), in "delay:1|2:5ms@10s"');
  });

  it('blackhole: two groups, no +DUR', () => {
    expect(ok('blackhole:1,2|az2@30s')).toEqual({ kind: 'blackhole', groups: [[1, 2], [3, 4]], atUs: 30 * S, durationUs: null });
    expect(error('blackhole:1|2@30s+5s')).toBe(
      'blackhole takes no +DUR (a blackhole drops the connections open at T and is over; new connections work), in "blackhole:1|2@30s+5s"',
    );
  });
});

const timeUs = fc.integer({ min: 1, max: 10 ** 9 }); // whole µs: every one formats exactly
// within the limits a topology fsync meets (parseInlineDistribution refuses the rest): means up to
// a minute, lognormal sigma ≤ 3 (median ≤ 0.5 s keeps the mean within a minute), weibull shape ≥ 0.2 (scale ≤ 0.1 s: Γ(6) × 0.1 s = 12 s at shape 0.2)
const meanUs = fc.integer({ min: 1, max: 60 * 10 ** 6 });
const fsyncArb: fc.Arbitrary<Distribution | 'stall'> = fc.oneof(
  fc.constant('stall' as const),
  meanUs.map((value): Distribution => ({ dist: 'constant', value })),
  meanUs.map((mean): Distribution => ({ dist: 'exponential', mean })),
  fc.tuple(fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 1, max: 300 })).map(([median, s]): Distribution => ({ dist: 'lognormal', median, sigma: s / 100 })),
  fc.tuple(fc.nat({ max: 10 ** 6 }), fc.integer({ min: 1, max: 50 * 10 ** 6 })).map(([min, extra]): Distribution => ({ dist: 'uniform', min, max: min + extra })),
  fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 2, max: 50 })).map(([scale, k]): Distribution => ({ dist: 'weibull', scale, shape: k / 10 })),
);
const members = fc.subarray([1, 2, 3, 4, 5], { minLength: 2 }).chain((ids) =>
  fc.integer({ min: 1, max: ids.length - 1 }).map((cut): [number[], number[]] => [ids.slice(0, cut), ids.slice(cut)]),
);
const node = fc.oneof(fc.constant({ kind: 'leader' as const }), fc.integer({ min: 1, max: 5 }).map((id) => ({ kind: 'server' as const, id })));
const timing = fc.record({ atUs: fc.nat({ max: 10 ** 12 }), durationUs: fc.option(fc.integer({ min: 1, max: 10 ** 12 })) });

const faultArb: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.nat({ max: 10 ** 12 })).map(([server, atUs]): FaultSpec => ({ kind: 'start', server, atUs, durationUs: null })),
  fc.tuple(fc.constantFrom('pause' as const, 'disk-full' as const), node, timing).map(([kind, n, t]): FaultSpec => ({ kind, node: n, ...t })),
  fc.tuple(node, fsyncArb, timing).map(([n, fsync, t]): FaultSpec => ({ kind: 'slow-disk', node: n, fsync, ...t })),
  fc.tuple(members, fc.integer({ min: 1, max: 1000 }), timing).map(([[from, to], tenths, t]): FaultSpec => ({ kind: 'loss', from, to, percent: tenths / 10, ...t })),
  fc.tuple(members, timeUs, timing).map(([[from, to], extraUs, t]): FaultSpec => ({ kind: 'delay', from, to, extraUs, ...t })),
  fc.tuple(members, fc.nat({ max: 10 ** 12 })).map(([groups, atUs]): FaultSpec => ({ kind: 'blackhole', groups, atUs, durationUs: null })),
);

describe('formatFault of the issue-13 kinds', () => {
  it('gives canonical texts', () => {
    expect(formatFault(ok('slow-disk:2:fsync=lognormal(50ms,1.2)@10s+1m'))).toBe('slow-disk:2:fsync=lognormal(50ms,1.2)@10s+1m');
    expect(formatFault(ok('slow-disk:leader:fsync=0.2s@10s'))).toBe('slow-disk:leader:fsync=200ms@10s');
    expect(formatFault(ok('loss:az1>5:12.5%@1s+1m'))).toBe('loss:1,2>5:12.5%@1s+1m');
    expect(formatFault(ok('delay:1>2:1500ms@1s+60s'))).toBe('delay:1>2:1.5s@1s+1m');
    expect(formatFault(ok('blackhole:1|2,3@5s'))).toBe('blackhole:1|2,3@5s');
  });

  it('round-trips arbitrary faults of every new kind', () => {
    fc.assert(
      fc.property(faultArb, (f) => {
        const text = formatFault(f);
        const back = parseFault(text, n5);
        expect(back, text).toEqual({ ok: true, fault: f });
      }),
      { seed: 13, numRuns: 400 },
    );
  });
});

describe('slow-disk distributions meet the limits a topology fsync meets', () => {
  const n3 = shipped('n3-1az');
  it.each([
    ['slow-disk:1:fsync=uniform(2s,1s)@1s+5s', 'expected max ≥ min'],
    ['slow-disk:1:fsync=lognormal(50ms,9)@1s+5s', 'expected a sigma at most 3'],
    ['slow-disk:1:fsync=weibull(10ms,0.01)@1s+5s', 'expected a shape at least 0.2'],
  ])('%s is refused: %s', (text, message) => {
    const r = parseFault(text, n3);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain(message);
      expect(r.error).toContain(text);
    }
  });
  it('a sound one still parses', () => {
    expect(parseFault('slow-disk:1:fsync=lognormal(50ms,1.2)@1s+5s', n3).ok).toBe(true);
  });
});

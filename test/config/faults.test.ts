import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFault, parseFault, parseTopology, resolveTopology, type FaultSpec } from '../../src/config/index.js';
import type { Topology } from '../../src/model/topology.js';

function shipped(name: string): Topology {
  const text = readFileSync(new URL(`../../topologies/${name}.yaml`, import.meta.url), 'utf8');
  const result = parseTopology(text, `${name}.yaml`);
  if (!result.ok) throw new Error(`${name} does not parse`);
  return result.topology;
}

const n5 = shipped('n5-3az'); // 1,2 az1; 3,4 az2; 5 az3

function ok(text: string, topology: Topology = n5): FaultSpec {
  const result = parseFault(text, topology);
  if (!result.ok) throw new Error(result.error);
  return result.fault;
}

function error(text: string, topology: Topology = n5): string {
  const result = parseFault(text, topology);
  if (result.ok) throw new Error(`expected an error for ${text}`);
  return result.error;
}

describe('parseFault: node faults', () => {
  it('parses kill, crash and isolate of a server, with and without a repair', () => {
    expect(ok('kill:3@10s')).toEqual({ kind: 'kill', node: { kind: 'server', id: 3 }, atUs: 10_000_000, durationUs: null });
    expect(ok('crash:1@1.5m+30s')).toEqual({ kind: 'crash', node: { kind: 'server', id: 1 }, atUs: 90_000_000, durationUs: 30_000_000 });
    expect(ok('isolate:5@0s+2h')).toEqual({ kind: 'isolate', node: { kind: 'server', id: 5 }, atUs: 0, durationUs: 7_200_000_000 });
  });

  it('accepts `leader` as the node', () => {
    expect(ok('kill:leader@5s+1m')).toEqual({ kind: 'kill', node: { kind: 'leader' }, atUs: 5_000_000, durationUs: 60_000_000 });
  });

  it('names the known servers when the id is unknown', () => {
    expect(error('kill:9@10s')).toBe('unknown server 9 in "kill:9@10s" (servers are 1..5)');
    const sparse = resolveTopology({ name: 's', servers: [{ id: 2, zone: 'a' }, { id: 7, zone: 'a' }] });
    expect(error('crash:1@1s', sparse)).toBe('unknown server 1 in "crash:1@1s" (servers are 2, 7)');
  });

  it('rejects a node that is neither an id nor leader', () => {
    expect(error('kill:lead@1s')).toBe('expected a server id or "leader", found "lead" in "kill:lead@1s"');
    expect(error('kill:az1@1s')).toContain('expected a server id or "leader"');
  });
});

describe('parseFault: timing', () => {
  it('requires @TIME', () => {
    expect(error('kill:1')).toBe('missing @TIME in "kill:1"');
  });

  it('requires units on the time and a positive repair duration', () => {
    expect(error('kill:1@10')).toBe('expected a time such as @10s, found "@10" in "kill:1@10"');
    expect(error('kill:1@10s+0s')).toBe('expected a positive duration such as +30s, found "+0s" in "kill:1@10s+0s"');
    expect(error('kill:1@10s+')).toContain('expected a positive duration');
  });
});

describe('parseFault: kinds', () => {
  it('suggests a kind for a typo and lists the kinds', () => {
    expect(error('kil:1@1s')).toBe(
      'unknown fault kind "kil" in "kil:1@1s" (did you mean "kill"?) (kinds: kill, crash, isolate, partition, oneway, zone-down, rack-down, region-down, wipe, start, pause, slow-disk, disk-full, loss, delay, blackhole, reconfig, maintenance, inflate-zxid, inflate-epoch, ack-unlogged, flip-txn, bit-flip)',
    );
    expect(error('kill 1@1s')).toContain('missing KIND:');
  });

  it('parses wipe, rack-down and region-down, and names the known domains when one is unknown', () => {
    const t = n5;
    expect(parseFault('wipe:2@5s+1m', t)).toEqual({ ok: true, fault: { kind: 'wipe', node: { kind: 'server', id: 2 }, atUs: 5_000_000, durationUs: 60_000_000 } });
    expect(parseFault('rack-down:az1-r1@1m', t)).toEqual({ ok: true, fault: { kind: 'domain-down', level: 'rack', name: 'az1-r1', atUs: 60_000_000, durationUs: null } });
    expect(parseFault('region-down:region1@1s+1h', t)).toMatchObject({ ok: true, fault: { kind: 'domain-down', level: 'region', name: 'region1' } });
    expect(error('rack-down:r9@1s')).toMatch(/^unknown rack r9 in "rack-down:r9@1s" \(racks: az1-r1/);
  });
});

describe('parseFault: partitions and zones', () => {
  it('expands zones into their servers, ascending', () => {
    expect(ok('partition:az1,5|az2@1m+5m')).toEqual({
      kind: 'partition',
      groups: [
        [1, 2, 5],
        [3, 4],
      ],
      atUs: 60_000_000,
      durationUs: 300_000_000,
    });
    expect(ok('partition:4,1|3@1s')).toMatchObject({ groups: [[1, 4], [3]] });
  });

  it('rejects a server in both groups, including through a zone', () => {
    expect(error('partition:1,2|2,3@1s')).toBe('server 2 in both groups of "partition:1,2|2,3@1s"');
    expect(error('partition:az1|1@1s')).toBe('server 1 in both groups of "partition:az1|1@1s"');
  });

  it('rejects unknown zones, listing the known ones', () => {
    expect(error('partition:az4|az1@1s')).toBe('unknown zone az4 (zones: az1, az2, az3)');
    expect(error('zone-down:az4@1s')).toBe('unknown zone az4 (zones: az1, az2, az3)');
    expect(error('zone-down:AZ1@1s')).toBe('unknown zone AZ1 (did you mean "az1"?) (zones: az1, az2, az3)');
  });

  it('needs exactly two non-empty groups', () => {
    expect(error('partition:1,2@1s')).toContain('expected two groups separated by "|"');
    expect(error('partition:1|2|3@1s')).toContain('expected two groups separated by "|"');
    expect(error('partition:1,|3@1s')).toContain('empty member');
  });

  it('parses one-way cuts between ids and zones', () => {
    expect(ok('oneway:az1>5,az2@2s+1s')).toEqual({ kind: 'oneway', from: [1, 2], to: [3, 4, 5], atUs: 2_000_000, durationUs: 1_000_000 });
    expect(error('oneway:1,2>2@1s')).toBe('server 2 on both sides of "oneway:1,2>2@1s"');
    expect(error('oneway:1@1s')).toContain('expected FROM>TO');
  });

  it('parses zone-down', () => {
    expect(ok('zone-down:az3@1d')).toEqual({ kind: 'domain-down', level: 'zone', name: 'az3', atUs: 86_400_000_000, durationUs: null });
  });
});

describe('formatFault', () => {
  it('gives back a text that parses to the same fault', () => {
    const texts = ['kill:leader@5s+1m', 'crash:2@1.5h', 'partition:az1|az2,az3@10s+250ms', 'oneway:5>az1@1w', 'zone-down:az2@0s+1y'];
    for (const text of texts) {
      const fault = ok(text);
      expect(ok(formatFault(fault))).toEqual(fault);
    }
    expect(formatFault(ok('partition:az1|az2,az3@10s+250ms'))).toBe('partition:1,2|3,4,5@10s+250ms');
  });

  it('round-trips arbitrary node faults', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('kill', 'crash', 'isolate'),
        fc.option(fc.integer({ min: 1, max: 5 })),
        fc.nat({ max: 1e12 }),
        fc.option(fc.integer({ min: 1, max: 1e12 })),
        (kind, id, atUs, durationUs) => {
          const fault = {
            kind,
            node: id === null ? { kind: 'leader' as const } : { kind: 'server' as const, id },
            atUs,
            durationUs,
          };
          expect(ok(formatFault(fault))).toEqual(fault);
        },
      ),
    );
  });
});

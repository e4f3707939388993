import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../src/config/index.js';
import { topologyFromJson, topologyToJson } from '../../src/config/topology-json.js';

const base = (links: string): string =>
  `name: t\nlatency:\n  sameZone: { dist: constant, value: 1ms }\n  links:\n${links}\nservers:\n  - { id: 1, zone: az1 }\n  - { id: 2, zone: az1 }\n  - { id: 3, zone: az1 }\n`;

function errors(yaml: string): string[] {
  const r = parseTopology(yaml, 't.yaml');
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('latency.links: per-link latency overrides in a topology file', () => {
  it('reads each link in µs, and the JSON contract spells it in ms and back', () => {
    const r = parseTopology(base('    - { between: [1, 2], oneWay: { dist: constant, value: 5ms } }\n    - { between: [3, 1], oneWay: { dist: uniform, min: 2, max: 4 } }'), 't.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.topology.linkLatency).toEqual([
      { between: [1, 2], oneWay: { dist: 'constant', value: 5000 } },
      { between: [3, 1], oneWay: { dist: 'uniform', min: 2000, max: 4000 } },
    ]);
    const json = topologyToJson(r.topology);
    expect(json.linkLatency).toEqual([
      { between: [1, 2], oneWay: { dist: 'constant', valueMs: 5 } },
      { between: [3, 1], oneWay: { dist: 'uniform', minMs: 2, maxMs: 4 } },
    ]);
    expect(topologyFromJson(json)).toEqual(r.topology);
  });

  it('a topology without links has no linkLatency (and its JSON none)', () => {
    const r = parseTopology('name: t\nservers:\n  - { id: 1, zone: az1 }\n', 't.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect('linkLatency' in r.topology).toBe(false);
    expect('linkLatency' in topologyToJson(r.topology)).toBe(false);
  });

  it('names the field and what was expected', () => {
    expect(errors(base('    - { between: [1, 9], oneWay: { dist: constant, value: 5ms } }'))).toEqual([
      'latency.links[0].between[1]: expected the id of a server in this topology (1, 2, 3), found 9',
    ]);
    expect(errors(base('    - { between: [2, 2], oneWay: { dist: constant, value: 5ms } }'))).toEqual(['latency.links[0].between: expected two different servers, found 2 twice']);
    expect(errors(base('    - { between: [1, 2], oneWay: { dist: constant, value: 5ms } }\n    - { between: [2, 1], oneWay: { dist: constant, value: 6ms } }'))).toEqual([
      'latency.links[1].between: expected each link once: 2–1 is already set by latency.links[0]',
    ]);
    expect(errors(base('    - { between: [1], oneWay: { dist: constant, value: 5ms } }'))[0]).toMatch(/^latency\.links\[0\]\.between: expected two server ids, e\.g\. \[1, 2\], found/);
    expect(errors(base('    - { between: [1, 2] }'))[0]).toMatch(/^latency\.links\[0\]\.oneWay: expected "oneWay"/);
    expect(errors(base('    - { between: [1, 2], oneWay: { dist: constant, value: -1ms } }'))[0]).toMatch(/^latency\.links\[0\]\.oneWay\.value: /);
    expect(errors('name: t\nlatency:\n  links: 5\nservers:\n  - { id: 1, zone: az1 }\n')[0]).toMatch(/^latency\.links: expected a list of \{ between: \[id, id\], oneWay: <distribution> \}/);
  });
});

/**
 * The typed fault events say whom a fault hit: the isolated server alone, both sides of a
 * partition, every server of a crashed host; and a lost disk is only the wiped server's story.
 */
import { expect, test } from 'vitest';
import { parseTopology } from '../../src/config/index.js';
import type { TrialEvent } from '../../src/model/index.js';
import { runTrial } from '../../src/scenario/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

function applied(events: readonly TrialEvent[]) {
  return events.flatMap((e) => (e.type === 'faultApplied' || e.type === 'faultRepaired' ? [{ type: e.type, effect: e.effect, target: e.target, servers: e.servers }] : []));
}

test('isolate hits the isolated server only; a partition both sides of the cut', () => {
  const t = topology('n5-3az');
  const r = runTrial({ topology: t, seed: 3, durationUs: 60 * S, faults: faults(t, 'isolate:2@10s+5s', 'partition:1,2|3,4,5@30s+5s') });
  expect(applied(r.recorder.events)).toEqual([
    { type: 'faultApplied', effect: 'isolated', target: 2, servers: [2] },
    { type: 'faultRepaired', effect: 'healed', target: 2, servers: [2] },
    { type: 'faultApplied', effect: 'links cut', target: null, servers: [1, 2, 3, 4, 5] },
    { type: 'faultRepaired', effect: 'healed', target: null, servers: [1, 2, 3, 4, 5] },
  ]);
});

test('wipe: every server of the host stops, only the wiped one lost its disk', () => {
  const text = ['servers:', '  - { id: 1, zone: az1, host: h1 }', '  - { id: 2, zone: az1, host: h1 }', '  - { id: 3, zone: az2 }', '  - { id: 4, zone: az3 }', '  - { id: 5, zone: az3 }', ''].join('\n');
  const parsed = parseTopology(text, 'shared-host.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const t = parsed.topology;
  const r = runTrial({ topology: t, seed: 3, durationUs: 60 * S, faults: faults(t, 'wipe:2@10s+5s') });
  expect(applied(r.recorder.events)).toEqual([
    { type: 'faultApplied', effect: 'disk lost', target: 2, servers: [1, 2] },
    { type: 'faultRepaired', effect: 'host up', target: 2, servers: [1, 2] },
  ]);
  const stopped = r.recorder.events.flatMap((e) => (e.type === 'processStopped' ? [[e.server, e.how]] : []));
  expect(stopped).toEqual([
    [1, 'host crashed'],
    [2, 'disk lost'],
  ]);
});

test('a kill repaired while another kill or a host outage still holds the server reports it still down', () => {
  const t = topology('n3-1az');
  const r = runTrial({ topology: t, seed: 3, durationUs: 60 * S, faults: faults(t, 'kill:3@10s+10s', 'kill:3@12s+2s', 'crash:3@30s+10s', 'kill:3@32s+2s') });
  const repairs = r.recorder.events.flatMap((e) => (e.type === 'faultRepaired' ? [[e.atUs / S, e.effect]] : []));
  expect(repairs).toEqual([
    [14, 'still down'],
    [20, 'restarted'],
    [34, 'still down'],
    [40, 'host up'],
  ]);
  // and the server really is back after the last one: it syncs again after 20 s and after 40 s
  const synced = r.recorder.events.flatMap((e) => (e.type === 'synced' && e.server === 3 ? [e.atUs / S] : []));
  expect(synced.some((s) => s > 20 && s < 30)).toBe(true);
  expect(synced.some((s) => s > 40)).toBe(true);
});

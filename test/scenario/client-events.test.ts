/**
 * Client request outcomes in the event stream: kept up to the caller's limit (single runs), none
 * by default (Monte Carlo trials, `check`), counted beyond the limit; and keeping them never
 * changes the run. Safety violations always join the stream.
 */
import { expect, test } from 'vitest';
import { runTrial } from '../../src/scenario/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

const t = topology('n3-1az');
const base = { topology: t, seed: 'clients', durationUs: 20 * S, faults: faults(t, 'kill:leader@8s+4s'), workload: { writesPerSec: 50, readsPerSec: 0, sessionTimeoutUs: 4_000_000 } };
const isClient = (type: string): boolean => ['writeIssued', 'writeCommitted', 'writeFailed', 'readServed', 'readFailed'].includes(type);

test('no client events unless asked for', () => {
  const r = runTrial(base);
  expect(r.recorder.events.filter((e) => isClient(e.type))).toEqual([]);
  expect(r.recorder.clientEventsOmitted).toBe(0);
});

test('every write has one outcome event when the limit is high enough, and the run is unchanged', () => {
  const plain = runTrial(base);
  const r = runTrial({ ...base, clientEventLimit: 1_000_000 });
  const outcomes = r.recorder.events.filter((e) => e.type === 'writeCommitted' || e.type === 'writeFailed');
  const writes = r.clients?.writes;
  expect(writes).toBeTruthy();
  expect(outcomes.filter((e) => e.type === 'writeCommitted').length).toBe(writes?.committed);
  expect(outcomes.filter((e) => e.type === 'writeFailed').length).toBe((writes?.failed ?? 0) + (writes?.timedOut ?? 0));
  expect(outcomes.some((e) => e.type === 'writeFailed')).toBe(true); // the leader was killed mid-run
  // every write handed to a server was issued once (those with no server to go to never were)
  const issued = r.recorder.events.filter((e) => e.type === 'writeIssued').length;
  expect(issued).toBe((writes?.attempted ?? 0) - outcomes.filter((e) => e.type === 'writeFailed' && e.reason === 'no server').length);
  expect(r.recorder.clientEventsOmitted).toBe(0);
  expect(r.recorder.events.filter((e) => !isClient(e.type))).toEqual(plain.recorder.events);
  expect(r.meter.writeDownUs).toBe(plain.meter.writeDownUs);
});

test('beyond the limit client events are counted, not kept', () => {
  const all = runTrial({ ...base, clientEventLimit: 1_000_000 }).recorder.events.filter((e) => isClient(e.type)).length;
  const r = runTrial({ ...base, clientEventLimit: 100 });
  expect(r.recorder.events.filter((e) => isClient(e.type)).length).toBe(100);
  expect(r.recorder.clientEventsOmitted).toBe(all - 100);
});

test('safety violations join the event stream (naive quorum rule under a 2|2 cut)', () => {
  const n4 = topology('n4-2az');
  const r = runTrial({ topology: n4, seed: 1, durationUs: 40 * S, faults: faults(n4, 'partition:az1|az2@10s+20s'), quorumRule: 'naive', workload: { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 4_000_000 } });
  const violations = r.recorder.events.filter((e) => e.type === 'safetyViolation');
  expect(r.safety.total).toBeGreaterThan(0);
  expect(violations.length).toBe(r.safety.violations.length);
});

/**
 * The Recorder keeps typed events (model/events.ts TrialEvent) and renders the timeline from them.
 * A short real trial (kill the leader of n3-1az) must report, in order, the kill with its typed
 * fields, the survivors' new roles and the new leader's establishment; the timeline is exactly
 * the formatter's rendering of those events. Then the recorder's bookkeeping on a hand-fed stream.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFault } from '../../src/config/faults.js';
import { parseTopology } from '../../src/config/topology.js';
import type { Topology, TrialEvent } from '../../src/model/index.js';
import { formatEvent } from '../../src/observe/format.js';
import { Recorder } from '../../src/observe/record.js';
import { EXAMPLES_PER_INVARIANT, SafetyChecker } from '../../src/observe/safety.js';
import { writeAvailableAtOrAfter } from '../../src/observe/liveness.js';
import { eventJson } from '../../src/report/run-json.js';
import { runTrial } from '../../src/scenario/index.js';

const S = 1_000_000;

function topology(name: string): Topology {
  const parsed = parseTopology(readFileSync(`topologies/${name}.yaml`, 'utf8'), `${name}.yaml`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.topology;
}

describe('Recorder on a real trial: kill:leader@10s+10s on n3-1az, seed 7', () => {
  const topo = topology('n3-1az');
  const f = parseFault('kill:leader@10s+10s', topo);
  if (!f.ok) throw new Error(f.error);
  const result = runTrial({ topology: topo, seed: '7', durationUs: 40 * S, faults: [f.fault] });
  const events = result.recorder.events;

  it('reports faultApplied → roleDecided (the survivors) → established, in order, with typed fields', () => {
    const killAt = events.findIndex((e) => e.type === 'faultApplied');
    expect(killAt).toBeGreaterThan(0);
    const kill = events[killAt] as TrialEvent & { type: 'faultApplied' };
    const oldLeader = result.recorder.leaders[0]?.node;
    expect(kill).toEqual({
      type: 'faultApplied',
      atUs: 10 * S,
      faultIndex: 0,
      fault: 'kill:leader@10s+10s',
      source: 'scripted',
      target: oldLeader,
      effect: 'process killed',
      servers: [oldLeader],
      domain: null,
    });
    const after = events.slice(killAt + 1);
    const established = after.find((e): e is TrialEvent & { type: 'established' } => e.type === 'established');
    expect(established).toBeDefined();
    const newLeader = established!.server;
    expect(newLeader).not.toBe(oldLeader);
    expect(established!.epoch).toBeGreaterThan(1);
    expect(established!.quorum).toContain(newLeader);
    const decidedBefore = after.slice(0, after.indexOf(established!)).filter((e): e is TrialEvent & { type: 'roleDecided' } => e.type === 'roleDecided');
    const survivors = [1, 2, 3].filter((id) => id !== oldLeader);
    expect(decidedBefore.map((d) => d.server).sort()).toEqual(survivors);
    for (const d of decidedBefore) {
      expect(d.leader).toBe(newLeader);
      expect(d.role).toBe(d.server === newLeader ? 'LEADING' : 'FOLLOWING');
      expect(d.viaFinalizeWait).toBe(true);
      expect(d.atUs).toBeGreaterThan(10 * S);
    }
    // the process stop is reported too, before the fault line, and the cluster goes down with its cause
    expect(events[killAt - 1]).toEqual({ type: 'processStopped', atUs: 10 * S, server: oldLeader, how: 'killed' });
    expect(after.find((e) => e.type === 'writesUnavailable')).toMatchObject({ atUs: 10 * S, cause: expect.any(String) });
    const back = after.find((e): e is TrialEvent & { type: 'writesAvailable' } => e.type === 'writesAvailable');
    expect(back?.leader).toBe(newLeader);
    expect(back?.atUs).toBe(10 * S + back!.downForUs);
    expect(writeAvailableAtOrAfter(result.recorder, 10 * S)).toBe(back?.atUs);
  });

  it('keeps events in time order, and the timeline is exactly their rendering', () => {
    for (let i = 1; i < events.length; i++) expect(events[i]!.atUs).toBeGreaterThanOrEqual(events[i - 1]!.atUs);
    const rendered = events.flatMap((e) => {
      const line = formatEvent(e);
      return line ? [{ atUs: e.atUs, ...line }] : [];
    });
    expect(result.recorder.timeline).toEqual(rendered);
    expect(rendered.length).toBeLessThan(events.length); // processStopped has no line of its own
  });

  it('puts every event in the JSON contract with ms times and the same typed fields', () => {
    const json = events.map(eventJson);
    const decided = json.find((e) => e.type === 'roleDecided');
    expect(decided && 'atUs' in decided).toBe(false);
    const back = json.find((e) => e.type === 'writesAvailable');
    const backUs = events.find((e) => e.type === 'writesAvailable') as TrialEvent & { type: 'writesAvailable' };
    expect(back).toEqual({ type: 'writesAvailable', atMs: backUs.atUs / 1000, leader: backUs.leader, downForMs: backUs.downForUs / 1000 });
  });
});

describe('Recorder bookkeeping on a hand-fed stream', () => {
  it('opens an election at a voter LOOKING, closes it at established, and ends the leader at a step-down', () => {
    const r = new Recorder((id) => id <= 3);
    r.onStatus(0, { writeAvailable: false, quorumAvailable: true, cause: 'electing', leader: null });
    r.onPeerEvent(0, 1, { type: 'state', state: 'LOOKING', phase: 'ELECTION' });
    r.onPeerEvent(0, 4, { type: 'state', state: 'LOOKING', phase: 'ELECTION' });
    r.onPeerEvent(200, 1, { type: 'decided', leader: 1, round: 1, viaFinalizeWait: true });
    r.onPeerEvent(200, 4, { type: 'decided', leader: 1, round: 1, viaFinalizeWait: false });
    r.onPeerEvent(201, 1, { type: 'state', state: 'LEADING', phase: 'DISCOVERY' });
    r.onPeerEvent(202, 1, { type: 'epochProposed', epoch: 1 });
    r.onPeerEvent(203, 1, { type: 'state', state: 'LEADING', phase: 'SYNCHRONIZATION' });
    r.onPeerEvent(205, 1, { type: 'established', epoch: 1, quorum: [1, 2] });
    r.onPeerEvent(206, 1, { type: 'committed', zxid: 1, writeId: 1 });
    r.onStatus(207, { writeAvailable: true, quorumAvailable: true, cause: null, leader: 1 });
    r.onPeerEvent(900, 1, { type: 'steppedDown', epoch: 1, reason: 'lost quorum' });
    // the election-time breakdown: electing 0 → 200 (the winner decides LEADING), discovery
    // 200 → 203 (a quorum ACKed the epoch: SYNCHRONIZATION), sync 203 → 205 (established)
    expect(r.elections).toEqual([{ startedAtUs: 0, endedAtUs: 205, leader: 1, epoch: 1, decidedAtUs: 200, syncingAtUs: 203 }]);
    expect(r.leaders).toEqual([{ node: 1, epoch: 1, electedAtUs: 200, establishedAtUs: 205, endedAtUs: 900, endReason: 'stepped down: lost quorum' }]);
    expect(r.events.map((e) => e.type)).toEqual([
      'writesUnavailable',
      'looking',
      'looking',
      'roleDecided',
      'roleDecided',
      'epochProposed',
      'phase',
      'established',
      'writesAvailable',
      'steppedDown',
    ]);
    expect(r.events[4]).toMatchObject({ server: 4, role: 'OBSERVING', leader: 1, viaFinalizeWait: false });
    expect(r.events[8]).toEqual({ type: 'writesAvailable', atUs: 207, leader: 1, downForUs: 207 });
  });

  it('takes client outcomes and violations through its bound sink', () => {
    const r = new Recorder(() => true);
    const sink = r.record;
    sink({ type: 'writeCommitted', atUs: 5, server: 1, writeId: 1, latencyUs: 3 });
    sink({ type: 'safetyViolation', atUs: 6, invariant: 'Leadership', detail: 'two leaders' });
    expect(r.events.map((e) => e.type)).toEqual(['writeCommitted', 'safetyViolation']);
    expect(r.timeline).toEqual([]);
  });
});

describe('SafetyChecker.onViolation', () => {
  it('reports each kept violation as a safetyViolation event, and stops with the examples', () => {
    const r = new Recorder(() => true);
    const checker = new SafetyChecker();
    checker.onViolation = r.record;
    const none = () => [];
    checker.onPeerEvent(1, 1, { type: 'established', epoch: 3, quorum: [1, 2] }, none);
    expect(r.events).toEqual([]);
    for (let i = 0; i < EXAMPLES_PER_INVARIANT + 5; i++) checker.onPeerEvent(2 + i, 2, { type: 'established', epoch: 3, quorum: [2, 3] }, none);
    expect(r.events[0]).toEqual({ type: 'safetyViolation', atUs: 2, invariant: 'Leadership', detail: 'servers 1 and 2 were both established leader of epoch 3' });
    expect(r.events.length).toBe(EXAMPLES_PER_INVARIANT);
    expect(checker.total).toBe(EXAMPLES_PER_INVARIANT + 5);
  });
});

/**
 * Issue 15 §2, regressions of the Byzantine fault kinds: a wipe after a failed load, a flipped txn
 * below or above the snapshot, the checksum checked in the load step (before either port opens),
 * a flip with nothing to flip, flipped write ids in output, inflated votes on a non-voter.
 * Fixed seeds, n3-3az at 20 writes/s.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseFault } from '../../src/config/faults.js';
import { parseTopology } from '../../src/config/index.js';
import type { TrialEvent } from '../../src/model/index.js';
import { formatEvent } from '../../src/observe/format.js';
import { digestOf } from '../../src/observe/index.js';
import { Trial } from '../../src/scenario/index.js';
import { DurableState, flipNewestTxn, FLIPPED_BIT, formatWrite, loadedLog, loadFailure, logFileStarted, switchesOf } from '../../src/zk/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

const WORKLOAD = { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 30_000_000 };
const t = topology('n3-3az');

function run(durationS: number, ...specs: string[]) {
  const result = new Trial({ topology: t, seed: '1', durationUs: durationS * S, faults: faults(t, ...specs), workload: WORKLOAD }).run();
  const events = result.recorder.events;
  const of = <K extends TrialEvent['type']>(type: K) => events.filter((e): e is Extract<TrialEvent, { type: K }> => e.type === type);
  return { result, events, of, digest: digestOf(result.recorder), counts: result.safety.countsByInvariant() };
}

describe('a bit-flipped disk that fails its load', () => {
  it('is replaced by a wipe: the server starts again with an empty disk, fetches a SNAP and serves', () => {
    const { of } = run(60, 'bit-flip:1@10s', 'kill:1@15s+2s', 'wipe:1@25s+5s');
    expect(of('logChecksumFailed').map((e) => e.server)).toEqual([1]);
    const back = of('synced').filter((e) => e.server === 1 && e.atUs > 30 * S);
    expect(back.map((e) => e.mode)).toEqual(['SNAP']);
  });

  it('fails again at every start until then (a restart is no cure)', () => {
    const { of } = run(40, 'bit-flip:1@10s', 'kill:1@15s+2s', 'kill:1@25s+2s');
    expect(of('logChecksumFailed').map((e) => e.server)).toEqual([1, 1]);
    expect(of('synced').filter((e) => e.server === 1 && e.atUs > 15 * S)).toEqual([]);
  });

  it('fails in the load step, before either port opens: no loadDataBase or startLeaderElection step, no election', () => {
    const { events } = run(30, 'bit-flip:1@10s', 'kill:1@15s+2s');
    const after = events.filter((e) => 'server' in e && e.server === 1 && e.atUs >= 17 * S);
    const kinds = after.map((e) => (e.type === 'stepDone' ? `stepDone ${e.step}` : e.type));
    expect(kinds).toEqual(['stepDone jvmStart', 'logChecksumFailed', 'processStopped']);
    const failed = after.find((e) => e.type === 'logChecksumFailed');
    expect(after.find((e) => e.type === 'processStopped')?.atUs).toBe(failed?.atUs);
  });
});

describe('a flipped txn and the snapshot', () => {
  // server 2 leads after server 3's death at 12 s: Leader.lead's takeSnapshot covers the txn flipped at 10 s
  const BELOW = ['kill:3@12s+5s', 'kill:2@25s+2s'];

  it('above the snapshot (no snapshot since): replayed at the next start, the digest sees it', () => {
    const { digest } = run(40, 'flip-txn:2@10s', 'kill:2@15s+2s');
    expect(digest?.mismatches(2)).toBeGreaterThan(0);
  });

  it('below the snapshot with a valid checksum: the snapshot holds the txn as written, the restart is clean', () => {
    const { of, digest, counts } = run(40, 'flip-txn:2@10s', ...BELOW);
    expect(of('established').map((e) => e.server)).toEqual([3, 2, 3]);
    expect(of('stepDone').filter((e) => e.server === 2 && e.step === 'startLeaderElection' && e.atUs > 25 * S)).toHaveLength(1);
    expect(digest?.total).toBe(0);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });

  it('below the snapshot with a stale checksum, in the log file the load reads from: the load still fails', () => {
    const { of } = run(40, 'bit-flip:2@10s', ...BELOW);
    expect(of('logChecksumFailed').map((e) => e.server)).toEqual([2]);
  });
});

describe('loadFailure and loadedLog (FileTxnSnapLog.restore on a flipped disk)', () => {
  function disk(n: number): DurableState {
    const d = new DurableState();
    for (let i = 1; i <= n; i++) d.log.push({ zxid: 0x100000000 + i, writeId: i });
    switchesOf(d);
    logFileStarted(d, 0);
    return d;
  }

  it('reads a bad entry below the snapshot only while it shares the log file the load starts in', () => {
    const d = disk(10);
    expect(flipNewestTxn(d, 'bad')).toBe(0x10000000a);
    d.snapshotLength = 10;
    expect(loadFailure(d)).toBe(0x10000000a);
    d.log.push({ zxid: 0x10000000b, writeId: 11 });
    logFileStarted(d, 10);
    d.snapshotLength = 11;
    expect(loadFailure(d)).toBeNull(); // log.1000000b holds the snapshot's zxid; log.100000001 is not opened
    d.snapshotLength = 9;
    expect(loadFailure(d)).toBe(0x10000000a);
  });

  it('loads the snapshot\'s copy of a flipped txn it covers, the log\'s otherwise', () => {
    const d = disk(10);
    d.snapshotLength = 10;
    flipNewestTxn(d, 'valid');
    expect(loadFailure(d)).toBeNull();
    expect(loadedLog(d)[9]?.writeId).toBe(10);
    d.snapshotLength = 5;
    expect(loadedLog(d)[9]?.writeId).toBe(10 ^ FLIPPED_BIT);
  });

  it('a second flip of the same txn with its checksum rewritten clears the failure', () => {
    const d = disk(3);
    flipNewestTxn(d, 'bad');
    expect(loadFailure(d)).toBe(0x100000003);
    flipNewestTxn(d, 'bad');
    expect(loadFailure(d)).toBeNull();
    expect(d.log[2]?.writeId).toBe(3);
  });
});

describe('what the faults say', () => {
  it('a flip on a disk with no client txn says nothing was flipped', () => {
    const { of } = run(5, 'flip-txn:2@1ms');
    const applied = of('faultApplied');
    expect(applied.map((e) => e.effect)).toEqual(['nothing to flip']);
    expect(formatEvent(applied[0] as TrialEvent)?.what).toBe("flip-txn:2@1ms: server 2's disk holds no client txn: nothing was flipped");
  });

  it('print a flipped txn\'s write as the write with a flipped bit, never the raw id', () => {
    expect(formatWrite(190)).toBe('write 190');
    expect(formatWrite(190 ^ FLIPPED_BIT)).toBe('write 190 with a flipped bit');
    const { result } = run(30, 'flip-txn:2@10s', 'kill:2@15s+2s');
    const details = result.safety.violations.map((v) => v.detail);
    expect(details.some((d) => /with a flipped bit/.test(d))).toBe(true);
    expect(details.join('\n')).not.toMatch(/\d{10}/);
  });

  it('refuse inflated votes on an observer: observers do not vote (FastLeaderElection.validVoter)', () => {
    const yaml = readFileSync('topologies/n3-3az.yaml', 'utf8').replace('  - { id: 3, zone: az3, rack: az3-r1 }', '  - { id: 3, zone: az3, rack: az3-r1 }\n  - { id: 4, zone: az3, role: observer }');
    const parsed = parseTopology(yaml, 'n3-3az+observer.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const p = parseFault('inflate-zxid:4@10s', parsed.topology);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error).toMatch(/server 4 is an observer in "inflate-zxid:4@10s": observers do not vote in leader election/);
    expect(parseFault('inflate-zxid:3@10s', parsed.topology).ok).toBe(true);
  });

  it('say an inflated vote is not counted on a server that is not a voter now (a non-member)', () => {
    const yaml = readFileSync('topologies/n3-3az.yaml', 'utf8').replace('  - { id: 3, zone: az3, rack: az3-r1 }', '  - { id: 3, zone: az3, rack: az3-r1 }\n  - { id: 4, zone: az3, member: false }');
    const parsed = parseTopology(yaml, 'n3-3az+learner.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const n4 = parsed.topology;
    const result = new Trial({ topology: n4, seed: '1', durationUs: 5 * S, faults: faults(n4, 'inflate-zxid:4@1s', 'inflate-zxid:1@1s') }).run();
    const applied = result.recorder.events.filter((e) => e.type === 'faultApplied');
    expect(applied.map((e) => e.type === 'faultApplied' && [e.target, e.effect])).toEqual([[4, 'vote not counted'], [1, 'vote inflated']]);
  });
});

/**
 * The digest log (observe/digest.ts, DataTree.logZxidDigest: every 128th zxid, at most 1024
 * entries, rebuilt with the tree) and the operator's audit that remembers it across polls
 * (observe/digest-audit.ts): what it flags, what it excuses, and that honest crash-fault runs
 * give it nothing to flag. Fixed seeds.
 */
import { describe, expect, it } from 'vitest';
import { makeZxid } from '../../src/model/index.js';
import { DigestLogAudit, type AuditAnswer } from '../../src/observe/digest-audit.js';
import { DIGEST_LOG_INTERVAL, DIGEST_LOG_LIMIT, digestOf } from '../../src/observe/index.js';
import { DigestAutomation } from '../../src/scenario/byzantine-ops.js';
import { Trial } from '../../src/scenario/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

const z = (counter: number): number => makeZxid(1, counter);
const answer = (server: number, entries: [number, number][], rebuilds = 0): AuditAnswer => ({ server, log: entries.map(([c, digest]) => ({ zxid: z(c), digest })), rebuilds });

describe('DigestLogAudit', () => {
  it('flags two digests for one zxid, blaming the one a quorum did not report', () => {
    const audit = new DigestLogAudit();
    expect(audit.poll(0, [answer(1, [[128, 7]]), answer(2, [[128, 7]])], [1, 2, 3])).toEqual([]);
    const found = audit.poll(10, [answer(3, [[128, 9]])], [1, 2, 3]);
    expect(found).toEqual([{ atUs: 10, how: 'conflict', zxid: z(128), expected: 7, actual: 9, servers: [3] }]);
    // remembered: not flagged again
    expect(audit.poll(20, [answer(3, [[128, 9]])], [1, 2, 3])).toEqual([]);
  });

  it('flags a committed entry gone from a running server, and only a committed one', () => {
    const audit = new DigestLogAudit();
    audit.poll(0, [answer(1, [[128, 7], [256, 8]]), answer(2, [[128, 7]])], [1, 2, 3]);
    // 256 was reported by server 1 alone (not committed as far as the audit knows): its loss is not flagged
    const found = audit.poll(10, [answer(1, [[512, 5]]), answer(2, [[128, 7]])], [1, 2, 3]);
    expect(found).toEqual([{ atUs: 10, how: 'rewritten', zxid: z(128), expected: 7, actual: null, servers: [1] }]);
  });

  it('excuses a log rebuilt by a restart or a SNAP, and one that is full', () => {
    const audit = new DigestLogAudit();
    audit.poll(0, [answer(1, [[128, 7]]), answer(2, [[128, 7]])], [1, 2, 3]);
    expect(audit.poll(10, [answer(1, [], 1), answer(2, [[128, 7]])], [1, 2, 3])).toEqual([]);
    const full = Array.from({ length: DIGEST_LOG_LIMIT }, (_, i): [number, number] => [(i + 2) * DIGEST_LOG_INTERVAL, i]);
    expect(audit.poll(20, [answer(2, full)], [1, 2, 3])).toEqual([]);
  });
});

describe('the digest log of a run', () => {
  const t = topology('n3-3az');
  const WORKLOAD = { writesPerSec: 50, readsPerSec: 0, sessionTimeoutUs: 30 * S };

  it('holds every 128th zxid with the tree digest after it, the same on every server', () => {
    const r = new Trial({ topology: t, seed: '1', durationUs: 30 * S, faults: [], workload: WORKLOAD, digest: true }).run();
    const d = digestOf(r.recorder);
    const logs = t.servers.map((s) => d?.digestLog(s.id) ?? []);
    expect(logs[0]?.length).toBeGreaterThan(5);
    for (const e of logs[0] ?? []) expect(e.zxid % DIGEST_LOG_INTERVAL).toBe(0);
    expect(logs[1]).toEqual(logs[0]);
    expect(logs[2]).toEqual(logs[0]);
  });

  it('lets the audit see a flipped txn as two digests for one zxid, blaming the corrupted server', () => {
    const auto = new DigestAutomation(30 * S, { pollUs: 10 * S, act: false });
    const trial = new Trial({ topology: t, seed: '1', durationUs: 40 * S, faults: faults(t, 'flip-txn:2@10s', 'kill:2@15s+2s'), workload: { ...WORKLOAD, writesPerSec: 20 }, digest: true, plan: auto.spec });
    auto.attach(trial.recorder);
    trial.run();
    const first = auto.audit?.divergences[0];
    expect(first?.how).toBe('conflict');
    expect(first?.servers).toEqual([2]);
    // the first poll after the restart that replayed the flipped write (at 15 s + 2 s)
    expect(first?.atUs).toBe(20 * S);
    expect(first?.actual).not.toBe(first?.expected);
  });

  it.each(['1', '2', '3'])('gives the audit nothing to flag in an honest run with restarts, a crash and an isolated leader (seed %s)', (seed) => {
    const auto = new DigestAutomation(30 * S, { pollUs: 5 * S, act: false });
    const trial = new Trial({ topology: t, seed, durationUs: 120 * S, faults: faults(t, 'kill:1@20s+5s', 'kill:leader@40s+5s', 'crash:2@60s+5s', 'isolate:leader@80s+10s'), workload: WORKLOAD, digest: true, plan: auto.spec });
    auto.attach(trial.recorder);
    const r = trial.run();
    expect(Object.values(r.safety.countsByInvariant()).every((n) => n === 0)).toBe(true);
    expect(auto.audit?.polls).toBe(25);
    expect(digestOf(r.recorder)?.rebuildsOf(1)).toBeGreaterThan(0);
    expect(auto.audit?.divergences).toEqual([]);
  });
});

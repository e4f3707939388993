/**
 * Issue 15 §2, Byzantine faults: each kind shows the damage the crash-fault protocol suffers (the
 * safety checkers of observe/safety.ts), and what 3.8's detection sees of it — the data-tree
 * digest (observe/digest.ts) and the txn log's Adler32 at load. Fixed seeds, n3-3az, 20 writes/s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFault, parseFault } from '../../src/config/faults.js';
import { makeZxid, type FaultSpec, type TrialEvent } from '../../src/model/index.js';
import { digestOf } from '../../src/observe/index.js';
import { DigestAutomation, type AuditOptions } from '../../src/scenario/byzantine-ops.js';
import { FAULT_KINDS_TABLE } from '../../src/scenario/fault-kinds.js';
import { Trial } from '../../src/scenario/index.js';
import { FLIPPED_BIT } from '../../src/zk/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

const WORKLOAD = { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 30_000_000 };

/** One 60 s run of `specs` at seed 1; a trailing AuditOptions adds the digest-log audit (scenario/byzantine-ops.ts). */
function run(...args: (string | AuditOptions)[]) {
  const t = topology('n3-3az');
  const specs = args.filter((a): a is string => typeof a === 'string');
  const opts = args.find((a): a is AuditOptions => typeof a !== 'string') ?? null;
  const auto = opts === null ? null : new DigestAutomation(30 * S, opts);
  const trial = new Trial({ topology: t, seed: '1', durationUs: 60 * S, faults: faults(t, ...specs), workload: WORKLOAD, ...(auto ? { plan: auto.spec } : {}) });
  auto?.attach(trial.recorder);
  const result = trial.run();
  const events = result.recorder.events;
  const of = <K extends TrialEvent['type']>(type: K) => events.filter((e): e is Extract<TrialEvent, { type: K }> => e.type === type);
  return { result, of, digest: digestOf(result.recorder), counts: result.safety.countsByInvariant(), audit: auto?.audit ?? null };
}

// server 1 is cut off (it misses the writes), lies in its votes, and wins the election when the leader dies
const INFLATE = ['isolate:1@5s+20s', 'inflate-zxid:1@10s', 'kill:leader@24s+10s'];

describe('a voter that advertises an inflated zxid', () => {
  it('wins the election with a shorter log and truncates its learners: committed, acknowledged writes are lost (Durability)', () => {
    const { counts, result, of } = run(...INFLATE);
    expect(of('established').map((e) => e.server)).toEqual([3, 1]);
    expect(counts.Durability).toBeGreaterThan(0);
    const lost = result.safety.violations.filter((v) => v.invariant === 'Durability');
    expect(lost[0]?.detail).toMatch(/^server 2 truncated its history to \d+ txns after applying \d+$/);
    expect(lost.some((v) => /acknowledged to its client but is missing from leader 1's history/.test(v.detail))).toBe(true);
  });

  it('is invisible to the per-txn digest: the truncation leaves every tree equal, so no txn mismatches (as in 3.8)', () => {
    const { digest } = run(...INFLATE);
    expect(digest).not.toBeNull();
    expect(digest?.total).toBe(0);
  });

  // issue 15 §2 must-hold: a checker violation (committed, acknowledged writes lost) AND the digest comparison detecting it
  it('loses committed writes (Durability) and the digest-log audit, polling hash every 10 s, detects the rewritten history at the poll after the TRUNC', () => {
    const { counts, result, of, audit } = run(...INFLATE, { pollUs: 10 * S, act: false });
    expect(counts.Durability).toBeGreaterThan(0);
    const truncatedAt = result.safety.violations.find((v) => v.invariant === 'Durability')?.atUs as number;
    expect(truncatedAt).toBeGreaterThan(20 * S);
    expect(truncatedAt).toBeLessThan(30 * S);
    // the two committed entries a poll had seen in servers 2 and 3 (a quorum) are gone from server 2's hash: zxids 0x100000080 and 0x100000100
    const found = audit?.divergences ?? [];
    expect(found.map((d) => [d.atUs, d.how, d.zxid, d.servers])).toEqual([
      [30 * S, 'rewritten', makeZxid(1, 128), [2]],
      [30 * S, 'rewritten', makeZxid(1, 256), [2]],
    ]);
    expect(of('digestDiverged').map((e) => e.atUs)).toEqual([30 * S, 30 * S]);
    // watching changed nothing: the same election, the same loss as without the audit
    expect(counts).toEqual(run(...INFLATE).counts);
  });

  it('escapes an audit that polls every 30 s: no poll caught a committed entry in a quorum before the TRUNC', () => {
    const { audit } = run(...INFLATE, { pollUs: 30 * S, act: false });
    expect(audit?.polls).toBe(3);
    expect(audit?.divergences).toEqual([]);
  });

  it('in its epoch form wins too: a claimed currentEpoch beats any zxid', () => {
    const { counts, of } = run('isolate:1@5s+20s', 'inflate-epoch:1@10s', 'kill:leader@24s+10s');
    expect(of('established').map((e) => e.server)).toEqual([3, 1]);
    expect(counts.Durability).toBeGreaterThan(0);
  });
});

describe('a flipped txn on disk', () => {
  it('with a valid checksum is replayed at the next start; the digest comparison detects the divergence at that zxid', () => {
    const { of, digest, counts } = run('flip-txn:1@10s', 'kill:1@15s+2s');
    const mismatch = of('digestMismatch');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]?.server).toBe(1);
    expect(mismatch[0]?.expected).not.toBe(mismatch[0]?.actual);
    expect(mismatch[0]?.atUs).toBeGreaterThan(17 * S);
    expect(counts.PrefixConsistency).toBe(1);
    // every later txn mismatches too (the tree stays wrong), counted, not reported again
    expect(digest?.mismatches(1)).toBeGreaterThan(100);
    expect(digest?.mismatches(2)).toBe(0);
    expect(digest?.mismatches(3)).toBe(0);
  });

  it('as a plain bit flip fails its Adler32 at the next start: the server does not start, nothing diverges', () => {
    const { of, counts } = run('bit-flip:1@10s', 'kill:1@15s+2s');
    expect(of('logChecksumFailed').map((e) => e.server)).toEqual([1]);
    expect(of('processStopped').filter((e) => e.server === 1).map((e) => e.how)).toEqual(['killed', 'exited: CRC check failed loading the txn log (System.exit, exit code 1)']);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });
});

describe('a server that acknowledges proposals it did not log', () => {
  it('lets a quorum count its fake ACKs; when it restarts after the leader died, the writes only the leader held are lost', () => {
    const { counts } = run('ack-unlogged:1@5s', 'isolate:2@10s+30s', 'crash:3@25s+60s', 'kill:1@26s+1s');
    expect(counts.Durability).toBeGreaterThan(0);
  });

  it('does no harm while it never restarts (its memory holds what its disk lacks)', () => {
    const { counts } = run('ack-unlogged:1@5s', 'isolate:2@10s+30s', 'crash:3@25s+60s');
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });
});

describe('the Byzantine kinds in the fault table', () => {
  const t = topology('n3-3az');
  it.each(['inflate-zxid:1@10s+5s', 'inflate-zxid:leader:1000@10s', 'inflate-epoch:2:3@1m', 'ack-unlogged:3@5s+1m', 'flip-txn:2@10s', 'bit-flip:leader@10s'])('%s parses and formats back', (text) => {
    const p = parseFault(text, t);
    expect(p.ok && formatFault(p.fault)).toBe(text);
  });

  it.each([
    ['inflate-zxid:1:0@10s', 'expected a whole number from 1 to 2147483647 (2^31 − 1; a zxid\'s epoch and counter are 32 bits each, ZxidUtils) of txns after the node (e.g. inflate-zxid:2:1000@10s), found "0"'],
    ['flip-txn:1@10s+5s', 'a flipped txn stays on the disk until the disk is replaced'],
    ['ack-unlogged:9@5s', 'server 9'],
  ])('%s is refused: %s', (text, message) => {
    const p = parseFault(text, t);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error).toContain(message);
  });

  it('round-trip arbitrary faults of each Byzantine kind through their text (fast-check)', () => {
    const node = fc.oneof(fc.constant({ kind: 'leader' as const }), fc.integer({ min: 1, max: 3 }).map((id) => ({ kind: 'server' as const, id })));
    const timing = fc.record({ atUs: fc.nat({ max: 10 ** 12 }).map((n) => n * 1000), durationUs: fc.option(fc.integer({ min: 1, max: 10 ** 9 }).map((n) => n * 1000)) });
    const arb: fc.Arbitrary<FaultSpec> = fc.oneof(
      fc.tuple(node, fc.constantFrom('zxid' as const, 'epoch' as const), fc.integer({ min: 1, max: 0x7fffffff }), timing).map(([n, claim, by, tm]): FaultSpec => ({ kind: 'inflate-vote', node: n, claim, by, ...tm })),
      fc.tuple(node, timing).map(([n, tm]): FaultSpec => ({ kind: 'ack-unlogged', node: n, ...tm })),
      fc.tuple(node, fc.constantFrom('valid' as const, 'bad' as const), fc.nat({ max: 10 ** 9 })).map(([n, checksum, atMs]): FaultSpec => ({ kind: 'flip-txn', node: n, checksum, atUs: atMs * 1000, durationUs: null })),
    );
    fc.assert(
      fc.property(arb, (f) => {
        const text = formatFault(f);
        expect(parseFault(text, t), text).toEqual({ ok: true, fault: f });
      }),
      { seed: 15, numRuns: 300 },
    );
  });

  it('are never drawn by `zksim check`, which checks the crash-fault protocol', () => {
    const drawn = FAULT_KINDS_TABLE.explored.map((e) => e.kind);
    for (const kind of ['inflate-vote', 'ack-unlogged', 'flip-txn']) expect(drawn).not.toContain(kind);
  });

  it('flip a bit no real write id carries', () => {
    expect(FLIPPED_BIT).toBeGreaterThan(1e9);
  });

  it('cost a crash-fault trial nothing: no digest is watched unless asked or a Byzantine fault is present', () => {
    const plain = new Trial({ topology: t, seed: '1', durationUs: 5 * S, faults: faults(t, 'kill:1@2s+1s') }).run();
    expect(digestOf(plain.recorder)).toBeNull();
    const asked = new Trial({ topology: t, seed: '1', durationUs: 5 * S, faults: [], digest: true }).run();
    expect(digestOf(asked.recorder)).not.toBeNull();
  });
});

/**
 * Issue 15 §2, round 2: a fresh reviewer's findings on the Byzantine faults, each pinned by a test
 * that failed before its fix. Fixed seeds, n3-3az, 20 writes/s.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFault } from '../../src/config/faults.js';
import { parseTopology } from '../../src/config/index.js';
import type { TrialEvent } from '../../src/model/index.js';
import { digestOf } from '../../src/observe/index.js';
import { DigestAutomation, type AuditOptions } from '../../src/scenario/byzantine-ops.js';
import { Trial } from '../../src/scenario/index.js';
import { zksim } from '../helpers/cli.js';
import { S, faults, topology } from '../helpers/topologies.js';

const WORKLOAD = { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 30_000_000 };

function run(durationUs: number, specs: readonly string[], opts: AuditOptions | null = null) {
  const t = topology('n3-3az');
  const auto = opts === null ? null : new DigestAutomation(30 * S, opts);
  const trial = new Trial({ topology: t, seed: '1', durationUs, faults: faults(t, ...specs), workload: WORKLOAD, digest: true, ...(auto ? { plan: auto.spec } : {}) });
  auto?.attach(trial.recorder);
  const result = trial.run();
  const events = result.recorder.events;
  const of = <K extends TrialEvent['type']>(type: K) => events.filter((e): e is Extract<TrialEvent, { type: K }> => e.type === type);
  return { result, of, digest: digestOf(result.recorder), auto };
}

describe('the automation restoring a quarantined server', () => {
  it('stops it as an operator does (its clients see the connection reset), then replaces its disk', () => {
    const { of, auto } = run(60 * S, ['isolate:1@5s+20s', 'inflate-zxid:1@10s', 'kill:leader@24s+10s'], { pollUs: 10 * S, act: true });
    const q = auto?.quarantines[0];
    expect(q?.server).toBe(1);
    const stops = of('processStopped').filter((e) => e.server === q?.server && e.atUs === q?.removedAtUs);
    expect(stops.map((e) => e.how)).toEqual(['stopped for restore']);
  });
});

describe('the digest carried with a txn its proposer had not applied when a later leader committed it', () => {
  it("is its proposer's: replaying it does not erase the digests carried after it, so server 3 counts what server 1 counts", () => {
    const { digest } = run(120 * S, ['flip-txn:2@10s', 'kill:2@15s+2s', 'kill:3@60s+5s']);
    // server 2's tree is wrong from 17 s; it leads from 60 s, so the honest servers mismatch on each txn it carries
    expect(digest?.mismatches(1)).toBeGreaterThan(1000);
    expect(digest?.mismatches(3)).toBe(digest?.mismatches(1));
  });
});

describe('zksim run --digest-audit / --quarantine', () => {
  const scene1 = ['run', 'topologies/n3-3az.yaml', '--seed', '1', '--writes', '20', '--fault', 'isolate:1@5s+20s', '--fault', 'inflate-zxid:1@10s', '--fault', 'kill:leader@24s+10s'];

  it('prints the detection the demo prints: the 10 s audit finds the rewritten history at 30 s, and acting quarantines the liar', async () => {
    const watched = await zksim([...scene1, '--digest-audit', '10s']);
    expect(watched.status).toBe(0);
    expect(watched.stdout).toMatch(/ {4}30\.000s {2}server 2 {3}digest-log audit: committed zxid 0x100000080/);
    expect(watched.stdout).not.toContain('quarantined');
    const acted = await zksim([...scene1, '--digest-audit', '10s', '--quarantine']);
    expect(acted.stdout).toMatch(/ {4}30\.000s {2}server 1 {3}quarantined by the operator's automation/);
  });

  it('refuses --trace with it (exit 2, no stack trace)', async () => {
    const r = await zksim([...scene1, '--digest-audit', '10s', '--trace', 'never-written.jsonl']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--trace cannot be combined with --digest-audit');
  });
});

describe('the Byzantine fault texts', () => {
  const t = topology('n3-3az');
  it('state the cap of an inflation (2^31 − 1)', () => {
    const p = parseFault('inflate-zxid:1:2147483648@10s', t);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error).toMatch(/from 1 to 2147483647 \(2\^31 − 1/);
    expect(parseFault('inflate-zxid:1:2147483647@10s', t).ok).toBe(true);
  });

  it('refuse ack-unlogged on an observer, which never ACKs a proposal', () => {
    const yaml = readFileSync('topologies/n3-3az.yaml', 'utf8').replace('  - { id: 3, zone: az3, rack: az3-r1 }', '  - { id: 3, zone: az3, rack: az3-r1 }\n  - { id: 4, zone: az3, role: observer }');
    const parsed = parseTopology(yaml, 'n3-3az+observer.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const p = parseFault('ack-unlogged:4@5s', parsed.topology);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error).toMatch(/server 4 is an observer in "ack-unlogged:4@5s": observers never ACK proposals \(Observer\.processPacket/);
    expect(parseFault('ack-unlogged:3@5s', parsed.topology).ok).toBe(true);
  });

  it('say that a second flip of the same txn restored its bit', () => {
    const { of } = run(20 * S, ['flip-txn:2@10s', 'flip-txn:2@10s']);
    expect(of('faultApplied').filter((e) => e.target === 2).map((e) => e.effect)).toEqual(['txn flipped', 'txn flipped back']);
  });
});

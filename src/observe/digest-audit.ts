import type { ServerId, Zxid } from '../model/index.js';
import { DIGEST_LOG_LIMIT, type ZxidDigest } from './digest.js';

/**
 * An operator's audit of the data-tree digest logs (issue 15; not part of ZooKeeper): poll every
 * serving server's admin `hash` command (Commands.DigestCommand → DataTree.getDigestLog, a list of
 * {zxid, digest} every DIGEST_LOG_INTERVAL txns, observe/digest.ts) at a fixed interval and
 * remember what was seen, per server and as a union over servers. It flags a divergence:
 *
 * - `conflict`: two servers ever reported different digests for the same zxid (their trees differ
 *   after the same txn: a flipped txn, a corrupted tree);
 * - `rewritten`: a (zxid, digest) that a quorum of voters had reported (so the txn was committed)
 *   is gone from the log of a server that reported it, although its tree was not rebuilt since
 *   (no process restart, no SNAP) and its log is not full (DIGEST_LOG_LIMIT). In 3.8 only
 *   ZKDatabase.truncateLog empties a running server's digest log otherwise: a TRUNC below a
 *   committed zxid, i.e. the committed history was rewritten (a leader that should never have won).
 *
 * A point-in-time comparison cannot see the second: after the TRUNC every tree is equal again. The
 * audit sees it only if some poll caught the entry in a quorum's logs before the truncation: an
 * entry exists every 128 txns, so at w writes/s the poll interval must leave a poll between a
 * multiple of 128 being committed and the TRUNC.
 *
 * The audit is told, per poll, which servers answered, their logs, and how many times each tree
 * was rebuilt (DigestMonitor.rebuildsOf: an operator reads a restart from the process's uptime and
 * a SNAP from the learner's log line "Getting a snapshot from leader", or the leader's snap_count).
 * Pure bookkeeping: no clock, no simulation.
 */
export interface AuditAnswer {
  readonly server: ServerId;
  /** its `hash` output, oldest first */
  readonly log: readonly ZxidDigest[];
  /** DigestMonitor.rebuildsOf: changes when its tree was rebuilt by a restart or a SNAP */
  readonly rebuilds: number;
}

/** One divergence the audit found at a poll. */
export interface Divergence {
  /** the poll that found it, µs of simulated time */
  readonly atUs: number;
  readonly how: 'conflict' | 'rewritten';
  readonly zxid: Zxid;
  /** `conflict`: the digest reported first (by a quorum when one did); `rewritten`: the committed digest that vanished */
  readonly expected: number;
  /** `conflict`: the other digest; `rewritten`: null (the entry is gone) */
  readonly actual: number | null;
  /** `conflict`: the servers that reported `actual`; `rewritten`: the server whose log lost the entry */
  readonly servers: readonly ServerId[];
}

interface Seen {
  readonly log: ReadonlyMap<Zxid, number>;
  readonly rebuilds: number;
}

/** The audit's memory and its findings. `poll` once per polling instant. */
export class DigestLogAudit {
  readonly divergences: Divergence[] = [];
  /** per zxid: each digest reported for it and the servers that reported it (every poll so far) */
  private readonly union = new Map<Zxid, Map<number, Set<ServerId>>>();
  /** per server: its log at the last poll it answered */
  private readonly last = new Map<ServerId, Seen>();
  private readonly flagged = new Set<string>();
  /** polls made */
  polls = 0;

  /**
   * One poll: `answers` from the servers that answered `hash` (a server not serving answers
   * nothing: CommandBase needs a ZooKeeperServer), `voters` the current voters. Returns the
   * divergences new at this poll (also appended to `divergences`).
   */
  poll(atUs: number, answers: readonly AuditAnswer[], voters: readonly ServerId[]): Divergence[] {
    this.polls++;
    const found: Divergence[] = [];
    for (const a of answers) for (const e of a.log) this.remember(atUs, a.server, e, voters, found);
    for (const a of answers) this.checkKept(atUs, a, voters, found);
    for (const a of answers) this.last.set(a.server, { log: new Map(a.log.map((e) => [e.zxid, e.digest])), rebuilds: a.rebuilds });
    this.divergences.push(...found);
    return found;
  }

  /** The digest a quorum of `voters` reported for `zxid`, or null. */
  committedDigest(zxid: Zxid, voters: readonly ServerId[]): number | null {
    for (const [digest, by] of this.union.get(zxid) ?? []) if ([...by].filter((s) => voters.includes(s)).length * 2 > voters.length) return digest;
    return null;
  }

  private remember(atUs: number, server: ServerId, e: ZxidDigest, voters: readonly ServerId[], found: Divergence[]): void {
    let byDigest = this.union.get(e.zxid);
    if (byDigest === undefined) this.union.set(e.zxid, (byDigest = new Map()));
    let by = byDigest.get(e.digest);
    if (by === undefined) byDigest.set(e.digest, (by = new Set()));
    by.add(server);
    if (byDigest.size < 2) return;
    // the odd digest out: the one a quorum did not report (else the later one)
    const committed = this.committedDigest(e.zxid, voters);
    const first = [...byDigest.keys()][0] as number;
    const expected = committed ?? first;
    for (const [digest, servers] of byDigest) {
      if (digest === expected) continue;
      this.flag(found, { atUs, how: 'conflict', zxid: e.zxid, expected, actual: digest, servers: [...servers].sort((a, b) => a - b) });
    }
  }

  private checkKept(atUs: number, a: AuditAnswer, voters: readonly ServerId[], found: Divergence[]): void {
    const before = this.last.get(a.server);
    // a rebuilt tree (new process, SNAP) starts a new log; a full log drops its oldest entries
    if (before === undefined || before.rebuilds !== a.rebuilds || a.log.length >= DIGEST_LOG_LIMIT) return;
    const now = new Set(a.log.map((e) => e.zxid));
    for (const [zxid, digest] of before.log) {
      if (now.has(zxid) || this.committedDigest(zxid, voters) !== digest) continue;
      this.flag(found, { atUs, how: 'rewritten', zxid, expected: digest, actual: null, servers: [a.server] });
    }
  }

  private flag(found: Divergence[], d: Divergence): void {
    const key = `${d.how}:${d.zxid}:${d.actual}:${d.servers.join(',')}`;
    if (this.flagged.has(key)) return;
    this.flagged.add(key);
    found.push(d);
  }
}

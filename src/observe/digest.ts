import { BYZANTINE_SYNTAX } from '../config/byzantine-syntax.js';
import type { ByzantineEvent, PeerEvent, ServerId, Zxid } from '../model/index.js';
import { counterOf, epochOf } from '../model/index.js';
import { Recorder } from './record.js';

/**
 * The data-tree digest of ZooKeeper 3.5.7+/3.8 (ZOOKEEPER-3150; on by default,
 * `zookeeper.digest.enabled`), modelled cheaply and kept apart from the protocol (it only watches,
 * like observe/safety.ts).
 *
 * What 3.8 does (DataTree.java, release-3.8.6): the tree digest is the sum of every node's digest
 * (NodeHashMapImpl.getDigest, DigestCalculator: a CRC32 of path and data), updated as txns are
 * applied. The leader computes the digest the tree will have after each txn and carries it with
 * the txn (TxnDigest in the PROPOSAL and in the txn log entry). Each server, after applying a txn,
 * compares its own tree digest with the carried one (DataTree.processTxn → compareDigest); on a
 * difference it adds one to ServerMetrics DIGEST_MISMATCHES_COUNT (`digest_mismatches_count`),
 * logs the first at ERROR (firstMismatchTxn) and notifies its DigestWatchers — and repairs nothing.
 * Every 128th zxid's digest is kept (digestLog, DIGEST_LOG_INTERVAL) and the admin `hash` command
 * returns them, so an operator can compare servers at the same zxid.
 *
 * The model: a txn's digest is a 32-bit mix of its zxid and content (the client write id), the
 * tree digest their sum mod 2^32 (order-free, as ZooKeeper's sum over nodes). The digest carried
 * with position i of the history is the tree digest of the epoch's leader after applying it — the
 * first server of that epoch's leadership to apply it. Cost: one integer mix and two array slots
 * per committed txn; built only for trials that ask (`recorderFor`).
 *
 * What the per-txn comparison cannot see, exactly as 3.8 cannot: a truncation that leaves every
 * tree equal. A leader that lies its way into office (inflate-zxid) TRUNCs its learners to its own
 * shorter history, and a quorum counted on a fake ACK (ack-unlogged) loses the write when a leader
 * without it is elected: afterwards every server holds the same tree, each txn's carried digest
 * matches, and nothing is counted. What remains is each server's digest log (`digestLog`, what the
 * admin `hash` command returns): an audit that remembers earlier polls sees a committed entry
 * vanish from it (observe/digest-audit.ts).
 *
 * The digest log, as DataTree.logZxidDigest keeps it: after each applied txn whose zxid is a
 * multiple of DIGEST_LOG_INTERVAL (128; the counter half, as the epoch half is a multiple of 2^32)
 * the pair (zxid, tree digest) is appended, the oldest dropped beyond DIGEST_LOG_LIMIT (1024). It
 * lives in the DataTree, in memory: a new process starts an empty one (and refills it as it
 * replays its log: zksim replays the whole log, 3.8 from its last snapshot); a TRUNC
 * (ZKDatabase.truncateLog: clear() makes a new DataTree, then loadDataBase replays) keeps the
 * entries of the history it retains; a SNAP (deserializeSnapshot → clear()) empties it, and the
 * snapshot's txns are not logged (they are not applied one by one). Simplified: the fuzzy window
 * after a snapshot load (digestFromLoadedSnapshot: nothing logged until its zxid) is not modelled.
 */
export class DigestMonitor {
  /** per history position: the carried digest (tree digest after it) and the zxid it belongs to */
  private readonly carried: number[] = [];
  private readonly carriedZxid: Zxid[] = [];
  private readonly leaderOfEpoch = new Map<number, ServerId>();
  private readonly servers = new Map<ServerId, ServerDigest>();
  /** digest_mismatches_count per server (whole trial, every incarnation) */
  private readonly counts = new Map<ServerId, number>();
  /** per server, how many times its DataTree was rebuilt by a process start or a SNAP (what an operator tells from uptime and the sync log line) */
  private readonly rebuilds = new Map<ServerId, number>();

  /**
   * `report` receives a `digestMismatch` event for the first mismatching txn after each load of the
   * tree (DataTree.firstMismatchTxn: 3.8 logs that one at ERROR); `mismatches` counts them all.
   */
  constructor(private readonly report: (e: ByzantineEvent) => void) {}

  onPeerEvent(atUs: number, node: ServerId, e: PeerEvent): void {
    if (e.type === 'delivered') this.onApplied(atUs, node, e.zxid, e.writeId, e.index);
    else if (e.type === 'historyCut') this.onCut(atUs, node, e.keep, e.mode);
    else if (e.type === 'established') this.leaderOfEpoch.set(e.epoch, node);
  }

  /** The server's tree digest now (what `hash` would return for its last applied zxid); 0 before it applies anything. */
  digestOf(node: ServerId): number {
    return this.servers.get(node)?.digest ?? 0;
  }

  /** The history position from which the server's tree has differed from the carried digests, or null while it agrees. */
  divergedFrom(node: ServerId): number | null {
    return this.servers.get(node)?.badFrom ?? null;
  }

  /**
   * The server's digest log now: what the admin `hash` command returns (Commands.DigestCommand →
   * DataTree.getDigestLog), oldest first. Empty before it logs anything.
   */
  digestLog(node: ServerId): readonly ZxidDigest[] {
    return this.servers.get(node)?.log ?? [];
  }

  /** How many times the server's tree was rebuilt by a new process or a SNAP (not by a TRUNC). */
  rebuildsOf(node: ServerId): number {
    return this.rebuilds.get(node) ?? 0;
  }

  /** digest_mismatches_count of the server, summed over its processes. */
  mismatches(node: ServerId): number {
    return this.counts.get(node) ?? 0;
  }

  /** Every mismatch counted, all servers. */
  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  private server(node: ServerId): ServerDigest {
    let s = this.servers.get(node);
    if (s === undefined) this.servers.set(node, (s = { digest: 0, applied: 0, badFrom: null, reported: false, log: [], snapAtUs: null }));
    return s;
  }

  private onApplied(atUs: number, node: ServerId, zxid: Zxid, writeId: number, index: number): void {
    const s = this.server(node);
    // Applying a position again: a new process replays its log from the start (FileTxnSnapLog.restore)
    // or a SNAP replaced it. Its tree up to there is its own prefix: the carried one unless already wrong.
    if (index < s.applied) this.reload(node, s, index);
    s.digest = (s.digest + txnDigest(zxid, writeId)) >>> 0;
    s.applied = index + 1;
    // DataTree.logZxidDigest; a SNAP's own txns (delivered in the instant of the cut) are loaded, not applied
    if (counterOf(zxid) % DIGEST_LOG_INTERVAL === 0 && s.snapAtUs !== atUs) logDigest(s.log, { zxid, digest: s.digest, index });
    if (this.carriedZxid[index] !== zxid) {
      // a new txn at this position: the digest its proposer (the epoch's leader) carries with it is its own tree's
      const proposer = this.leaderOfEpoch.get(epochOf(zxid));
      if (proposer === node) {
        // a different txn here is a rewritten history: what was carried after it no longer holds
        if (this.carriedZxid[index] !== undefined) this.carried.length = this.carriedZxid.length = index;
        this.carried[index] = s.digest;
        this.carriedZxid[index] = zxid;
        return;
      }
      if (this.carriedZxid[index] !== undefined) return;
      // committed by a later leader (a DIFF or its own sync) before its proposer applied it: the
      // log entry still carries the proposer's digest (Learner.syncWithLeader: logRequest(p.digest))
      this.carried[index] = this.proposedDigest(proposer, index, zxid, writeId);
      this.carriedZxid[index] = zxid;
    }
    const expected = this.carried[index] as number;
    if (expected === s.digest) return;
    s.badFrom ??= index;
    this.counts.set(node, this.mismatches(node) + 1);
    if (s.reported) return;
    s.reported = true;
    this.report({ type: 'digestMismatch', atUs, server: node, zxid, expected, actual: s.digest });
  }

  /**
   * The digest `proposer` computed for a txn it proposed but had not applied: the tree digest it
   * had plus the txn's (ZooKeeperServer → ZKDatabase.calculateTxnDigest). Its tree is the carried
   * history up to `index` plus whatever error its own tree has.
   */
  private proposedDigest(proposer: ServerId | undefined, index: number, zxid: Zxid, writeId: number): number {
    const p = proposer === undefined ? undefined : this.servers.get(proposer);
    const before = index === 0 ? 0 : (this.carried[index - 1] ?? 0);
    const own = p === undefined || p.applied === 0 ? 0 : (p.digest - (this.carried[p.applied - 1] ?? p.digest)) >>> 0;
    return (before + own + txnDigest(zxid, writeId)) >>> 0;
  }

  private reload(node: ServerId, s: ServerDigest, index: number): void {
    // a new process: a new DataTree, its digest log refilled as the replay applies the txns again
    this.rebuilds.set(node, this.rebuildsOf(node) + 1);
    s.log = s.log.filter((e) => e.index < index);
    s.snapAtUs = null;
    s.applied = index;
    s.reported = false;
    if (s.badFrom !== null && s.badFrom < index) return;
    s.badFrom = null;
    s.digest = index === 0 ? 0 : (this.carried[index - 1] ?? s.digest);
  }

  /**
   * TRUNC or SNAP during sync: the tree is what the leader's history holds up to `keep` (a TRUNC
   * reloads the server's own snapshot and log: equal, unless its own prefix was already wrong).
   */
  private onCut(atUs: number, node: ServerId, keep: number, mode: string): void {
    const s = this.server(node);
    s.applied = Math.min(s.applied, keep);
    s.log = s.log.filter((e) => e.index < keep);
    if (mode === 'SNAP') {
      this.rebuilds.set(node, this.rebuildsOf(node) + 1);
      s.snapAtUs = atUs;
    }
    if (s.badFrom !== null && s.badFrom < keep) return;
    s.badFrom = null;
    s.digest = keep === 0 ? 0 : (this.carried[keep - 1] ?? s.digest);
  }
}

/**
 * A recorder that also watches the digest (`digest`): what a trial builds when Byzantine faults may
 * be about. Its `digestMismatch` events join the trial's event stream.
 */
export class DigestRecorder extends Recorder {
  readonly digest = new DigestMonitor((e) => void this.events.push(e));

  override onPeerEvent(atUs: number, node: ServerId, e: PeerEvent): void {
    super.onPeerEvent(atUs, node, e);
    this.digest.onPeerEvent(atUs, node, e);
  }
}

const BYZANTINE_KINDS: readonly string[] = Object.keys(BYZANTINE_SYNTAX);

/**
 * The trial's recorder: a `DigestRecorder` when `digest` asks for one, or (absent) when a fault is
 * a Byzantine kind (config/byzantine-syntax.ts); else the plain one, so crash-fault trials pay nothing.
 */
export function recorderFor(opts: { readonly digest?: boolean; readonly faults: readonly { readonly kind: string }[] }, isVoter: (id: ServerId) => boolean): Recorder {
  const wanted = opts.digest ?? opts.faults.some((f) => BYZANTINE_KINDS.includes(f.kind));
  return wanted ? new DigestRecorder(isVoter) : new Recorder(isVoter);
}

/** The digest monitor of a trial's recorder, or null when the trial did not watch the digest. */
export function digestOf(recorder: Recorder): DigestMonitor | null {
  return recorder instanceof DigestRecorder ? recorder.digest : null;
}

interface ServerDigest {
  digest: number;
  applied: number;
  badFrom: number | null;
  /** its process reported its first mismatch already */
  reported: boolean;
  /** its digest log (DataTree.digestLog), with each entry's history position */
  log: (ZxidDigest & { readonly index: number })[];
  /** the instant of its last SNAP: the txns delivered then are the snapshot's */
  snapAtUs: number | null;
}

/** One entry of a digest log (DataTree.ZxidDigest; the digest version is left out): the tree digest after applying `zxid`. */
export interface ZxidDigest {
  readonly zxid: Zxid;
  readonly digest: number;
}

/** DataTree.DIGEST_LOG_INTERVAL: a digest is logged for every zxid whose counter is a multiple of it. */
export const DIGEST_LOG_INTERVAL = 128;
/** DataTree.DIGEST_LOG_LIMIT: the digest log keeps the newest this many entries. */
export const DIGEST_LOG_LIMIT = 1024;

function logDigest(log: (ZxidDigest & { readonly index: number })[], entry: ZxidDigest & { readonly index: number }): void {
  log.push(entry);
  if (log.length > DIGEST_LOG_LIMIT) log.shift();
}

/** A txn's contribution to the tree digest: a 32-bit mix of its zxid (both halves) and content. */
export function txnDigest(zxid: Zxid, writeId: number): number {
  let h = Math.imul((zxid % 0x100000000) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.floor(zxid / 0x100000000);
  h = Math.imul(h ^ (h >>> 13) ^ writeId, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

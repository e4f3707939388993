import type { PeerEvent, ServerId, Txn, ViolationEvent, Zxid } from '../model/index.js';
import { epochOf, formatZxid } from '../model/index.js';
import { formatWrite } from '../zk/index.js';

/** Invariants of zab-facts §7, by the names the specs use (defined with the event that reports them). */
export type Invariant = ViolationEvent['invariant'];

/** Every invariant, in the order reports list them. */
export const INVARIANTS: readonly Invariant[] = ['Leadership', 'PrefixConsistency', 'UniqueZxid', 'TotalOrder', 'Durability', 'EpochOrder'];

/**
 * Examples kept per invariant. Counting never stops, but a broken rule can violate an invariant
 * at every delivery: keeping each example would flood memory, and a single cap over all kinds
 * let the first, noisiest invariant hide the others.
 */
export const EXAMPLES_PER_INVARIANT = 100;

export interface Violation {
  readonly atUs: number;
  readonly invariant: Invariant;
  readonly detail: string;
}

interface Chosen {
  readonly zxid: Zxid;
  readonly writeId: number;
  readonly by: ServerId;
}

/**
 * Checks a run as it happens, from what peers report. None of it is protocol code: it only
 * watches, so a deliberately unsafe rule in zk/ is caught here, not hidden.
 *
 * - Leadership: at most one server is ever established leader of an epoch.
 * - PrefixConsistency / Agreement: every server applies the same txn at each history position.
 * - UniqueZxid: no two different transactions share a zxid.
 * - TotalOrder / primary order: zxids strictly increase along the history.
 * - Durability: a write acknowledged to a client is in every later leader's history, and no
 *   server truncates a txn it had applied.
 * - EpochOrder: acceptedEpoch ≥ currentEpoch on every server, both never decrease (a wiped disk
 *   starts again from 0).
 */
export class SafetyChecker {
  /** the first EXAMPLES_PER_INVARIANT violations of each invariant, in the order they happened */
  readonly violations: Violation[] = [];
  /** every violation counted, stored as an example or not */
  private readonly counts = new Map<Invariant, number>();
  private readonly leaderOfEpoch = new Map<number, ServerId>();
  private readonly chosen: Chosen[] = [];
  private readonly writeOfZxid = new Map<Zxid, number>();
  private readonly deliveredCount = new Map<ServerId, number>();
  private readonly epochs = new Map<ServerId, { accepted: number; current: number }>();
  /** writes acknowledged to clients: writeId → zxid */
  private readonly acked = new Map<number, Zxid>();
  /**
   * Optional event sink (e.g. the trial's Recorder.record): told of each violation kept as an
   * example (the first EXAMPLES_PER_INVARIANT of each invariant), as a `safetyViolation` event.
   */
  onViolation: ((e: ViolationEvent) => void) | null = null;

  onPeerEvent(atUs: number, node: ServerId, e: PeerEvent, historyOf: (node: ServerId) => readonly Txn[]): void {
    switch (e.type) {
      case 'established': {
        const other = this.leaderOfEpoch.get(e.epoch);
        if (other !== undefined && other !== node) {
          this.flag(atUs, 'Leadership', `servers ${other} and ${node} were both established leader of epoch ${e.epoch}`);
        } else this.leaderOfEpoch.set(e.epoch, node);
        this.checkAckedIn(atUs, node, historyOf(node), e.epoch);
        break;
      }
      case 'delivered':
        this.onDelivered(atUs, node, e.zxid, e.writeId, e.index);
        break;
      case 'historyCut': {
        const applied = this.deliveredCount.get(node) ?? 0;
        if (e.mode === 'TRUNC' && e.keep < applied) {
          this.flag(atUs, 'Durability', `server ${node} truncated its history to ${e.keep} txns after applying ${applied}`);
        }
        this.deliveredCount.set(node, Math.min(applied, e.keep));
        break;
      }
      case 'epochs':
        this.onEpochs(atUs, node, e.acceptedEpoch, e.currentEpoch);
        break;
      default:
        break;
    }
  }

  /** A new process: its applied count restarts (it re-applies its log when it syncs). */
  onProcessStart(node: ServerId): void {
    this.deliveredCount.set(node, 0);
  }

  /** The disk is gone: epochs legitimately restart from zero. */
  onDiskLost(node: ServerId): void {
    this.epochs.delete(node);
    this.deliveredCount.set(node, 0);
  }

  /**
   * An operator restored every server from a backup holding `history` (scenario/backup.ts): the
   * writes after it are lost by that decision, not by the protocol, and are counted there (the
   * RPO). Expectations restart from the restored history: positions, zxids and leaders of epochs
   * after it may be used again, acknowledged writes beyond it are no longer owed, and every
   * server's epochs and applied count restart (epoch files recreated from the last zxid).
   */
  onRestored(history: readonly Txn[]): void {
    const last = history[history.length - 1]?.zxid ?? 0;
    this.chosen.length = Math.min(this.chosen.length, history.length);
    for (const zxid of [...this.writeOfZxid.keys()]) if (zxid > last) this.writeOfZxid.delete(zxid);
    for (const [writeId, zxid] of [...this.acked]) if (zxid > last) this.acked.delete(writeId);
    for (const epoch of [...this.leaderOfEpoch.keys()]) if (epoch > epochOf(last)) this.leaderOfEpoch.delete(epoch);
    this.epochs.clear();
    this.deliveredCount.clear();
  }

  onClientAck(writeId: number, zxid: Zxid): void {
    this.acked.set(writeId, zxid);
  }

  private onDelivered(atUs: number, node: ServerId, zxid: Zxid, writeId: number, index: number): void {
    this.deliveredCount.set(node, index + 1);
    const owner = this.writeOfZxid.get(zxid);
    if (owner !== undefined && owner !== writeId) {
      this.flag(atUs, 'UniqueZxid', `zxid ${formatZxid(zxid)} carries ${formatWrite(owner)} and ${formatWrite(writeId)}`);
    } else this.writeOfZxid.set(zxid, writeId);
    const at = this.chosen[index];
    if (at === undefined) {
      if (index !== this.chosen.length) return; // a gap cannot happen: positions fill in order
      const prev = this.chosen[index - 1];
      if (prev && prev.zxid >= zxid) {
        this.flag(atUs, 'TotalOrder', `position ${index} holds zxid ${formatZxid(zxid)} after ${formatZxid(prev.zxid)}`);
      }
      this.chosen.push({ zxid, writeId, by: node });
    } else if (at.zxid !== zxid || at.writeId !== writeId) {
      this.flag(
        atUs,
        'PrefixConsistency',
        `position ${index}: server ${node} applied ${formatZxid(zxid)} (${formatWrite(writeId)}) where server ${at.by} applied ${formatZxid(at.zxid)} (${formatWrite(at.writeId)})`,
      );
    }
  }

  private onEpochs(atUs: number, node: ServerId, accepted: number, current: number): void {
    if (accepted < current) this.flag(atUs, 'EpochOrder', `server ${node} has acceptedEpoch ${accepted} < currentEpoch ${current}`);
    const before = this.epochs.get(node);
    if (before && (accepted < before.accepted || current < before.current)) {
      this.flag(atUs, 'EpochOrder', `server ${node}'s epochs went back from (${before.accepted}, ${before.current}) to (${accepted}, ${current})`);
    }
    this.epochs.set(node, { accepted, current });
  }

  private checkAckedIn(atUs: number, leader: ServerId, history: readonly Txn[], epoch: number): void {
    if (this.acked.size === 0) return;
    const have = new Map<Zxid, number>();
    for (const t of history) have.set(t.zxid, t.writeId);
    for (const [writeId, zxid] of this.acked) {
      if (have.get(zxid) !== writeId) {
        this.flag(atUs, 'Durability', `${formatWrite(writeId)} (${formatZxid(zxid)}) was acknowledged to its client but is missing from leader ${leader}'s history in epoch ${epoch}`);
        this.acked.delete(writeId);
      }
    }
  }

  /** How many times each invariant was violated (every invariant present, 0 when never). */
  countsByInvariant(): Record<Invariant, number> {
    const out = {} as Record<Invariant, number>;
    for (const inv of INVARIANTS) out[inv] = this.counts.get(inv) ?? 0;
    return out;
  }

  /** Every violation of every invariant, including those beyond the stored examples. */
  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  private flag(atUs: number, invariant: Invariant, detail: string): void {
    const seen = this.counts.get(invariant) ?? 0;
    this.counts.set(invariant, seen + 1);
    if (seen >= EXAMPLES_PER_INVARIANT) return;
    this.violations.push({ atUs, invariant, detail });
    this.onViolation?.({ type: 'safetyViolation', atUs, invariant, detail });
  }
}

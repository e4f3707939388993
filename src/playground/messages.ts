// playground/messages — the messages the picture animates, taken from the trial's trace (every
// processed kernel event: scenario/trial-types.ts TraceRecord) as they are delivered.
import type { ServerId } from '../model/index.js';
import type { TraceRecord } from '../scenario/index.js';

/** Which protocol a message belongs to (report/player/view.ts MessageFamily picks its colour). */
export type Family = 'election' | 'learner' | 'broadcast';

/** One delivered message: from, to, the packet's ZooKeeper name, its family and delivery time (µs). */
export interface Delivered {
  readonly from: ServerId;
  readonly to: ServerId;
  readonly label: string;
  readonly family: Family;
  readonly atUs: number;
}

/** Zab broadcast packets (Leader.propose / processAck / commit, and a learner's forwarded REQUEST); the rest of QuorumPacket is discovery and sync. */
const BROADCAST = new Set(['PROPOSAL', 'ACK', 'COMMIT', 'INFORM', 'REQUEST', 'COMMITANDACTIVATE', 'INFORMANDACTIVATE']);

/**
 * Keeps the last `keep` deliveries. Election notifications carry their sender; a learner packet's
 * sender is the other end of its connection, learned from the connection's accepted/connected
 * event (net/connect.ts), which reaches one end before any packet on it.
 */
export class MessageLog {
  private readonly ends = new Map<number, readonly [ServerId, ServerId]>();
  private readonly recent: Delivered[] = [];

  constructor(private readonly keep = 2000) {}

  /** The trace hook to pass to the trial. */
  readonly onTrace = (r: TraceRecord): void => {
    if (r.type !== 'sim') return;
    const ev = r.event;
    if (ev.kind === 'vote') this.push({ from: ev.msg.from, to: ev.to, label: 'NOTIFICATION', family: 'election', atUs: r.tUs });
    else if (ev.kind === 'accepted' || ev.kind === 'connected') {
      if (!this.ends.has(ev.connId)) this.ends.set(ev.connId, [ev.to, ev.peer]);
    } else if (ev.kind === 'packet') {
      const ends = this.ends.get(ev.connId);
      if (ends === undefined) return;
      const from = ends[0] === ev.to ? ends[1] : ends[0];
      const label = ev.packet.type;
      this.push({ from, to: ev.to, label, family: BROADCAST.has(label) ? 'broadcast' : 'learner', atUs: r.tUs });
    }
  };

  private push(d: Delivered): void {
    // a server's notification to itself never crosses the wire (QuorumCnxManager.toSend: addToRecvQueue)
    if (d.from === d.to) return;
    this.recent.push(d);
    if (this.recent.length > this.keep * 2) this.recent.splice(0, this.recent.length - this.keep);
  }

  /** Deliveries in (sinceUs, untilUs], oldest first. */
  between(sinceUs: number, untilUs: number): Delivered[] {
    const out: Delivered[] = [];
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const d = this.recent[i] as Delivered;
      if (d.atUs <= sinceUs) break;
      if (d.atUs <= untilUs) out.push(d);
    }
    return out.reverse();
  }

  clear(): void {
    this.ends.clear();
    this.recent.length = 0;
  }
}

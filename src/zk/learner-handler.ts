/**
 * The leader's side of one learner (LearnerHandler.java): its state, and the two pieces of
 * Leader.lead() that act per learner — the accept backlog before LearnerCnxAcceptor starts, and
 * the ACK watchdog (LearnerHandler.SyncLimitCheck). Used by zk/leader.ts.
 */
import { formatZxid, type QuorumPacket, type ServerId } from '../model/index.js';
import type { PeerContext } from './context.js';

export const handlerTimer = (connId: number): string => `lh.${connId}`;
export const watchdogTimer = (connId: number): string => `wd.${connId}`;

export type Stage = 'connected' | 'info' | 'ackepoch' | 'syncing' | 'acked' | 'uptodate';

/** One LearnerHandler: the leader's side of a learner's connection. */
export interface Handler {
  readonly connId: number;
  sid: ServerId;
  observer: boolean;
  stage: Stage;
  lastZxid: number;
  /** false when the learner's disk was lost: it gets a SNAP whatever its zxid */
  hasSnapshot: boolean;
  /** proposals sent and not yet ACKed, oldest first (LearnerHandler.SyncLimitCheck) */
  readonly unacked: { readonly zxid: number; readonly sentUs: number }[];
  watchdogArmed: boolean;
}

export function newHandler(connId: number, sid: ServerId): Handler {
  return { connId, sid, observer: false, stage: 'connected', lastZxid: 0, hasSnapshot: true, unacked: [], watchdogArmed: false };
}

/**
 * Learners that connected before LearnerCnxAcceptor started (lead() takes its snapshot first):
 * their connections wait in the accept backlog — the port was bound in the Leader constructor —
 * with whatever they sent meanwhile.
 */
export class AcceptBacklog {
  private open = false;
  private readonly waiting: { readonly connId: number; readonly peer: ServerId; readonly packets: QuorumPacket[] }[] = [];

  get accepting(): boolean {
    return this.open;
  }

  /** A connection arrived: false when it must wait (the acceptor has not started). */
  offer(connId: number, peer: ServerId): boolean {
    if (!this.open) this.waiting.push({ connId, peer, packets: [] });
    return this.open;
  }

  /** A packet arrived: false when it waits with its connection. */
  offerPacket(connId: number, packet: QuorumPacket): boolean {
    const w = this.open ? undefined : this.waiting.find((b) => b.connId === connId);
    w?.packets.push(packet);
    return w === undefined;
  }

  closed(connId: number): void {
    const at = this.waiting.findIndex((b) => b.connId === connId);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  /** The acceptor starts: the waiting connections in arrival order, each with its packets. */
  start(): { readonly connId: number; readonly peer: ServerId; readonly packets: readonly QuorumPacket[] }[] {
    this.open = true;
    return this.waiting.splice(0);
  }

  /** The role ends: the connections still waiting. */
  drain(): number[] {
    return this.waiting.splice(0).map((w) => w.connId);
  }
}

/**
 * SyncLimitCheck: the leader's ping (every tickTime/2, on its tick grid from `tickOriginUs`)
 * checks the learner's oldest unacked proposal; older than syncLimit×tickTime closes it
 * ("transaction timeout"). Armed lazily for the oldest deadline.
 */
export function armAckWatchdog(ctx: PeerContext, h: Handler, tickOriginUs: number): void {
  const oldest = h.unacked[0];
  if (!oldest) {
    h.watchdogArmed = false;
    ctx.cancelTimer(watchdogTimer(h.connId));
    return;
  }
  const { tickTimeUs, syncLimit } = ctx.config;
  const pingUs = tickTimeUs / 2;
  const due = oldest.sentUs + syncLimit * tickTimeUs;
  const ping = tickOriginUs + Math.ceil((due - tickOriginUs) / pingUs) * pingUs;
  h.watchdogArmed = true;
  ctx.setTimer(watchdogTimer(h.connId), Math.max(1, ping - ctx.nowUs));
}

/** The watchdog's ping: the reason to close the learner, or null (re-armed for the next deadline). */
export function checkAckWatchdog(ctx: PeerContext, h: Handler, tickOriginUs: number): string | null {
  h.watchdogArmed = false;
  const oldest = h.unacked[0];
  if (oldest && ctx.nowUs - oldest.sentUs >= ctx.config.syncLimit * ctx.config.tickTimeUs) {
    return `transaction timeout: proposal ${formatZxid(oldest.zxid)} unacked for syncLimit×tickTime`;
  }
  armAckWatchdog(ctx, h, tickOriginUs);
  return null;
}

import type { Rng } from '../core/index.js';
import type { ServerId } from '../model/index.js';
import { firstBeatAfterUs, type Conn, type Payload } from './conn.js';
import type { NetEvent, NetScheduler } from './events.js';
import { backoffUs, drawLosses, nextRetransmissionUs, retries2ErrorUs } from './tcp.js';

/** What one direction of a connection needs of the network. */
export interface DirHost {
  readonly sched: NetScheduler;
  readonly rng: Rng;
  /** per-connection throughput of sync streams, Mbit/s */
  readonly bandwidthMbps: number;
  /** a one-way delay draw on a→b, the extra delay of `delay` faults included, µs */
  delayUs(a: ServerId, b: ServerId): number;
  /** the loss probability on a→b */
  loss(a: ServerId, b: ServerId): number;
  /** may bytes cross direction d of the connection now (hosts up, not cut, not black-holed, no broken stream)? */
  pathOK(conn: Conn, d: 0 | 1): boolean;
}

/**
 * Send on direction d (the sending end is open). The kernel sends at once when the direction is
 * moving; else the data joins what it is retransmitting (FIFO: nothing overtakes held data).
 */
export function transmit(host: DirHost, conn: Conn, d: 0 | 1, payload: Payload): void {
  const dir = conn.dirs[d];
  if (dir.held.length > 0 || !host.pathOK(conn, d) || host.sched.nowUs < dir.stalledUntilUs) hold(host, conn, d, payload);
  else deliver(host, conn, d, payload);
}

/** Unacknowledged data: the first segment starts the retransmission clock and the retries2 budget. */
function hold(host: DirHost, conn: Conn, d: 0 | 1, payload: Payload): void {
  const dir = conn.dirs[d];
  const now = host.sched.nowUs;
  if (dir.firstUnackedUs === null) {
    dir.firstUnackedUs = now;
    dir.errorHandle = host.sched.schedule(retries2ErrorUs(now, conn.rtoUs), { kind: 'tcpError', connId: conn.id, dir: d, firstUnackedUs: now });
  }
  if (dir.downSinceUs === null && !host.pathOK(conn, d)) dir.downSinceUs = now;
  dir.held.push(payload);
}

/**
 * Put a payload on the wire now: one-way latency, plus a sync stream's size over the bandwidth,
 * plus the back-off of the consecutive losses drawn for it on a lossy link (TCP turns loss into
 * delay); never before what was sent earlier on the direction (FIFO).
 */
export function deliver(host: DirHost, conn: Conn, d: 0 | 1, payload: Payload): void {
  const dir = conn.dirs[d];
  const from = conn.ends[d];
  const to = conn.ends[1 - d] as ServerId;
  const transferUs = payload.kind === 'packet' && payload.packet.type === 'SYNC' ? Math.ceil((payload.packet.bytes * 8) / host.bandwidthMbps) : 0;
  const p = host.loss(from, to);
  const lossUs = p > 0 ? backoffUs(conn.rtoUs, drawLosses(p, host.rng)) : 0;
  const now = host.sched.nowUs;
  const baseUs = host.delayUs(from, to) + transferUs;
  const at = Math.max(now + baseUs + lossUs, dir.lastDeliveryUs + 1);
  dir.lastDeliveryUs = at;
  if (transferUs > 0) dir.streamUntilUs = at;
  const inc = conn.incs[1 - d] as number;
  const event: NetEvent =
    payload.kind === 'packet'
      ? { kind: 'packet', to, inc, connId: conn.id, packet: payload.packet }
      : payload.kind === 'vote'
        ? { kind: 'vote', to, inc, msg: payload.msg, connId: conn.id }
        : { kind: 'hello', to, inc, connId: conn.id };
  const handle = host.sched.schedule(at, event);
  if (lossUs > 0 || dir.inFlight.length > 0) {
    dir.inFlight = dir.inFlight.filter((f) => f.atUs > now);
    dir.inFlight.push({ sentUs: now, baseUs, lossy: lossUs > 0, event, atUs: at, handle });
  }
}

/**
 * The loss on direction d ended: a segment the drawn losses held back gets through at its next
 * retransmission instant from now (not after every loss drawn when it was sent, which assumed the
 * loss would last), and what was queued behind it follows in order.
 */
export function retimeAfterLoss(host: DirHost, conn: Conn, d: 0 | 1): void {
  const dir = conn.dirs[d];
  const now = host.sched.nowUs;
  const pending = dir.inFlight.filter((f) => f.atUs > now);
  dir.inFlight = [];
  if (pending.length === 0 || host.loss(conn.ends[d], conn.ends[1 - d] as ServerId) > 0) {
    dir.inFlight = pending;
    return;
  }
  let last = now;
  for (const f of pending) {
    const retry = f.lossy ? nextRetransmissionUs(f.sentUs, conn.rtoUs, now) : null;
    const wanted = retry === null ? f.sentUs + f.baseUs : retry.error ? f.atUs : retry.atUs + f.baseUs;
    const at = Math.max(Math.min(wanted, f.atUs), last + 1);
    if (at < f.atUs) {
      host.sched.cancel(f.handle);
      f.handle = host.sched.schedule(at, f.event);
      f.atUs = at;
    }
    last = f.atUs;
  }
  dir.lastDeliveryUs = Math.max(last, now);
}

/**
 * The path of direction d may have changed. Going down: note when (beats sent from then on are
 * lost), and a sync stream still in flight is broken for good. Coming up: whatever was lost
 * (held data, or the first beat sent into the cut) moves again only at its next retransmission
 * instant, computed now from when that first unacknowledged segment was sent.
 */
export function pathChanged(host: DirHost, conn: Conn, d: 0 | 1): void {
  const dir = conn.dirs[d];
  const now = host.sched.nowUs;
  if (!host.pathOK(conn, d)) {
    if (dir.downSinceUs === null) dir.downSinceUs = now;
    if (dir.streamUntilUs > now && dir.deadFromUs === null) dir.deadFromUs = dir.streamUntilUs;
    if (dir.resumeHandle !== null) host.sched.cancel(dir.resumeHandle);
    dir.resumeHandle = null;
    return;
  }
  if (dir.downSinceUs === null) return;
  const beat = firstBeatAfterUs(conn, d, dir.downSinceUs);
  dir.downSinceUs = null;
  const lost = [dir.firstUnackedUs, beat !== null && beat <= now ? beat : null].filter((t): t is number => t !== null);
  if (lost.length === 0) return;
  const { atUs, error } = nextRetransmissionUs(Math.min(...lost), conn.rtoUs, now);
  // Past tcp_retries2 the sender's kernel has given up on the connection: nothing resumes.
  if (error) return;
  dir.stalledUntilUs = atUs;
  if (dir.resumeHandle !== null) host.sched.cancel(dir.resumeHandle);
  dir.resumeHandle = host.sched.schedule(atUs, { kind: 'tcpResume', connId: conn.id, dir: d });
}

/**
 * The retransmission instant after a heal: the held data goes out, in order. Returns false when
 * the path went down again meanwhile (the next heal computes the next instant).
 */
export function resume(host: DirHost, conn: Conn, d: 0 | 1): boolean {
  const dir = conn.dirs[d];
  dir.resumeHandle = null;
  if (!conn.open[d] || !host.pathOK(conn, d)) return false;
  dir.stalledUntilUs = 0;
  const held = dir.held;
  dir.held = [];
  dir.firstUnackedUs = null;
  if (dir.errorHandle !== null) host.sched.cancel(dir.errorHandle);
  dir.errorHandle = null;
  for (const p of held) deliver(host, conn, d, p);
  return true;
}

/** The sending end is gone: its kernel stops retransmitting. */
export function dropDir(host: DirHost, conn: Conn, d: 0 | 1): void {
  const dir = conn.dirs[d];
  dir.held = [];
  dir.firstUnackedUs = null;
  for (const h of [dir.errorHandle, dir.resumeHandle]) if (h !== null) host.sched.cancel(h);
  dir.errorHandle = null;
  dir.resumeHandle = null;
}

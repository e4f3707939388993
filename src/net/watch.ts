import type { Rng } from '../core/index.js';
import type { ServerId } from '../model/index.js';
import { lastBeatUs, type Conn, type Watch } from './conn.js';
import type { NetScheduler } from './events.js';
import { lossesToExceed } from './tcp.js';

/** What watch evaluation needs of the network. */
export interface WatchHost {
  readonly sched: NetScheduler;
  readonly rng: Rng;
  /** is the heartbeat stream this end relies on broken right now (cut, stalled, far end dead or paused)? */
  silent(conn: Conn, end: 0 | 1, w: Watch): boolean;
  /** the loss probability on a→b */
  loss(a: ServerId, b: ServerId): number;
}

/**
 * Re-time one end's watch from the state now: a silence that began fires at the last beat before
 * it + timeout; a silence that ended cancels; a path that is up but lossy draws when the first
 * beat too late for the timeout goes out (`drawLossFire`).
 */
export function evaluateWatch(host: WatchHost, conn: Conn, end: 0 | 1): void {
  const w = conn.watches[end];
  if (!w || !conn.open[end]) return;
  const now = host.sched.nowUs;
  const silent = host.silent(conn, end, w);
  if (silent && w.silentSinceUs === null) {
    w.silentSinceUs = now;
    cancelGray(host, w);
    // The last heartbeat got through at the last beat instant before the silence began.
    w.fireHandle = host.sched.schedule(Math.max(now, lastBeatUs(w, now) + w.timeoutUs), { kind: 'watchFire', connId: conn.id, end });
  } else if (!silent && w.silentSinceUs !== null) {
    w.silentSinceUs = null;
    if (w.fireHandle !== null) host.sched.cancel(w.fireHandle);
    w.fireHandle = null;
  } else if (silent && w.fireHandle === null && !w.due) {
    // re-armed after a pause: the deadline passed while the watcher could not run
    w.fireHandle = host.sched.schedule(Math.max(now, lastBeatUs(w, w.silentSinceUs as number) + w.timeoutUs), { kind: 'watchFire', connId: conn.id, end });
  }
  if (!silent && w.grayHandle === null) drawLossFire(host, conn, end, w);
}

/**
 * Loss on the beats' path: TCP turns a lost beat into retransmission delay, and the read times
 * out when one beat comes later than timeout − period after the previous one, i.e. when it was
 * lost k times in a row with back-off(k) > timeout − period (tcp.ts lossesToExceed): probability
 * p^k per beat, per direction the beats take (both for an echo watch). The first such beat is
 * drawn at once (geometric over the beats from now), not beat by beat; the watch fires at the
 * beat before it + timeout. A change of loss redraws (the draw is memoryless).
 */
export function drawLossFire(host: WatchHost, conn: Conn, end: 0 | 1, w: Watch): void {
  const me = conn.ends[end];
  const peer = conn.ends[1 - end] as ServerId;
  const k = lossesToExceed(conn.rtoUs, w.timeoutUs - w.periodUs);
  let onTime = 1 - Math.pow(host.loss(peer, me), k);
  if (w.mode === 'echo') onTime *= 1 - Math.pow(host.loss(me, peer), k);
  const q = 1 - onTime;
  if (q <= 0) return;
  const u = 1 - host.rng.next(); // (0, 1]
  const j = q >= 1 ? 1 : 1 + Math.floor(Math.log(u) / Math.log(1 - q));
  const now = host.sched.nowUs;
  const lateBeatUs = lastBeatUs(w, now) + j * w.periodUs;
  scheduleGray(host, conn, end, w, lateBeatUs - w.periodUs + w.timeoutUs);
}

/** A fire caused by a gray fault while the path is up (loss, a new extra delay); the earliest wins. */
export function scheduleGray(host: WatchHost, conn: Conn, end: 0 | 1, w: Watch, atUs: number): void {
  const at = Math.max(host.sched.nowUs, atUs);
  if (w.grayHandle !== null && w.grayAtUs <= at) return;
  cancelGray(host, w);
  w.grayAtUs = at;
  w.grayHandle = host.sched.schedule(at, { kind: 'watchFire', connId: conn.id, end });
}

export function cancelGray(host: WatchHost, w: Watch): void {
  if (w.grayHandle !== null) host.sched.cancel(w.grayHandle);
  w.grayHandle = null;
}

export function clearWatch(host: WatchHost, conn: Conn, end: 0 | 1): void {
  const w = conn.watches[end];
  if (w?.fireHandle != null) host.sched.cancel(w.fireHandle);
  if (w) cancelGray(host, w);
  conn.watches[end] = null;
}

import type { NetEvent } from './events.js';
import type { Notification, QuorumPacket, ServerId } from '../model/index.js';

/**
 * What a connection carries: Zab packets (learner connections), election notifications and the
 * QuorumCnxManager handshake (the dialler's protocol version, sid and address: `hello`).
 */
export type Payload =
  | { readonly kind: 'packet'; readonly packet: QuorumPacket }
  | { readonly kind: 'vote'; readonly msg: Notification }
  | { readonly kind: 'hello' };

/**
 * A lazy read-timeout watch on one end: heartbeats every `periodUs` on the grid from `originUs`;
 * `timeoutUs` of silence after the last beat that got through fires a `watchFire`.
 */
export interface Watch {
  readonly timeoutUs: number;
  readonly periodUs: number;
  /** beats: the far end sends beats; echo: we ping and the far end answers (both directions carry beats) */
  readonly mode: 'beats' | 'echo';
  readonly originUs: number;
  silentSinceUs: number | null;
  fireHandle: number | null;
  /** a fire drawn for a lossy or newly delayed path while the path is up (one at most) */
  grayHandle: number | null;
  grayAtUs: number;
  /** the fire came due while the watcher was paused: fire at resume if still silent */
  due: boolean;
}

/** One direction of a TCP connection: FIFO, with what the kernel still has to retransmit. */
export interface Dir {
  lastDeliveryUs: number;
  /** sent but not yet through (the path was down, or is waiting for its retransmission instant) */
  held: Payload[];
  /** when the first unacknowledged segment of `held` was sent (the retransmission clock) */
  firstUnackedUs: number | null;
  /** the scheduled retries2 error of `held`, and the scheduled retransmission after a heal */
  errorHandle: number | null;
  resumeHandle: number | null;
  /** when the direction's path went down (null while up): implicit beats lost since then */
  downSinceUs: number | null;
  /** after a heal, nothing moves before the next retransmission instant */
  stalledUntilUs: number;
  /** a SYNC stream occupies the direction until its last byte */
  streamUntilUs: number;
  /**
   * A SYNC stream broke mid-way (its sender died, or the path went down before its last byte),
   * or a middlebox black-holed the connection: nothing due at or after this instant arrives.
   */
  deadFromUs: number | null;
  /**
   * Deliveries still in flight since one was delayed by drawn losses (and those queued behind it,
   * FIFO): when the loss ends they are re-timed to the retransmission that then gets through
   * (tcp-dir.ts retimeAfterLoss). Empty when no lossy delivery is pending.
   */
  inFlight: InFlight[];
}

/** A scheduled delivery: when it was sent, its delay without losses, its event and handle. */
export interface InFlight {
  readonly sentUs: number;
  readonly baseUs: number;
  readonly lossy: boolean;
  readonly event: NetEvent;
  atUs: number;
  handle: number;
}

/** One TCP connection: end 0 dialled, end 1 accepted. Direction d runs from ends[d] to ends[1 − d]. */
export interface Conn {
  readonly id: number;
  readonly ends: readonly [ServerId, ServerId];
  readonly incs: readonly [number, number];
  readonly open: [boolean, boolean];
  readonly dirs: [Dir, Dir];
  readonly watches: [Watch | null, Watch | null];
  /** the retransmission timeout (tcp.ts initialRtoUs of the handshake's round trip), µs */
  readonly rtoUs: number;
  /** QuorumCnxManager's election connection (invisible to the peers, which see only votes) */
  readonly election: boolean;
  /** a middlebox dropped it: every packet vanishes, nobody is told */
  blackholed: boolean;
}

export function newDir(lastDeliveryUs: number): Dir {
  return { lastDeliveryUs, held: [], firstUnackedUs: null, errorHandle: null, resumeHandle: null, downSinceUs: null, stalledUntilUs: 0, streamUntilUs: 0, deadFromUs: null, inFlight: [] };
}

/** The last beat instant at or before `atUs` on a watch's grid. */
export function lastBeatUs(w: Watch, atUs: number): number {
  return w.originUs + Math.floor((atUs - w.originUs) / w.periodUs) * w.periodUs;
}

/**
 * The first implicit heartbeat sent on direction `dir` strictly after `afterUs`, or null when no
 * watch makes beats flow that way: the far end's watch expects our beats (either mode), or our
 * own echo watch pings.
 */
export function firstBeatAfterUs(conn: Conn, dir: 0 | 1, afterUs: number): number | null {
  let first: number | null = null;
  const consider = (w: Watch | null): void => {
    if (!w) return;
    const at = lastBeatUs(w, afterUs) + w.periodUs;
    if (first === null || at < first) first = at;
  };
  consider(conn.watches[1 - dir] ?? null);
  const own = conn.watches[dir];
  if (own?.mode === 'echo') consider(own);
  return first;
}

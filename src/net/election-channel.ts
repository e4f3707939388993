import type { Notification, ServerId } from '../model/index.js';
import type { Conn, Payload } from './conn.js';
import { key } from './links.js';

/** What the election channel needs of the network. */
export interface ElectionHost {
  conn(id: number): Conn | undefined;
  alive(id: ServerId, inc: number): boolean;
  incarnation(id: ServerId): number;
  /** dial an election connection bounded by cnxTimeout (Connector, then `connectDone`) */
  dial(from: ServerId, to: ServerId): void;
  transmit(conn: Conn, from: ServerId, payload: Payload): void;
  /** close this server's end of the connection (FIN/RST to the far end if the path carries it) */
  closeEnd(conn: Conn, end: 0 | 1): void;
}

/**
 * QuorumCnxManager (3.8.6) over the TCP connections: per peer a send queue of capacity 1
 * (SEND_CAPACITY, a newer notification replaces an unsent one), `senderWorkerMap` (the connection
 * a SendWorker writes to), `lastMessageSent`, and `inprogressConnections` (one connect at a time
 * per peer, initiateConnectionAsync). Connects are asynchronous in 3.8.6 (connectOne →
 * initiateConnectionAsync on the connectionExecutor), so a silent peer never blocks the others.
 * RecvWorker reads with setSoTimeout(0): an established connection is only given up on a TCP
 * error (RST, tcp_retries2) or when a newer one replaces it. connectOne on a peer with a
 * connection calls asyncValidateIfSocketIsStillReachable only when zookeeper.multiAddress.enabled
 * (off by default), so here it does nothing. The challenge: the higher sid keeps the connection
 * (startConnection / handleConnection), a lower-sid dialler's connection is dropped and the
 * higher side dials back.
 */
export class ElectionChannel {
  /** senderWorkerMap per directed pair a>b: the connection a's SendWorker for b writes to */
  private readonly workers = new Map<string, number>();
  private readonly queues = new Map<string, Notification>();
  private readonly lastSent = new Map<string, Notification>();
  private readonly connecting = new Set<string>();

  constructor(private readonly host: ElectionHost) {}

  /** toSend: queue (capacity 1) and connectOne; a live SendWorker drains the queue at once. */
  send(from: ServerId, to: ServerId, msg: Notification): void {
    const conn = this.worker(from, to);
    if (conn) {
      this.lastSent.set(key(from, to), msg);
      this.host.transmit(conn, from, { kind: 'vote', msg });
      return;
    }
    this.queues.set(key(from, to), msg);
    this.connectOne(from, to);
  }

  /** initiateConnection ended at the dialler: the TCP connection (handshake sent next), or a failure. */
  connectDone(from: ServerId, to: ServerId, conn: Conn | null): void {
    this.connecting.delete(key(from, to));
    if (!conn) return; // the message stays queued for the next connectOne
    // startConnection: send the protocol version, sid and address, then keep the connection
    // only if we have the higher sid.
    this.host.transmit(conn, from, { kind: 'hello' });
    if (from < to) this.host.closeEnd(conn, 0);
    else this.install(from, to, conn);
  }

  /** handleConnection at the acceptor, when the dialler's handshake has arrived. */
  hello(conn: Conn): void {
    const [dialler, me] = conn.ends;
    if (dialler < me) {
      // We win the challenge: shut down any worker for the dialler, close, and dial back.
      const old = this.worker(me, dialler);
      if (old) this.host.closeEnd(old, old.ends[0] === me ? 0 : 1);
      this.workers.delete(key(me, dialler));
      this.host.closeEnd(conn, 1);
      this.connectOne(me, dialler);
      return;
    }
    this.install(me, dialler, conn);
  }

  /** A server's end of an election connection closed (RST/FIN heard, tcp_retries2, replaced): its SendWorker finishes. */
  endClosed(conn: Conn, end: 0 | 1): void {
    const me = conn.ends[end];
    const peer = conn.ends[1 - end] as ServerId;
    if (this.workers.get(key(me, peer)) === conn.id) this.workers.delete(key(me, peer));
  }

  /** A process died: its queues, workers and last messages go with it. */
  lost(id: ServerId): void {
    for (const m of [this.workers, this.queues, this.lastSent]) for (const k of [...m.keys()]) if (k.startsWith(`${id}>`)) m.delete(k);
    for (const k of [...this.connecting]) if (k.startsWith(`${id}>`)) this.connecting.delete(k);
  }

  private connectOne(from: ServerId, to: ServerId): void {
    if (this.worker(from, to) || this.connecting.has(key(from, to))) return;
    this.connecting.add(key(from, to));
    this.host.dial(from, to);
  }

  /**
   * A new SendWorker: the previous one finishes (its connection closes), and the worker starts
   * by sending the queued message, or else lastMessageSent again (SendWorker.run).
   */
  private install(me: ServerId, peer: ServerId, conn: Conn): void {
    const k = key(me, peer);
    const old = this.worker(me, peer);
    this.workers.set(k, conn.id);
    if (old && old.id !== conn.id) this.host.closeEnd(old, old.ends[0] === me ? 0 : 1);
    const queued = this.queues.get(k);
    this.queues.delete(k);
    const msg = queued ?? this.lastSent.get(k);
    if (!msg) return;
    this.lastSent.set(k, msg);
    this.host.transmit(conn, me, { kind: 'vote', msg });
  }

  private worker(me: ServerId, peer: ServerId): Conn | null {
    const id = this.workers.get(key(me, peer));
    const conn = id === undefined ? undefined : this.host.conn(id);
    if (!conn) return null;
    const end = conn.ends[0] === me ? 0 : 1;
    if (!conn.open[end] || !this.host.alive(me, conn.incs[end])) {
      this.workers.delete(key(me, peer));
      return null;
    }
    return conn;
  }
}

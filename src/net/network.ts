import type { Rng } from '../core/index.js';
import type { Distribution, LinkClass, Notification, PeerInput, QuorumPacket, ServerId, Topology } from '../model/index.js';
import type { NetEvent, NetScheduler } from './events.js';
import { drawDelayUs, linkClass } from './latency.js';

/** A loopback message (a peer's vote to itself) still goes through the queue, as in QuorumCnxManager. */
const LOOPBACK_US = 1;

interface Watch {
  readonly timeoutUs: number;
  readonly periodUs: number;
  readonly mode: 'beats' | 'echo';
  readonly originUs: number;
  silentSinceUs: number | null;
  fireHandle: number | null;
}

/** One TCP connection: end 0 dialled, end 1 accepted. Each direction is FIFO. */
interface Conn {
  readonly id: number;
  readonly ends: readonly [ServerId, ServerId];
  readonly incs: readonly [number, number];
  readonly open: [boolean, boolean];
  readonly lastDeliveryUs: [number, number];
  /** packets sent while the direction was cut: TCP retransmits them once it heals */
  readonly held: [QuorumPacket[], QuorumPacket[]];
  readonly watches: [Watch | null, Watch | null];
}

interface Server {
  readonly id: ServerId;
  readonly host: string;
  process: 'up' | 'killed' | 'down';
  incarnation: number;
}

/**
 * The network and the hosts under it: placement-aware latency, per-direction link cuts (so
 * one-way partitions fall out), FIFO connections, process kills that reset connections and
 * silent host crashes that only timeouts reveal. Heartbeats are never sent: a watch fires at
 * the instant periodic heartbeats would have made the far end's read time out.
 */
export class Network {
  private readonly servers = new Map<ServerId, Server>();
  private readonly hostUp = new Map<string, boolean>();
  private readonly cuts = new Map<string, number>();
  private readonly classOf = new Map<string, LinkClass>();
  /** one-way delay per link class, µs (the topology's) */
  private readonly dists: Readonly<Record<LinkClass, Distribution>>;
  private readonly lastVoteUs = new Map<string, number>();
  /** QuorumCnxManager's lastMessageSent per directed pair, re-sent when a connection is re-made */
  private readonly lastVoteSent = new Map<string, Notification>();
  /** unordered pairs whose election connection is down (cut, failed send, process death) */
  private readonly brokenElection = new Set<string>();
  private readonly conns = new Map<number, Conn>();
  private nextConnId = 1;
  private readonly bandwidthMbps: number;
  messagesSent = 0;

  constructor(
    topology: Topology,
    private readonly sched: NetScheduler,
    private readonly rng: Rng,
  ) {
    for (const s of topology.servers) {
      this.servers.set(s.id, { id: s.id, host: s.host, process: 'down', incarnation: 0 });
      this.hostUp.set(s.host, true);
    }
    for (const a of topology.servers) for (const b of topology.servers) this.classOf.set(key(a.id, b.id), linkClass(a, b));
    this.bandwidthMbps = topology.storage.bandwidthMbps;
    this.dists = topology.latency;
  }

  // --- queries ---

  /** Messages from a can reach b's host: both hosts up and the a→b direction not cut. */
  pathUp(a: ServerId, b: ServerId): boolean {
    if (a === b) return this.hostIsUp(a);
    return this.hostIsUp(a) && this.hostIsUp(b) && (this.cuts.get(key(a, b)) ?? 0) === 0;
  }

  processUp(id: ServerId): boolean {
    return this.server(id).process === 'up';
  }

  incarnation(id: ServerId): number {
    return this.server(id).incarnation;
  }

  hostIsUp(id: ServerId): boolean {
    return this.hostUp.get(this.server(id).host) === true;
  }

  hostOf(id: ServerId): string {
    return this.server(id).host;
  }

  /** A client in a server's zone reaching it (clients are not placed on the network otherwise). */
  clientDelayUs(rng: Rng): number {
    return drawDelayUs(this.dists.sameZone, rng);
  }

  // --- hosts and processes ---

  /** A new process incarnation on an up host; returns false when the host is down. */
  startProcess(id: ServerId): boolean {
    const s = this.server(id);
    if (!this.hostIsUp(id)) return false;
    // Connections to the previous incarnation are reset now: in TCP the first packet (a PING every
    // tickTime/2) to reach the rebooted host draws an RST, so a peer learns within about a tick.
    this.resetConnsOf(id, s.incarnation);
    s.incarnation += 1;
    s.process = 'up';
    return true;
  }

  /** Process killed, host up: the kernel resets its connections, so peers hear of it. */
  killProcess(id: ServerId): void {
    const s = this.server(id);
    if (s.process !== 'up') return;
    s.process = 'killed';
    this.resetConnsOf(id, s.incarnation);
    this.electionConnectionsLost(id);
  }

  /** Host down: every process on it stops silently. Returns the servers that were running. */
  crashHost(host: string): ServerId[] {
    if (this.hostUp.get(host) !== true) return [];
    this.hostUp.set(host, false);
    const stopped: ServerId[] = [];
    for (const s of this.servers.values()) {
      if (s.host !== host) continue;
      if (s.process === 'up') stopped.push(s.id);
      s.process = 'down';
      this.electionConnectionsLost(s.id);
    }
    this.reevaluate();
    return stopped;
  }

  restoreHost(host: string): void {
    if (this.hostUp.get(host) !== false) return;
    this.hostUp.set(host, true);
    this.reevaluate();
  }

  // --- cuts ---

  /** Cut the from→to direction. Cuts nest: each cut needs its own heal. */
  cut(from: ServerId, to: ServerId): void {
    const k = key(from, to);
    this.cuts.set(k, (this.cuts.get(k) ?? 0) + 1);
    this.brokenElection.add(pairKey(from, to));
  }

  heal(from: ServerId, to: ServerId): void {
    const k = key(from, to);
    const n = (this.cuts.get(k) ?? 0) - 1;
    if (n <= 0) this.cuts.delete(k);
    else this.cuts.set(k, n);
  }

  /** Call after a batch of cut/heal calls: re-times watches and releases held packets. */
  reevaluate(): void {
    for (const conn of this.conns.values()) {
      for (const dir of [0, 1] as const) this.flushHeld(conn, dir);
      for (const end of [0, 1] as const) this.evaluateWatch(conn, end);
    }
  }

  // --- election channel ---

  sendVote(from: ServerId, to: ServerId, msg: Notification): void {
    this.messagesSent++;
    if (from === to) {
      this.sched.schedule(this.sched.nowUs + LOOPBACK_US, { kind: 'vote', to, inc: this.incarnation(to), msg });
      return;
    }
    this.lastVoteSent.set(key(from, to), msg);
    if (!this.pathUp(from, to)) {
      // No connection: the message waits in the send queue (capacity 1) for a reconnect.
      this.brokenElection.add(pairKey(from, to));
      return;
    }
    const k = key(from, to);
    const at = Math.max(this.sched.nowUs + this.delayUs(from, to), (this.lastVoteUs.get(k) ?? 0) + 1);
    this.lastVoteUs.set(k, at);
    this.sched.schedule(at, { kind: 'vote', to, inc: this.incarnation(to), msg });
  }

  // --- connections ---

  connect(from: ServerId, tag: number, to: ServerId, timeoutUs: number): void {
    const now = this.sched.nowUs;
    const inc = this.incarnation(from);
    if (!this.pathUp(from, to) || !this.pathUp(to, from)) {
      this.sched.schedule(now + timeoutUs, { kind: 'connectFailed', to: from, inc, tag, peer: to });
      return;
    }
    const there = this.delayUs(from, to);
    const back = this.delayUs(to, from);
    if (!this.processUp(to)) {
      // Host up, nobody listening: RST after a round trip.
      this.sched.schedule(now + there + back, { kind: 'connectFailed', to: from, inc, tag, peer: to });
      return;
    }
    const conn: Conn = {
      id: this.nextConnId++,
      ends: [from, to],
      incs: [inc, this.incarnation(to)],
      open: [true, true],
      lastDeliveryUs: [now + there, now + there + back],
      held: [[], []],
      watches: [null, null],
    };
    this.conns.set(conn.id, conn);
    this.sched.schedule(now + there, { kind: 'accepted', to, inc: conn.incs[1], connId: conn.id, peer: from });
    this.sched.schedule(now + there + back, { kind: 'connected', to: from, inc, connId: conn.id, tag, peer: to });
  }

  send(from: ServerId, connId: number, packet: QuorumPacket): void {
    const conn = this.conns.get(connId);
    if (!conn) return;
    const dir = conn.ends[0] === from ? 0 : 1;
    if (!conn.open[dir]) return;
    this.messagesSent++;
    if (conn.held[dir].length > 0 || !this.pathUp(from, conn.ends[1 - dir] as ServerId)) {
      conn.held[dir].push(packet);
      return;
    }
    this.deliver(conn, dir, packet);
  }

  /** One end closes (FIN): the other end hears after in-flight data, if the path lets it. */
  close(from: ServerId, connId: number): void {
    const conn = this.conns.get(connId);
    if (!conn) return;
    const end = conn.ends[0] === from ? 0 : 1;
    this.closeEnd(conn, end, 'reset');
  }

  /**
   * Watch one end's read timeout lazily: heartbeats every `periodUs` on the grid that started at
   * `originUs` (default now; the leader's tick grid for Zab connections), `timeoutUs` of silence
   * after the last beat that got through fires a `watchFire`.
   */
  watch(from: ServerId, connId: number, timeoutUs: number, periodUs: number, mode: 'beats' | 'echo', originUs?: number): void {
    const conn = this.conns.get(connId);
    if (!conn) return;
    const end = conn.ends[0] === from ? 0 : 1;
    if (!conn.open[end]) return;
    this.clearWatch(conn, end);
    conn.watches[end] = { timeoutUs, periodUs, mode, originUs: Math.min(originUs ?? this.sched.nowUs, this.sched.nowUs), silentSinceUs: null, fireHandle: null };
    this.evaluateWatch(conn, end);
  }

  unwatch(from: ServerId, connId: number): void {
    const conn = this.conns.get(connId);
    if (conn) this.clearWatch(conn, conn.ends[0] === from ? 0 : 1);
  }

  /** Turn a scheduled network event into the input its addressee should see, or null if stale. */
  resolve(ev: NetEvent): { to: ServerId; input: PeerInput } | null {
    if (ev.kind === 'watchFire') {
      const conn = this.conns.get(ev.connId);
      const w = conn?.watches[ev.end];
      if (!conn || !w || !conn.open[ev.end]) return null;
      w.fireHandle = null;
      const to = conn.ends[ev.end];
      // A crashed watcher's read timeout never runs: leave its end open so that the restart
      // of its host still resets the far end (startProcess → resetConnsOf).
      const watcher = this.server(to);
      if (watcher.process !== 'up' || watcher.incarnation !== conn.incs[ev.end]) return null;
      this.closeEnd(conn, ev.end, 'reset');
      return { to, input: { kind: 'connClosed', connId: conn.id, reason: 'timeout' } };
    }
    const s = this.server(ev.to);
    if (s.process !== 'up' || s.incarnation !== ev.inc) return null;
    switch (ev.kind) {
      case 'vote':
        this.electionConnectionMade(ev.msg.from, ev.to);
        return { to: ev.to, input: { kind: 'vote', msg: ev.msg } };
      case 'packet': {
        const conn = this.conns.get(ev.connId);
        const end = conn && conn.ends[1] === ev.to ? 1 : 0;
        if (!conn || !conn.open[end]) return null;
        return { to: ev.to, input: { kind: 'packet', connId: ev.connId, from: conn.ends[1 - end] as ServerId, packet: ev.packet } };
      }
      case 'accepted':
        return this.conns.get(ev.connId)?.open[1] ? { to: ev.to, input: { kind: 'accepted', connId: ev.connId, peer: ev.peer } } : null;
      case 'connected': {
        const conn = this.conns.get(ev.connId);
        if (!conn || !conn.open[0]) {
          return { to: ev.to, input: { kind: 'connectFailed', tag: ev.tag, peer: ev.peer } };
        }
        return { to: ev.to, input: { kind: 'connected', connId: ev.connId, tag: ev.tag, peer: ev.peer } };
      }
      case 'connectFailed':
        return { to: ev.to, input: { kind: 'connectFailed', tag: ev.tag, peer: ev.peer } };
      case 'connClosed': {
        const conn = this.conns.get(ev.connId);
        const end = conn && conn.ends[1] === ev.to ? 1 : 0;
        if (!conn || !conn.open[end]) return null;
        conn.open[end] = false;
        this.clearWatch(conn, end);
        this.forget(conn);
        return { to: ev.to, input: { kind: 'connClosed', connId: ev.connId, reason: ev.reason } };
      }
    }
  }

  // --- internals ---

  /** A process died: its queued messages go with it and every election connection of it is down. */
  private electionConnectionsLost(id: ServerId): void {
    for (const other of this.servers.keys()) {
      if (other === id) continue;
      this.lastVoteSent.delete(key(id, other));
      this.brokenElection.add(pairKey(id, other));
    }
  }

  /**
   * A vote got through a pair whose connection was down: the connection is up again, and the
   * receiver's SendWorker re-sends its last message to the sender (QuorumCnxManager, on connect).
   * Without this, LOOKING servers in one round that heard only worse votes could wait forever.
   */
  private electionConnectionMade(from: ServerId, to: ServerId): void {
    if (from === to || !this.brokenElection.delete(pairKey(from, to))) return;
    const last = this.lastVoteSent.get(key(to, from));
    if (last) this.sendVote(to, from, last);
  }

  private server(id: ServerId): Server {
    const s = this.servers.get(id);
    if (!s) throw new Error(`unknown server ${id}`);
    return s;
  }

  private delayUs(from: ServerId, to: ServerId): number {
    const cls = this.classOf.get(key(from, to)) ?? 'crossRegion';
    return drawDelayUs(this.dists[cls], this.rng);
  }

  private deliver(conn: Conn, dir: 0 | 1, packet: QuorumPacket): void {
    const to = conn.ends[1 - dir] as ServerId;
    // A sync stream (DIFF txns or a whole snapshot) takes its size over the link's bandwidth.
    const transferUs = packet.type === 'SYNC' ? Math.ceil((packet.bytes * 8) / this.bandwidthMbps) : 0;
    const at = Math.max(this.sched.nowUs + this.delayUs(conn.ends[dir], to) + transferUs, conn.lastDeliveryUs[dir] + 1);
    conn.lastDeliveryUs[dir] = at;
    this.sched.schedule(at, { kind: 'packet', to, inc: conn.incs[1 - dir] as number, connId: conn.id, packet });
  }

  private flushHeld(conn: Conn, dir: 0 | 1): void {
    const held = conn.held[dir];
    if (held.length === 0 || !conn.open[dir] || !this.pathUp(conn.ends[dir], conn.ends[1 - dir] as ServerId)) return;
    conn.held[dir] = [];
    for (const p of held) this.deliver(conn, dir, p);
  }

  /** An end goes away: tell the other end (FIN/RST) if the path carries it; else it must time out. */
  private closeEnd(conn: Conn, end: 0 | 1, reason: 'reset'): void {
    if (!conn.open[end]) return;
    conn.open[end] = false;
    conn.held[end] = [];
    this.clearWatch(conn, end);
    const other = (1 - end) as 0 | 1;
    const from = conn.ends[end];
    const to = conn.ends[other];
    if (conn.open[other] && this.pathUp(from, to)) {
      const at = Math.max(this.sched.nowUs + this.delayUs(from, to), conn.lastDeliveryUs[end] + 1);
      conn.lastDeliveryUs[end] = at;
      this.sched.schedule(at, { kind: 'connClosed', to, inc: conn.incs[other], connId: conn.id, reason });
    } else {
      this.evaluateWatch(conn, other);
    }
    this.forget(conn);
  }

  private resetConnsOf(id: ServerId, inc: number): void {
    for (const conn of [...this.conns.values()]) {
      for (const end of [0, 1] as const) {
        if (conn.ends[end] === id && conn.incs[end] === inc) this.closeEnd(conn, end, 'reset');
      }
    }
  }

  private forget(conn: Conn): void {
    if (!conn.open[0] && !conn.open[1]) this.conns.delete(conn.id);
  }

  /** Is the heartbeat stream this end relies on broken right now? */
  private silent(conn: Conn, end: 0 | 1, w: Watch): boolean {
    const other = (1 - end) as 0 | 1;
    const me = conn.ends[end];
    const peer = conn.ends[other];
    const peerServer = this.server(peer);
    const peerAlive = conn.open[other] && peerServer.process === 'up' && peerServer.incarnation === conn.incs[other];
    if (!peerAlive || !this.pathUp(peer, me)) return true;
    return w.mode === 'echo' && !this.pathUp(me, peer);
  }

  private evaluateWatch(conn: Conn, end: 0 | 1): void {
    const w = conn.watches[end];
    if (!w || !conn.open[end]) return;
    const now = this.sched.nowUs;
    const silent = this.silent(conn, end, w);
    if (silent && w.silentSinceUs === null) {
      w.silentSinceUs = now;
      // The last heartbeat got through at the last beat instant before the silence began.
      const lastBeatUs = w.originUs + Math.floor((now - w.originUs) / w.periodUs) * w.periodUs;
      w.fireHandle = this.sched.schedule(Math.max(now, lastBeatUs + w.timeoutUs), { kind: 'watchFire', connId: conn.id, end });
    } else if (!silent && w.silentSinceUs !== null) {
      w.silentSinceUs = null;
      if (w.fireHandle !== null) this.sched.cancel(w.fireHandle);
      w.fireHandle = null;
    }
  }

  private clearWatch(conn: Conn, end: 0 | 1): void {
    const w = conn.watches[end];
    if (w?.fireHandle != null) this.sched.cancel(w.fireHandle);
    conn.watches[end] = null;
  }
}

function key(a: ServerId, b: ServerId): string {
  return `${a}>${b}`;
}

function pairKey(a: ServerId, b: ServerId): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

import type { Rng } from '../core/index.js';
import type { Distribution, PeerInput, ServerId, Topology } from '../model/index.js';
import { newDir, type Conn, type Payload, type Watch } from './conn.js';
import { Connector } from './connect.js';
import { ElectionChannel } from './election-channel.js';
import type { NetEvent, NetScheduler } from './events.js';
import { GrayFaults } from './gray.js';
import { drawDelayUs } from './latency.js';
import { Links } from './links.js';
import { dropDir, transmit, type DirHost } from './tcp-dir.js';
import { initialRtoUs } from './tcp.js';
import { clearWatch, evaluateWatch, scheduleGray, type WatchHost } from './watch.js';

/** cnxTimeout when the topology does not say (QuorumCnxManager: zookeeper.cnxTimeout, 5 000 ms) */
const DEFAULT_CNX_TIMEOUT_US = 5_000_000;
/** the `connectFailed` tag of QuorumCnxManager's own connects (peers never see it) */
export const ELECTION_TAG = -1;

export interface Server {
  readonly id: ServerId;
  readonly host: string;
  process: 'up' | 'killed' | 'down';
  incarnation: number;
  paused: boolean;
}

/**
 * The state under the Network's public face (network.ts): hosts, processes, connections and
 * the parts that drive them (connect attempts, the election channel, gray faults), with the
 * internals the public methods share.
 */
export abstract class NetCore implements DirHost, WatchHost {
  protected readonly servers = new Map<ServerId, Server>();
  protected readonly hostUp = new Map<string, boolean>();
  readonly links: Links;
  readonly conns = new Map<number, Conn>();
  /** connections whose closed end already answered late data with an RST (answerWithReset) */
  private readonly resetSent = new Set<number>();
  protected nextConnId = 1;
  readonly bandwidthMbps: number;
  protected readonly cnxTimeoutUs: number;
  protected readonly sameZone: Distribution;
  protected readonly connector: Connector;
  protected readonly election: ElectionChannel;
  /** the gray-failure primitives: setPaused, addLoss, addDelay, blackhole (gray.ts) */
  readonly gray: GrayFaults;
  messagesSent = 0;

  constructor(
    topology: Topology,
    readonly sched: NetScheduler,
    readonly rng: Rng,
  ) {
    for (const s of topology.servers) {
      this.servers.set(s.id, { id: s.id, host: s.host, process: 'down', incarnation: 0, paused: false });
      this.hostUp.set(s.host, true);
    }
    this.links = new Links(topology);
    this.bandwidthMbps = topology.storage.bandwidthMbps;
    this.sameZone = topology.latency.sameZone;
    this.cnxTimeoutUs = topology.zk?.cnxTimeoutUs ?? DEFAULT_CNX_TIMEOUT_US;
    this.connector = new Connector({
      sched,
      pathUp: (a, b) => this.pathUp(a, b),
      hostIsUp: (id) => this.hostIsUp(id),
      listening: (id) => this.processUp(id),
      alive: (id, inc) => this.alive(id, inc),
      incarnation: (id) => this.incarnation(id),
      delayUs: (a, b) => this.delayUs(a, b),
      openConn: (from, fromInc, to, rttUs, election) => this.openConn(from, fromInc, to, rttUs, election),
      conn: (id) => this.conns.get(id),
      closeEnd: (conn, end) => this.closeEnd(conn, end),
      electionConnectDone: (from, to, conn) => this.election.connectDone(from, to, conn),
    });
    this.election = new ElectionChannel({
      conn: (id) => this.conns.get(id),
      alive: (id, inc) => this.alive(id, inc),
      incarnation: (id) => this.incarnation(id),
      dial: (from, to) => this.connector.start(from, ELECTION_TAG, to, this.cnxTimeoutUs, true),
      transmit: (conn, from, payload) => this.transmitFrom(conn, from, payload),
      closeEnd: (conn, end) => this.closeEnd(conn, end),
    });
    this.gray = new GrayFaults(this, {
      pause: (id, paused) => {
        this.server(id).paused = paused;
      },
      reevaluate: () => this.reevaluate(),
      watchesOf: (id) => this.watchesOf(id),
      scheduleGray: (conn, end, w, atUs) => scheduleGray(this, conn, end, w, atUs),
    });
  }


  /** After a batch of path changes: re-time what depends on the paths (network.ts). */
  abstract reevaluate(): void;

  // --- queries ---

  /** Messages from a can reach b's host: both hosts up and the a→b direction not cut. */
  pathUp(a: ServerId, b: ServerId): boolean {
    if (a === b) return this.hostIsUp(a);
    return this.hostIsUp(a) && this.hostIsUp(b) && !this.links.isCut(a, b);
  }

  processUp(id: ServerId): boolean {
    return this.server(id).process === 'up';
  }

  /** A stop-the-world pause is in force on this process (gray.ts setPaused). */
  isPaused(id: ServerId): boolean {
    return this.server(id).paused;
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
    return drawDelayUs(this.sameZone, rng);
  }

  /** The loss probability on a→b (gray.ts addLoss). */
  loss(a: ServerId, b: ServerId): number {
    return this.links.loss(a, b);
  }

  /** A one-way delay draw on a→b, µs: the link's latency plus the extra of `delay` faults. */
  delayUs(from: ServerId, to: ServerId): number {
    return drawDelayUs(this.links.latency(from, to), this.rng) + this.links.extraDelayUs(from, to);
  }

  // --- internals ---

  protected resolveDelivery(ev: Extract<NetEvent, { to: ServerId }>): { to: ServerId; input: PeerInput } | null {
    if (!this.alive(ev.to, ev.inc)) return null;
    if (ev.kind === 'connectFailed') {
      if (ev.tag === ELECTION_TAG) return this.election.connectDone(ev.to, ev.peer, null), null;
      return { to: ev.to, input: { kind: 'connectFailed', tag: ev.tag, peer: ev.peer } };
    }
    if (ev.kind === 'connected') return this.connector.resolve(ev);
    if (ev.kind === 'vote' && ev.connId === undefined) return { to: ev.to, input: { kind: 'vote', msg: ev.msg } };
    const conn = this.conns.get(ev.connId as number);
    const end = conn && conn.ends[1] === ev.to ? 1 : 0;
    if (conn && !conn.open[end] && (ev.kind === 'packet' || ev.kind === 'vote')) this.answerWithReset(conn, end);
    if (!conn || !conn.open[end]) return null;
    const dead = conn.dirs[1 - end]?.deadFromUs ?? null;
    if (dead !== null && this.sched.nowUs >= dead) return null;
    switch (ev.kind) {
      case 'vote':
        return { to: ev.to, input: { kind: 'vote', msg: ev.msg } };
      case 'hello':
        this.election.hello(conn);
        return null;
      case 'packet':
        return { to: ev.to, input: { kind: 'packet', connId: ev.connId, from: conn.ends[1 - end] as ServerId, packet: ev.packet } };
      case 'accepted':
        return { to: ev.to, input: { kind: 'accepted', connId: ev.connId, peer: ev.peer } };
      case 'connClosed':
        conn.open[end] = false;
        dropDir(this, conn, end);
        clearWatch(this, conn, end);
        if (conn.election) this.election.endClosed(conn, end);
        this.forget(conn);
        return conn.election ? null : { to: ev.to, input: { kind: 'connClosed', connId: ev.connId, reason: ev.reason } };
    }
  }

  protected fireWatch(connId: number, end: 0 | 1): { to: ServerId; input: PeerInput } | null {
    const conn = this.conns.get(connId);
    const w = conn?.watches[end];
    if (!conn || !w || !conn.open[end]) return null;
    w.fireHandle = null;
    w.grayHandle = null;
    const to = conn.ends[end];
    // A crashed watcher's read timeout never runs: leave its end open so that the restart
    // of its host still resets the far end (startProcess → resetConnsOf).
    const watcher = this.server(to);
    if (watcher.process !== 'up' || watcher.incarnation !== conn.incs[end]) return null;
    // A paused watcher's read times out when it runs again (gray.ts resume).
    if (watcher.paused) return (w.due = true), null;
    this.closeEnd(conn, end);
    return { to, input: { kind: 'connClosed', connId: conn.id, reason: 'timeout' } };
  }

  /** tcp_retries2 spent: the sending end errors (ETIMEDOUT) and its kernel gives the connection up. */
  protected tcpError(connId: number, d: 0 | 1, firstUnackedUs: number): { to: ServerId; input: PeerInput } | null {
    const conn = this.conns.get(connId);
    if (!conn || !conn.open[d] || conn.dirs[d].firstUnackedUs !== firstUnackedUs) return null;
    conn.dirs[d].errorHandle = null;
    const to = conn.ends[d];
    this.closeEnd(conn, d);
    if (conn.election || !this.alive(to, conn.incs[d])) return null;
    return { to, input: { kind: 'connClosed', connId: conn.id, reason: 'timeout' } };
  }

  /** Retransmitted data reached a kernel whose end is closed: it answers RST. */
  protected resetIfFarEndGone(conn: Conn, d: 0 | 1): void {
    const far = (1 - d) as 0 | 1;
    if (conn.open[far] || !conn.open[d]) return;
    const to = conn.ends[d];
    this.sched.schedule(this.sched.nowUs + this.delayUs(conn.ends[far], to) * 2, { kind: 'connClosed', to, inc: conn.incs[d], connId: conn.id, reason: 'reset' });
  }

  protected alive(id: ServerId, inc: number): boolean {
    const s = this.server(id);
    return s.process === 'up' && s.incarnation === inc;
  }

  protected server(id: ServerId): Server {
    const s = this.servers.get(id);
    if (!s) throw new Error(`unknown server ${id}`);
    return s;
  }

  protected openConn(from: ServerId, fromInc: number, to: ServerId, rttUs: number, election: boolean): Conn {
    const now = this.sched.nowUs;
    const conn: Conn = {
      id: this.nextConnId++,
      ends: [from, to],
      incs: [fromInc, this.incarnation(to)],
      open: [true, true],
      dirs: [newDir(now), newDir(now)],
      watches: [null, null],
      rtoUs: initialRtoUs(rttUs),
      election,
      blackholed: false,
    };
    this.conns.set(conn.id, conn);
    return conn;
  }

  protected transmitFrom(conn: Conn, from: ServerId, payload: Payload): void {
    const d = conn.ends[0] === from ? 0 : 1;
    if (conn.open[d]) transmit(this, conn, d, payload);
  }

  /** May bytes cross direction d now? */
  pathOK(conn: Conn, d: 0 | 1): boolean {
    return !conn.blackholed && conn.dirs[d].deadFromUs === null && this.pathUp(conn.ends[d], conn.ends[1 - d] as ServerId);
  }

  /** An end goes away: tell the other end (FIN/RST) after what is in flight, if the path carries it; else it must time out. */
  /**
   * Data reached an end its process has closed while the far end is still open: the kernel
   * answers with an RST (a fresh segment, not queued behind what the far end is retransmitting),
   * so the far end learns of the close one delay later — not only when the closer's FIN, queued
   * behind data delayed on a lossy direction, gets through. Once per connection.
   */
  private answerWithReset(conn: Conn, closed: 0 | 1): void {
    const other = (1 - closed) as 0 | 1;
    if (!conn.open[other] || this.resetSent.has(conn.id) || !this.pathOK(conn, closed)) return;
    this.resetSent.add(conn.id);
    const at = this.sched.nowUs + this.delayUs(conn.ends[closed], conn.ends[other]);
    this.sched.schedule(at, { kind: 'connClosed', to: conn.ends[other], inc: conn.incs[other], connId: conn.id, reason: 'reset' });
  }

  protected closeEnd(conn: Conn, end: 0 | 1): void {
    if (!conn.open[end]) return;
    conn.open[end] = false;
    clearWatch(this, conn, end);
    const dir = conn.dirs[end];
    const other = (1 - end) as 0 | 1;
    const moving = this.pathOK(conn, end);
    // the FIN follows the data the kernel still holds
    const after = Math.max(this.sched.nowUs, dir.stalledUntilUs);
    dropDir(this, conn, end);
    if (conn.open[other] && moving) {
      const at = Math.max(after + this.delayUs(conn.ends[end], conn.ends[other]), dir.lastDeliveryUs + 1);
      dir.lastDeliveryUs = at;
      this.sched.schedule(at, { kind: 'connClosed', to: conn.ends[other], inc: conn.incs[other], connId: conn.id, reason: 'reset' });
    } else {
      evaluateWatch(this, conn, other);
    }
    if (conn.election) this.election.endClosed(conn, end);
    this.forget(conn);
  }

  protected resetConnsOf(id: ServerId, inc: number): void {
    for (const conn of [...this.conns.values()]) {
      for (const end of [0, 1] as const) {
        if (conn.ends[end] === id && conn.incs[end] === inc) this.closeEnd(conn, end);
      }
    }
  }

  /** The sender died: its sync streams still in flight never finish. */
  protected breakStreamsFrom(id: ServerId): void {
    const now = this.sched.nowUs;
    for (const conn of this.conns.values()) {
      for (const d of [0, 1] as const) {
        const dir = conn.dirs[d];
        if (conn.ends[d] === id && dir.streamUntilUs > now && dir.deadFromUs === null) dir.deadFromUs = dir.streamUntilUs;
      }
    }
  }

  /** The open ends of `id`'s connections that have a watch (`farEnds`: the other ends' instead). */
  protected watchesOf(id: ServerId, farEnds = false): [Conn, 0 | 1, Watch][] {
    const out: [Conn, 0 | 1, Watch][] = [];
    for (const conn of this.conns.values()) {
      for (const end of [0, 1] as const) {
        const at = farEnds ? ((1 - end) as 0 | 1) : end;
        const w = conn.watches[at];
        if (conn.ends[end] === id && w) out.push([conn, end, w]);
      }
    }
    return out;
  }

  protected forget(conn: Conn): void {
    if (!conn.open[0] && !conn.open[1]) this.conns.delete(conn.id);
  }

  /** Is the heartbeat stream this end relies on broken right now? */
  silent(conn: Conn, end: 0 | 1, w: Watch): boolean {
    const other = (1 - end) as 0 | 1;
    const peer = this.server(conn.ends[other]);
    const peerAlive = conn.open[other] && peer.process === 'up' && peer.incarnation === conn.incs[other] && !peer.paused;
    if (!peerAlive || !this.flows(conn, other)) return true;
    return w.mode === 'echo' && !this.flows(conn, end);
  }

  protected flows(conn: Conn, d: 0 | 1): boolean {
    return this.pathOK(conn, d) && this.sched.nowUs >= conn.dirs[d].stalledUntilUs;
  }
}

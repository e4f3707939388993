import type { Notification, PeerInput, QuorumPacket, ServerId } from '../model/index.js';
import type { NetEvent } from './events.js';
import { NetCore } from './net-core.js';
import { pathChanged, resume } from './tcp-dir.js';
import { clearWatch, evaluateWatch } from './watch.js';

/** A loopback message (a peer's vote to itself) still goes through the queue, as in QuorumCnxManager. */
const LOOPBACK_US = 1;

/**
 * The network and the hosts under it: placement-aware latency (with per-link overrides),
 * per-direction link cuts (so one-way partitions fall out), TCP connections (FIFO, Linux
 * retransmission back-off under silent cuts, tcp_retries2, SYN retries: tcp.ts), QuorumCnxManager's
 * election connections (election-channel.ts), process kills whose kernel resets the connections,
 * silent host crashes that only timeouts reveal, and gray faults (pauses, loss, delay, black holes:
 * gray.ts). Heartbeats are never sent: a watch fires at the instant periodic heartbeats would have
 * made the far end's read time out. No event runs per retransmission or per beat while a fault lasts.
 */
export class Network extends NetCore {
  // --- gray failures (gray.ts documents each) ---

  /** Stop-the-world pause of `id`'s process on (true) or off (false): gray.ts GrayFaults.setPaused. */
  setPaused(id: ServerId, paused: boolean): void {
    this.gray.setPaused(id, paused);
  }

  /** Loss probability (0..1) on from→to, nesting: gray.ts GrayFaults.addLoss. */
  addLoss(from: ServerId, to: ServerId, probability: number): void {
    this.gray.addLoss(from, to, probability);
  }

  removeLoss(from: ServerId, to: ServerId, probability: number): void {
    this.gray.removeLoss(from, to, probability);
  }

  /** Extra one-way latency on from→to, µs, nesting: gray.ts GrayFaults.addDelay. */
  addDelay(from: ServerId, to: ServerId, extraUs: number): void {
    this.gray.addDelay(from, to, extraUs);
  }

  removeDelay(from: ServerId, to: ServerId, extraUs: number): void {
    this.gray.removeDelay(from, to, extraUs);
  }

  /** A middlebox drops the established connections between a and b: gray.ts GrayFaults.blackhole. */
  blackhole(a: ServerId, b: ServerId): void {
    this.gray.blackhole(a, b);
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
    s.paused = false;
    return true;
  }

  /**
   * Process killed, host up. Its sync streams break now; its kernel closes its sockets
   * `closeDelayUs` later (µs, ≥ 0; the topology's process.exitClose draw), and peers hear the
   * reset one network delay after that. Until then its connections are silently open.
   */
  killProcess(id: ServerId, closeDelayUs = 0): void {
    const s = this.server(id);
    if (s.process !== 'up') return;
    s.process = 'killed';
    s.paused = false;
    this.election.lost(id);
    this.breakStreamsFrom(id);
    if (closeDelayUs <= 0) this.resetConnsOf(id, s.incarnation);
    else this.sched.schedule(this.sched.nowUs + Math.round(closeDelayUs), { kind: 'kernelClose', id, inc: s.incarnation });
    for (const [conn, end] of this.watchesOf(id, true)) evaluateWatch(this, conn, (1 - end) as 0 | 1);
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
      s.paused = false;
      this.election.lost(s.id);
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

  /** Cut the from→to direction. Cuts nest: each cut needs its own heal. Call `reevaluate` after a batch. */
  cut(from: ServerId, to: ServerId): void {
    this.links.cut(from, to);
  }

  heal(from: ServerId, to: ServerId): void {
    this.links.heal(from, to);
  }

  /**
   * Call after a batch of cut/heal calls (and any path change): directions that went down note
   * it; directions that came back schedule their next retransmission instant; watches re-time;
   * connect attempts whose SYN was lost retry at their next SYN instant.
   */
  reevaluate(): void {
    for (const conn of [...this.conns.values()]) {
      for (const d of [0, 1] as const) if (conn.open[d]) pathChanged(this, conn, d);
      for (const end of [0, 1] as const) evaluateWatch(this, conn, end);
    }
    this.connector.reevaluate();
  }

  // --- election channel ---

  /** FLE's toSend: a notification from → to over QuorumCnxManager (election-channel.ts). */
  sendVote(from: ServerId, to: ServerId, msg: Notification): void {
    this.messagesSent++;
    if (from === to) {
      this.sched.schedule(this.sched.nowUs + LOOPBACK_US, { kind: 'vote', to, inc: this.incarnation(to), msg });
      return;
    }
    this.election.send(from, to, msg);
  }

  // --- connections ---

  /**
   * Dial `to` for a peer (a learner's connect to its leader): SYN retries (tcp.ts) bounded by
   * `timeoutUs` (µs; connectTimeout / initLimit × tickTime in Learner.connectToLeader). Answers
   * `connected` (with the connection id) or `connectFailed`, tagged `tag`, to `from`.
   */
  connect(from: ServerId, tag: number, to: ServerId, timeoutUs: number): void {
    this.connector.start(from, tag, to, timeoutUs, false);
  }

  send(from: ServerId, connId: number, packet: QuorumPacket): void {
    const conn = this.conns.get(connId);
    if (!conn) return;
    this.messagesSent++;
    this.transmitFrom(conn, from, { kind: 'packet', packet });
  }

  /** One end closes (FIN): the other end hears after in-flight data, if the path lets it. */
  close(from: ServerId, connId: number): void {
    const conn = this.conns.get(connId);
    if (conn) this.closeEnd(conn, conn.ends[0] === from ? 0 : 1);
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
    clearWatch(this, conn, end);
    const origin = Math.min(originUs ?? this.sched.nowUs, this.sched.nowUs);
    conn.watches[end] = { timeoutUs, periodUs, mode, originUs: origin, silentSinceUs: null, fireHandle: null, grayHandle: null, grayAtUs: 0, due: false };
    evaluateWatch(this, conn, end);
  }

  unwatch(from: ServerId, connId: number): void {
    const conn = this.conns.get(connId);
    if (conn) clearWatch(this, conn, conn.ends[0] === from ? 0 : 1);
  }

  /** Turn a scheduled network event into the input its addressee should see, or null if stale. */
  resolve(ev: NetEvent): { to: ServerId; input: PeerInput } | null {
    switch (ev.kind) {
      case 'watchFire':
        return this.fireWatch(ev.connId, ev.end);
      case 'tcpResume': {
        const conn = this.conns.get(ev.connId);
        if (conn && resume(this, conn, ev.dir)) {
          this.resetIfFarEndGone(conn, ev.dir);
          for (const end of [0, 1] as const) evaluateWatch(this, conn, end);
        }
        return null;
      }
      case 'tcpError':
        return this.tcpError(ev.connId, ev.dir, ev.firstUnackedUs);
      case 'syn':
      case 'connectDeadline':
        return this.connector.resolve(ev);
      case 'kernelClose':
        this.resetConnsOf(ev.id, ev.inc);
        return null;
      default:
        return this.resolveDelivery(ev);
    }
  }

}

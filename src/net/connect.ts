import type { PeerInput, ServerId } from '../model/index.js';
import type { Conn } from './conn.js';
import type { NetEvent, NetScheduler } from './events.js';
import { nextSynUs, SYN_GIVE_UP_US } from './tcp.js';

/** What connect attempts need of the network. */
export interface ConnectHost {
  readonly sched: NetScheduler;
  pathUp(a: ServerId, b: ServerId): boolean;
  hostIsUp(id: ServerId): boolean;
  /** a process of this incarnation is up and listening */
  listening(id: ServerId): boolean;
  alive(id: ServerId, inc: number): boolean;
  incarnation(id: ServerId): number;
  delayUs(a: ServerId, b: ServerId): number;
  /** the handshake got through: the connection now exists at both kernels */
  openConn(from: ServerId, fromInc: number, to: ServerId, rttUs: number, election: boolean): Conn;
  conn(id: number): Conn | undefined;
  closeEnd(conn: Conn, end: 0 | 1): void;
  /** an election connect (QuorumCnxManager.initiateConnection) ended: the connection, or null */
  electionConnectDone(from: ServerId, to: ServerId, conn: Conn | null): void;
}

interface Attempt {
  readonly id: number;
  readonly from: ServerId;
  readonly to: ServerId;
  readonly tag: number;
  readonly inc: number;
  readonly startUs: number;
  readonly deadlineUs: number;
  readonly election: boolean;
  deadlineHandle: number;
  synHandle: number | null;
  synInFlight: boolean;
  lastSynUs: number;
  connId: number | null;
}

/**
 * Connect attempts as Linux makes them (Socket.connect(addr, timeout) in the JVM): SYNs at 0, 1,
 * 3, 7 … s (tcp.ts nextSynUs) until the caller's timeout; a SYN lost to a cut or a silent host is
 * retried at the next SYN instant once the path is back; a host with nothing listening answers
 * RST. Everything is decided when the SYN arrives, not at the call.
 */
export class Connector {
  private readonly attempts = new Map<number, Attempt>();
  private readonly byConn = new Map<number, number>();
  private next = 1;

  constructor(private readonly host: ConnectHost) {}

  start(from: ServerId, tag: number, to: ServerId, timeoutUs: number, election: boolean): void {
    const now = this.host.sched.nowUs;
    const deadlineUs = now + Math.min(timeoutUs, SYN_GIVE_UP_US);
    const id = this.next++;
    const a: Attempt = { id, from, to, tag, inc: this.host.incarnation(from), startUs: now, deadlineUs, election, deadlineHandle: 0, synHandle: null, synInFlight: false, lastSynUs: now, connId: null };
    a.deadlineHandle = this.host.sched.schedule(deadlineUs, { kind: 'connectDeadline', attempt: id });
    this.attempts.set(id, a);
    this.sendSyn(a);
  }

  /** Paths changed: attempts whose SYN was lost retry at their next SYN instant. */
  reevaluate(): void {
    for (const a of this.attempts.values()) if (!a.synInFlight && a.synHandle === null) this.retry(a);
  }

  /** Resolve one of the connect events; null when it is stale or only the network cares. */
  resolve(ev: NetEvent): { to: ServerId; input: PeerInput } | null {
    if (ev.kind === 'syn') {
      const a = this.attempts.get(ev.attempt);
      if (!a) return null;
      if (ev.stage === 'send') {
        a.synHandle = null;
        this.sendSyn(a);
        return null;
      }
      return this.arrive(a);
    }
    if (ev.kind === 'connectDeadline') {
      const a = this.attempts.get(ev.attempt);
      if (!a) return null;
      const conn = a.connId !== null ? this.host.conn(a.connId) : undefined;
      if (conn) this.host.closeEnd(conn, 0);
      return this.fail(a);
    }
    if (ev.kind === 'connected') {
      const a = this.attempts.get(this.byConn.get(ev.connId) ?? -1);
      if (!a) return null;
      const conn = this.host.conn(ev.connId);
      if (!conn || !conn.open[0]) return this.fail(a);
      this.finish(a);
      if (!this.host.alive(a.from, a.inc)) return null;
      if (a.election) return this.host.electionConnectDone(a.from, a.to, conn), null;
      return { to: a.from, input: { kind: 'connected', connId: conn.id, tag: a.tag, peer: a.to } };
    }
    return null;
  }

  private sendSyn(a: Attempt): void {
    if (!this.host.alive(a.from, a.inc)) return void this.finish(a);
    a.lastSynUs = this.host.sched.nowUs;
    if (!this.host.pathUp(a.from, a.to)) return; // lost in the cut: wait for the path
    a.synInFlight = true;
    this.host.sched.schedule(this.host.sched.nowUs + this.host.delayUs(a.from, a.to), { kind: 'syn', attempt: a.id, stage: 'arrive' });
  }

  private arrive(a: Attempt): { to: ServerId; input: PeerInput } | null {
    a.synInFlight = false;
    const { host } = this;
    if (!host.hostIsUp(a.to) || !host.pathUp(a.from, a.to)) return this.retry(a), null;
    const backUs = host.delayUs(a.to, a.from);
    if (!host.pathUp(a.to, a.from)) return this.retry(a), null; // SYN-ACK or RST lost
    if (!host.listening(a.to)) {
      // Host up, nobody listening: RST, which the dialler has after the way back.
      this.finish(a);
      host.sched.schedule(host.sched.nowUs + backUs, { kind: 'connectFailed', to: a.from, inc: a.inc, tag: a.tag, peer: a.to });
      return null;
    }
    const conn = host.openConn(a.from, a.inc, a.to, host.delayUs(a.from, a.to) + backUs, a.election);
    a.connId = conn.id;
    this.byConn.set(conn.id, a.id);
    if (!a.election) host.sched.schedule(host.sched.nowUs, { kind: 'accepted', to: a.to, inc: conn.incs[1], connId: conn.id, peer: a.from });
    host.sched.schedule(host.sched.nowUs + backUs, { kind: 'connected', to: a.from, inc: a.inc, connId: conn.id, tag: a.tag, peer: a.to });
    return null;
  }

  /** The SYN (or its answer) was lost: send the next one at its instant if the paths are back. */
  private retry(a: Attempt): void {
    if (!this.host.pathUp(a.from, a.to) || !this.host.pathUp(a.to, a.from)) return;
    const at = nextSynUs(a.startUs, Math.max(this.host.sched.nowUs, a.lastSynUs + 1));
    if (at === null || at >= a.deadlineUs) return;
    a.synHandle = this.host.sched.schedule(at, { kind: 'syn', attempt: a.id, stage: 'send' });
  }

  private fail(a: Attempt): { to: ServerId; input: PeerInput } | null {
    this.finish(a);
    if (!this.host.alive(a.from, a.inc)) return null;
    if (a.election) return this.host.electionConnectDone(a.from, a.to, null), null;
    return { to: a.from, input: { kind: 'connectFailed', tag: a.tag, peer: a.to } };
  }

  private finish(a: Attempt): void {
    this.attempts.delete(a.id);
    if (a.connId !== null) this.byConn.delete(a.connId);
    this.host.sched.cancel(a.deadlineHandle);
    if (a.synHandle !== null) this.host.sched.cancel(a.synHandle);
  }
}

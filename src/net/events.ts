import type { Notification, QuorumPacket, ServerId } from '../model/index.js';

/**
 * What the network asks the simulation to schedule. `inc` is the addressee's process
 * incarnation when the event was created: a restarted process never receives what was meant
 * for its predecessor. The kinds after `watchFire` are the network's own bookkeeping (TCP
 * timers, connect attempts, the election channel's handshake): they resolve to no peer input,
 * or to one only the network can decide on.
 */
export type NetEvent =
  | { readonly kind: 'vote'; readonly to: ServerId; readonly inc: number; readonly msg: Notification; readonly connId?: number }
  | { readonly kind: 'packet'; readonly to: ServerId; readonly inc: number; readonly connId: number; readonly packet: QuorumPacket }
  | { readonly kind: 'accepted'; readonly to: ServerId; readonly inc: number; readonly connId: number; readonly peer: ServerId }
  | { readonly kind: 'connected'; readonly to: ServerId; readonly inc: number; readonly connId: number; readonly tag: number; readonly peer: ServerId }
  | { readonly kind: 'connectFailed'; readonly to: ServerId; readonly inc: number; readonly tag: number; readonly peer: ServerId }
  | { readonly kind: 'connClosed'; readonly to: ServerId; readonly inc: number; readonly connId: number; readonly reason: 'reset' | 'timeout' }
  | { readonly kind: 'watchFire'; readonly connId: number; readonly end: 0 | 1 }
  /** the retransmission instant after a heal: held data moves again on direction `dir` */
  | { readonly kind: 'tcpResume'; readonly connId: number; readonly dir: 0 | 1 }
  /** tcp_retries2 spent on direction `dir`: its sending end errors (ETIMEDOUT) */
  | { readonly kind: 'tcpError'; readonly connId: number; readonly dir: 0 | 1; readonly firstUnackedUs: number }
  /** a connect attempt's SYN leaves (`stage` send) or reaches the far host (`arrive`) */
  | { readonly kind: 'syn'; readonly attempt: number; readonly stage: 'send' | 'arrive' }
  /** the caller's connect timeout (or the kernel's SYN give-up) */
  | { readonly kind: 'connectDeadline'; readonly attempt: number }
  /** a killed process's kernel has closed its sockets */
  | { readonly kind: 'kernelClose'; readonly id: ServerId; readonly inc: number }
  /** QuorumCnxManager: the dialler's handshake (protocol version, sid, address) reached the acceptor */
  | { readonly kind: 'hello'; readonly to: ServerId; readonly inc: number; readonly connId: number };

/** The slice of the simulation kernel the network needs: scheduling in virtual time. */
export interface NetScheduler {
  readonly nowUs: number;
  schedule(atUs: number, event: NetEvent): number;
  cancel(handle: number): void;
}

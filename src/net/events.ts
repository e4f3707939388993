import type { Notification, QuorumPacket, ServerId } from '../model/index.js';

/**
 * What the network asks the simulation to schedule. `inc` is the addressee's process
 * incarnation when the event was created: a restarted process never receives what was meant
 * for its predecessor.
 */
export type NetEvent =
  | { readonly kind: 'vote'; readonly to: ServerId; readonly inc: number; readonly msg: Notification }
  | { readonly kind: 'packet'; readonly to: ServerId; readonly inc: number; readonly connId: number; readonly packet: QuorumPacket }
  | { readonly kind: 'accepted'; readonly to: ServerId; readonly inc: number; readonly connId: number; readonly peer: ServerId }
  | { readonly kind: 'connected'; readonly to: ServerId; readonly inc: number; readonly connId: number; readonly tag: number; readonly peer: ServerId }
  | { readonly kind: 'connectFailed'; readonly to: ServerId; readonly inc: number; readonly tag: number; readonly peer: ServerId }
  | { readonly kind: 'connClosed'; readonly to: ServerId; readonly inc: number; readonly connId: number; readonly reason: 'reset' | 'timeout' }
  | { readonly kind: 'watchFire'; readonly connId: number; readonly end: 0 | 1 };

/** The slice of the simulation kernel the network needs: scheduling in virtual time. */
export interface NetScheduler {
  readonly nowUs: number;
  schedule(atUs: number, event: NetEvent): number;
  cancel(handle: number): void;
}

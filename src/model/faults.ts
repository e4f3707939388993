import type { ServerId } from './ids.js';

/** A fault target: a fixed server, or whoever leads when the fault fires. */
export type NodeRef = { readonly kind: 'server'; readonly id: ServerId } | { readonly kind: 'leader' };

/**
 * One scripted fault, as given by `--fault` (see src/config/faults.ts for the text syntax).
 * Times are integer microseconds from the start of the trial; `durationUs: null` means the
 * fault is never repaired. Zones are already expanded to server ids, ascending.
 */
export type FaultSpec =
  | {
      readonly kind: 'kill' | 'crash' | 'isolate';
      readonly node: NodeRef;
      readonly atUs: number;
      readonly durationUs: number | null;
    }
  | {
      readonly kind: 'partition';
      readonly groups: readonly [readonly ServerId[], readonly ServerId[]];
      readonly atUs: number;
      readonly durationUs: number | null;
    }
  | {
      readonly kind: 'oneway';
      readonly from: readonly ServerId[];
      readonly to: readonly ServerId[];
      readonly atUs: number;
      readonly durationUs: number | null;
    }
  | { readonly kind: 'zone-down'; readonly zone: string; readonly atUs: number; readonly durationUs: number | null }
  /** rack or region outage: every host in the domain down (silent); produced by failure models */
  | { readonly kind: 'rack-down' | 'region-down'; readonly domain: string; readonly atUs: number; readonly durationUs: number | null }
  /** disk loss: the host dies silently and the server comes back after DUR with an empty disk */
  | { readonly kind: 'wipe'; readonly node: NodeRef; readonly atUs: number; readonly durationUs: number | null };

export type FaultKind = FaultSpec['kind'];

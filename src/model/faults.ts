import type { ServerId } from './ids.js';

/**
 * A fault target: a fixed server, whoever leads when the fault fires, or the next server of a
 * rolling-maintenance round, chosen when the step fires (see `MaintenanceRef`).
 */
export type NodeRef = { readonly kind: 'server'; readonly id: ServerId } | { readonly kind: 'leader' } | MaintenanceRef;

/**
 * One step of rolling maintenance, resolved by the trial when it fires: among the servers not yet
 * restarted in round `round`, `leader-last` takes the lowest id that is not the current leader
 * (the leader only when it is the last one left), as an operator would; `any` takes `id` if it
 * is still due this round (the sampler draws a random order per round).
 */
export interface MaintenanceRef {
  readonly kind: 'maintenance';
  readonly round: number;
  readonly order: 'leader-last' | 'any';
  /** the server the step names when `order` is `any` (ignored for leader-last) */
  readonly id: ServerId;
}

/**
 * Which failure process produced a fault, for attributing downtime by process. Scripted faults
 * (`--fault`, scenario files, `check`) are `scripted`; an absent `source` means scripted.
 */
export type FailureSource =
  | 'processRestarts'
  | 'hostFailures'
  | 'diskLoss'
  | 'rackOutages'
  | 'zoneOutages'
  | 'regionOutages'
  | 'bursts'
  | 'zonePartitions'
  | 'rollingMaintenance'
  | 'scripted';

/** Every failure source, in the fixed order used in tables, JSON and charts. */
export const FAILURE_SOURCES: readonly FailureSource[] = [
  'processRestarts',
  'hostFailures',
  'diskLoss',
  'rackOutages',
  'zoneOutages',
  'regionOutages',
  'bursts',
  'zonePartitions',
  'rollingMaintenance',
  'scripted',
];

/**
 * One scripted fault, as given by `--fault` (see src/config/faults.ts for the text syntax).
 * Times are integer microseconds from the start of the trial; `durationUs: null` means the
 * fault is never repaired. Zones are already expanded to server ids, ascending.
 */
export type FaultSpec = FaultBody & { readonly source?: FailureSource };

type FaultBody =
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

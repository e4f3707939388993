import type { Distribution } from './distribution.js';
import type { DomainLevel } from './experiment.js';
import type { ServerId } from './ids.js';
import type { ReconfigChange } from './reconfig.js';

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
  | 'pauses'
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
  'pauses',
  'scripted',
];

/**
 * What every fault has, whatever its kind: the shape the fault-kind table (scenario/fault-kinds.ts)
 * and the trial handle. `kind` selects the table entry; times are integer microseconds from the
 * start of the trial and `durationUs: null` means never repaired. Built-in kinds are `FaultSpec`;
 * a table extended in a test (`withFaultKinds`) may add others.
 */
export interface FaultBase {
  readonly kind: string;
  readonly atUs: number;
  readonly durationUs: number | null;
  readonly source?: FailureSource;
}

/**
 * One scripted fault, as given by `--fault` (see src/config/fault-kinds.ts for the text syntax).
 * Times are integer microseconds from the start of the trial; `durationUs: null` means the
 * fault is never repaired. Zones are already expanded to server ids, ascending.
 */
export type FaultSpec = FaultBody & { readonly source?: FailureSource };

interface Timing {
  readonly atUs: number;
  readonly durationUs: number | null;
}

/** The kinds aimed at one server through a `NodeRef` (a server id or `leader`). */
export type NodeKind = 'kill' | 'crash' | 'isolate' | 'wipe' | 'pause' | 'disk-full';

/** A fault aimed at one server (`kill`, `crash`, `isolate`, `wipe`, `pause`, `disk-full`). */
export interface NodeFault<K extends NodeKind> extends Timing {
  readonly kind: K;
  readonly node: NodeRef;
}

type FaultBody =
  /** process killed, host up (peers see a reset after ~1 RTT) */
  | NodeFault<'kill'>
  /** host dies silently (peers notice through timeouts) */
  | NodeFault<'crash'>
  /** every link of the server cut, both ways */
  | NodeFault<'isolate'>
  /** disk loss: the host dies silently and the server comes back after DUR with an empty disk */
  | NodeFault<'wipe'>
  | ({ readonly kind: 'partition'; readonly groups: readonly [readonly ServerId[], readonly ServerId[]] } & Timing)
  | ({ readonly kind: 'oneway'; readonly from: readonly ServerId[]; readonly to: readonly ServerId[] } & Timing)
  /**
   * every host of a zone, rack or region down (silent); written `zone-down:NAME`,
   * `rack-down:NAME`, `region-down:NAME`
   */
  | ({ readonly kind: 'domain-down'; readonly level: DomainLevel; readonly name: string } & Timing)
  /**
   * the server is not running at t = 0 and starts at `atUs` (a cold start, a late joiner); never
   * repaired (`durationUs` null)
   */
  | ({ readonly kind: 'start'; readonly server: ServerId } & Timing)
  /** a stop-the-world pause (JVM GC): the process runs nothing, its connections stay open */
  | NodeFault<'pause'>
  /** the server's disk slow: every fsync drawn from `fsync` (µs), or `stall`: no write completes */
  | ({ readonly kind: 'slow-disk'; readonly node: NodeRef; readonly fsync: Distribution | 'stall' } & Timing)
  /** the server's disk full: every write issued fails (ENOSPC) */
  | NodeFault<'disk-full'>
  /** every transmission on the directed links from×to lost with probability `percent` / 100 (TCP retransmits) */
  | ({ readonly kind: 'loss'; readonly from: readonly ServerId[]; readonly to: readonly ServerId[]; readonly percent: number } & Timing)
  /** `extraUs` µs added to every one-way delivery on the directed links from×to */
  | ({ readonly kind: 'delay'; readonly from: readonly ServerId[]; readonly to: readonly ServerId[]; readonly extraUs: number } & Timing)
  /**
   * a middlebox drops the established connections between the two groups, silently (no RST); new
   * connections work; never repaired (`durationUs` null)
   */
  | ({ readonly kind: 'blackhole'; readonly groups: readonly [readonly ServerId[], readonly ServerId[]] } & Timing)
  /** a client's reconfig submitted to the leader at `atUs` (zk/reconfig.ts); never repaired */
  | ({ readonly kind: 'reconfig'; readonly change: ReconfigChange } & Timing)
  /**
   * a round of rolling maintenance from `atUs` (faults/processes.ts rollingMaintenance): the trial
   * runs the rolling-restart plan — every server once, one at a time, each `downtimeUs` down, then
   * gated on health and `gapUs` (scenario/maintenance-kind.ts); `durationUs` its nominal window,
   * or null: over when the plan is
   */
  | ({ readonly kind: 'maintenance'; readonly order: 'leader-last' | 'any'; readonly downtimeUs: number; readonly gapUs: number } & Timing)
  /**
   * Byzantine (zk/byzantine.ts, issue 15): the server claims a last zxid `by` txns higher
   * (`claim: 'zxid'`, written `inflate-zxid:NODE[:BY]`) or a currentEpoch `by` higher (`'epoch'`,
   * `inflate-epoch:NODE[:BY]`) in its FLE votes, and leads by that claim; honest again at the repair
   */
  | ({ readonly kind: 'inflate-vote'; readonly node: NodeRef; readonly claim: 'zxid' | 'epoch'; readonly by: number } & Timing)
  /** Byzantine: the server's fsyncs report success and write nothing: it ACKs proposals it did not log; honest again at the repair */
  | ({ readonly kind: 'ack-unlogged'; readonly node: NodeRef } & Timing)
  /**
   * the newest client txn on the server's disk has a bit flipped, with its txn-log checksum
   * recomputed (`checksum: 'valid'`, `flip-txn:NODE`: Byzantine, only the data-tree digest can
   * see it) or not (`'bad'`, `bit-flip:NODE`: Adler32 fails when the log is next loaded and the
   * server does not start); never repaired (`durationUs` null)
   */
  | ({ readonly kind: 'flip-txn'; readonly node: NodeRef; readonly checksum: 'valid' | 'bad' } & Timing);

export type FaultKind = FaultSpec['kind'];

/** The built-in fault of kind `K`. */
export type FaultOf<K extends FaultKind> = Extract<FaultSpec, { readonly kind: K }>;

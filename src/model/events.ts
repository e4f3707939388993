import type { FailureSource } from './faults.js';
import type { ServerId } from './ids.js';

/**
 * The typed events a trial reports (ARCHITECTURE.md "Events, not prose"). Everything downstream
 * — availability accounting, charts, demos, liveness, the text timeline — reads these; prose is
 * rendered from them by one formatter (observe/format.ts) and is never parsed back.
 *
 * Times are integer microseconds of simulated time (`atUs`); the JSON contract carries `atMs`.
 * This file starts with the fault events; the peer, cluster, client and safety events join it.
 */

/** A failure domain taken down as a whole. */
export interface DomainRef {
  readonly level: 'zone' | 'rack' | 'region';
  readonly name: string;
}

/**
 * What a fault did when it fired:
 * - `process killed`: the server's process died, its host stays up (peers see connections reset);
 * - `host down`: the host died silently (peers notice by timeouts); `disk lost` likewise, and the
 *   server comes back with an empty disk;
 * - `domain down`: every host of a zone, rack or region down, silently;
 * - `isolated`: every link of one server cut, both ways; `links cut`: the links of a partition or
 *   a one-way cut.
 */
export type FaultEffect = 'process killed' | 'host down' | 'disk lost' | 'domain down' | 'isolated' | 'links cut';

/** What a repair did: the process restarted, the host or domain back up, the links healed. */
export type RepairEffect = 'restarted' | 'host up' | 'domain up' | 'healed';

export type FaultEvent =
  | {
      readonly type: 'faultApplied';
      readonly atUs: number;
      /** index of the fault in the trial's fault list */
      readonly faultIndex: number;
      /** the fault in its canonical text (config/faults.ts formatFault) */
      readonly fault: string;
      readonly source: FailureSource;
      /** the server a server-targeted fault resolved to (`leader`, a maintenance step); else null */
      readonly target: ServerId | null;
      readonly effect: FaultEffect;
      /** servers whose process stopped or whose links were cut, ascending */
      readonly servers: readonly ServerId[];
      readonly domain: DomainRef | null;
    }
  /** a fault aimed at `leader` (or a maintenance step) fired when there was nobody to hit */
  | { readonly type: 'faultSkipped'; readonly atUs: number; readonly faultIndex: number; readonly fault: string; readonly reason: 'no leader' }
  | {
      readonly type: 'faultRepaired';
      readonly atUs: number;
      readonly faultIndex: number;
      readonly fault: string;
      readonly target: ServerId | null;
      readonly effect: RepairEffect;
      /** the servers the fault had affected, ascending */
      readonly servers: readonly ServerId[];
      readonly domain: DomainRef | null;
    };

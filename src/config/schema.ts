/** Topology schema: defaults, key names and the programmatic input shape. */
import { freeze } from 'immer';
import type { ServerId, ServerRole } from '../model/ids.js';
import type { LatencySpec, LinkClass, StorageSettings, Topology, ZkSettings } from '../model/topology.js';

// ---------------------------------------------------------------------------------------------
// Defaults

/** zoo_sample.cfg values for tickTime/initLimit/syncLimit; 3.8 code defaults for the rest. */
export const DEFAULT_ZK_SETTINGS: ZkSettings = freeze(
  {
    tickTimeMs: 2000,
    initLimit: 10,
    syncLimit: 5,
    cnxTimeoutMs: 5000,
    finalizeWaitMs: 200,
    maxNotificationIntervalMs: 60_000,
    observerElectionDelayMs: 200,
  },
  true,
);

/**
 * LAN one-way delay 0.1–0.5 ms (zab-facts §9). Cross-zone 0.5–1.5 ms and cross-region 30 ms are
 * assumptions (typical cloud AZ-to-AZ and intra-continent figures), not measurements.
 */
export const DEFAULT_LATENCY: Readonly<Record<LinkClass, LatencySpec>> = freeze(
  {
    sameHost: { dist: 'constant', valueMs: 0.05 },
    sameZone: { dist: 'uniform', minMs: 0.1, maxMs: 0.5 },
    crossZone: { dist: 'uniform', minMs: 0.5, maxMs: 1.5 },
    crossRegion: { dist: 'lognormal', medianMs: 30, sigma: 0.2 },
  },
  true,
);

/**
 * Assumptions, not measurements: an SSD-backed txn log fsync of ~1 ms median with a long tail,
 * a 10 MB data tree, 1 KB transactions, 1 Gbit/s between servers.
 */
export const DEFAULT_STORAGE: StorageSettings = freeze(
  { fsync: { dist: 'lognormal', medianMs: 1, sigma: 0.5 }, snapshotMB: 10, txnBytes: 1024, bandwidthMbps: 1000 },
  true,
);

export const DEFAULT_REGION = 'region1';
export const DEFAULT_QUORUM: Topology['quorum'] = 'majority';
export const LINK_CLASSES: readonly LinkClass[] = ['sameHost', 'sameZone', 'crossZone', 'crossRegion'];

// ---------------------------------------------------------------------------------------------
// Programmatic input and resolution

export interface ServerInput {
  readonly id: ServerId;
  readonly zone: string;
  readonly region?: string;
  readonly rack?: string;
  readonly host?: string;
  readonly role?: ServerRole;
  readonly weight?: number;
  readonly group?: number;
}

/** A topology with every optional part left out; `resolveTopology` fills the defaults. */
export interface TopologyInput {
  readonly name: string;
  readonly description?: string;
  readonly zk?: Partial<ZkSettings>;
  readonly latency?: Partial<Record<LinkClass, LatencySpec>>;
  readonly storage?: Partial<StorageSettings>;
  readonly quorum?: Topology['quorum'];
  readonly servers: readonly ServerInput[];
}

// ---------------------------------------------------------------------------------------------
// YAML key names

/** YAML key, ZkSettings field, smallest valid value */
export const ZK_KEYS: readonly (readonly [yamlKey: string, field: keyof ZkSettings, minimum: number])[] = [
  ['tickTime', 'tickTimeMs', 1],
  ['initLimit', 'initLimit', 1],
  ['syncLimit', 'syncLimit', 1],
  ['cnxTimeout', 'cnxTimeoutMs', 1],
  ['finalizeWait', 'finalizeWaitMs', 1],
  ['maxNotificationInterval', 'maxNotificationIntervalMs', 1],
  ['observerElectionDelay', 'observerElectionDelayMs', 0],
];
export const TOP_KEYS = ['name', 'description', 'zookeeper', 'latency', 'storage', 'quorum', 'servers'] as const;
export const STORAGE_KEYS = ['fsync', 'snapshotMB', 'txnBytes', 'bandwidthMbps'] as const;
export const SERVER_KEYS = ['id', 'zone', 'region', 'rack', 'host', 'role', 'weight', 'group'] as const;
export const DIST_PARAMS: Readonly<Record<LatencySpec['dist'], readonly string[]>> = {
  constant: ['value'],
  uniform: ['min', 'max'],
  exponential: ['mean'],
  normal: ['mean', 'stddev'],
  lognormal: ['median', 'sigma'],
  weibull: ['scale', 'shape'],
};
export const DIMENSIONLESS_PARAMS: ReadonlySet<string> = new Set(['sigma', 'shape']);

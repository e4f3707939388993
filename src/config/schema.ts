/** Topology schema: defaults, key names and the programmatic input shape. */
import { freeze } from 'immer';
import type { ServerId, ServerRole } from '../model/ids.js';
import type { Distribution } from '../model/distribution.js';
import type { LinkClass, StorageSettings, Topology, ZkSettings } from '../model/topology.js';

// ---------------------------------------------------------------------------------------------
// Defaults

/** zoo_sample.cfg values for tickTime/initLimit/syncLimit; 3.8 code defaults for the rest. In µs. */
export const DEFAULT_ZK_SETTINGS: ZkSettings = freeze(
  {
    tickTimeUs: 2_000_000,
    initLimit: 10,
    syncLimit: 5,
    cnxTimeoutUs: 5_000_000,
    finalizeWaitUs: 200_000,
    maxNotificationIntervalUs: 60_000_000,
    observerElectionDelayUs: 200_000,
  },
  true,
);

/**
 * LAN one-way delay 0.1–0.5 ms (zab-facts §9). Cross-zone 0.5–1.5 ms and cross-region 30 ms are
 * assumptions (typical cloud AZ-to-AZ and intra-continent figures), not measurements. In µs.
 */
export const DEFAULT_LATENCY: Readonly<Record<LinkClass, Distribution>> = freeze(
  {
    sameHost: { dist: 'constant', value: 50 },
    sameZone: { dist: 'uniform', min: 100, max: 500 },
    crossZone: { dist: 'uniform', min: 500, max: 1500 },
    crossRegion: { dist: 'lognormal', median: 30_000, sigma: 0.2 },
  },
  true,
);

/**
 * Assumptions, not measurements: an SSD-backed txn log fsync of ~1 ms median with a long tail,
 * a 10 MB data tree, 1 KB transactions, 1 Gbit/s between servers. fsync in µs.
 */
export const DEFAULT_STORAGE: StorageSettings = freeze(
  { fsync: { dist: 'lognormal', median: 1000, sigma: 0.5 }, snapshotMB: 10, txnBytes: 1024, bandwidthMbps: 1000 },
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
  /** in µs, like Topology's */
  readonly latency?: Partial<Record<LinkClass, Distribution>>;
  readonly storage?: Partial<StorageSettings>;
  readonly quorum?: Topology['quorum'];
  readonly servers: readonly ServerInput[];
}

// ---------------------------------------------------------------------------------------------
// YAML key names

/**
 * YAML key, ZkSettings field, smallest valid value in the file's unit (whole ms for the `Us`
 * fields, which files write in ms as zoo.cfg does; a count for the limits).
 */
export const ZK_KEYS: readonly (readonly [yamlKey: string, field: keyof ZkSettings, minimum: number])[] = [
  ['tickTime', 'tickTimeUs', 1],
  ['initLimit', 'initLimit', 1],
  ['syncLimit', 'syncLimit', 1],
  ['cnxTimeout', 'cnxTimeoutUs', 1],
  ['finalizeWait', 'finalizeWaitUs', 1],
  ['maxNotificationInterval', 'maxNotificationIntervalUs', 1],
  ['observerElectionDelay', 'observerElectionDelayUs', 0],
];
export const TOP_KEYS = ['name', 'description', 'zookeeper', 'latency', 'storage', 'quorum', 'servers'] as const;
export const STORAGE_KEYS = ['fsync', 'snapshotMB', 'txnBytes', 'bandwidthMbps'] as const;
export const SERVER_KEYS = ['id', 'zone', 'region', 'rack', 'host', 'role', 'weight', 'group'] as const;
/** Topology files name distributions as experiments do (model/distribution.ts): `constant` or `fixed`, … */
export { DIMENSIONLESS_PARAMS, DISTRIBUTION_NAMES, DISTRIBUTION_PARAMS } from '../model/distribution.js';

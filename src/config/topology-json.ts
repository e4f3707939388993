/**
 * The topology as the JSON contract spells it (`run --json` `config`, `availability --json`
 * `results[].config.topology`): ZooKeeper times and latency and fsync distributions in
 * MILLISECONDS with the unit in the key (`tickTimeMs: 2000`, `{ dist: "uniform", minMs: 0.1,
 * maxMs: 0.5 }`, `{ dist: "lognormal", medianMs: 1, sigma: 0.5 }`), everything else as in the
 * resolved `Topology`. Inside the simulator the same values are µs (`tickTimeUs`, model/
 * distribution.ts `Distribution`); these functions are the only conversion between the forms (the
 * `×1000` happens here and in the file readers, nowhere else).
 */
import { DIMENSIONLESS_PARAMS, DISTRIBUTION_PARAMS, type Distribution } from '../model/distribution.js';
import { US_PER_MS } from '../model/duration.js';
import type { LinkClass, LinkLatency, ProcessSettings, ServerSpec, ServerStorage, StorageSettings, Topology, ZkSettings } from '../model/topology.js';

/** A distribution in the JSON contract: time parameters in ms, named `<param>Ms`. */
export type LatencySpecJson =
  | { readonly dist: 'constant'; readonly valueMs: number }
  | { readonly dist: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly dist: 'exponential'; readonly meanMs: number }
  | { readonly dist: 'normal'; readonly meanMs: number; readonly stddevMs: number }
  | { readonly dist: 'lognormal'; readonly medianMs: number; readonly sigma: number }
  | { readonly dist: 'weibull'; readonly scaleMs: number; readonly shape: number };

// Spelled out rather than mapped from ZkSettings so the schema generator sees the fields;
// test/config/topology.test.ts checks the two stay in step.
/** ZooKeeper's settings in the JSON contract: times in ms (`tickTimeMs`, …; the simulator holds µs). */
export interface ZkSettingsJson {
  readonly tickTimeMs: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly cnxTimeoutMs: number;
  /** FLE finalizeWait and the minimum notification interval (200 ms in 3.8) */
  readonly finalizeWaitMs: number;
  /** FLE maxNotificationInterval (60 000 ms in 3.8) */
  readonly maxNotificationIntervalMs: number;
  /** observer re-election jitter bound, zookeeper.observer.election.DelayMs (200) */
  readonly observerElectionDelayMs: number;
  /** zoo.cfg connectToLearnerMasterLimit, in ticks; 0 = initLimit (Learner.connectToLeader) */
  readonly connectToLearnerMasterLimit: number;
  /** zookeeper.testingonly.initialZxid: the low 32 bits a new leader's zxid starts from (0 = unset) */
  readonly initialZxid: number;
  /** zoo.cfg minSessionTimeout, ms; 0 = 2 × tickTime */
  readonly minSessionTimeoutMs: number;
  /** zoo.cfg maxSessionTimeout, ms; 0 = 20 × tickTime */
  readonly maxSessionTimeoutMs: number;
}

/** StorageSettings in the JSON contract: fsync and fileReplace in ms, the sizes as they are. */
export type StorageSettingsJson = Omit<StorageSettings, 'fsync' | 'fileReplace'> & { readonly fsync: LatencySpecJson; readonly fileReplace: LatencySpecJson };

/** A server in the JSON contract: its own storage latencies (if any) in ms. */
export type ServerSpecJson = Omit<ServerSpec, 'storage'> & { readonly storage?: { readonly fsync?: LatencySpecJson; readonly fileReplace?: LatencySpecJson } };

/** ProcessSettings in the JSON contract: each distribution in ms, the rates as they are. */
export type ProcessSettingsJson = { readonly [K in Exclude<keyof ProcessSettings, 'coresPerHost'>]: ProcessSettings[K] extends number ? number : LatencySpecJson } & {
  /** absent: every host has cores to spare (ProcessSettings.coresPerHost is optional) */
  readonly coresPerHost?: number;
};

export interface TopologyJson extends Omit<Topology, 'latency' | 'linkLatency' | 'storage' | 'zk' | 'process' | 'servers'> {
  readonly servers: readonly ServerSpecJson[];
  /** per-link latency overrides, one-way in ms (absent when the topology sets none) */
  readonly linkLatency?: readonly LinkLatencyJson[];
  readonly process: ProcessSettingsJson;
  readonly zk: ZkSettingsJson;
  readonly latency: Readonly<Record<LinkClass, LatencySpecJson>>;
  readonly storage: StorageSettingsJson;
}

/** A per-link latency override in the JSON contract: the one-way distribution in ms. */
export interface LinkLatencyJson {
  readonly between: LinkLatency['between'];
  readonly oneWay: LatencySpecJson;
}

/** µs `Distribution` → its JSON spelling in ms (parameter order as in DISTRIBUTION_PARAMS). */
export function distributionToJsonMs(d: Distribution): LatencySpecJson {
  const out: Record<string, string | number> = { dist: d.dist };
  const values = d as unknown as Readonly<Record<string, number>>;
  for (const k of DISTRIBUTION_PARAMS[d.dist]) {
    out[DIMENSIONLESS_PARAMS.has(k) ? k : `${k}Ms`] = DIMENSIONLESS_PARAMS.has(k) ? values[k]! : values[k]! / US_PER_MS;
  }
  return out as unknown as LatencySpecJson;
}

/** The JSON spelling in ms → a µs `Distribution`. */
export function distributionFromJsonMs(j: LatencySpecJson): Distribution {
  const out: Record<string, string | number> = { dist: j.dist };
  const values = j as unknown as Readonly<Record<string, number>>;
  for (const k of DISTRIBUTION_PARAMS[j.dist]) {
    out[k] = DIMENSIONLESS_PARAMS.has(k) ? values[k]! : values[`${k}Ms`]! * US_PER_MS;
  }
  return out as unknown as Distribution;
}

function mapLatency<A, B>(latency: Readonly<Record<LinkClass, A>>, f: (a: A) => B): Record<LinkClass, B> {
  return { sameHost: f(latency.sameHost), sameZone: f(latency.sameZone), crossZone: f(latency.crossZone), crossRegion: f(latency.crossRegion) };
}

/** Rename and rescale every key ending in `from` (`tickTimeUs` → `tickTimeMs`), in key order. */
function renameTimes(o: object, from: 'Us' | 'Ms', to: 'Us' | 'Ms', convert: (v: number) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o) as [string, number][]) {
    if (k.endsWith(from)) out[`${k.slice(0, -from.length)}${to}`] = convert(v);
    else out[k] = v;
  }
  return out;
}

/** A resolved topology in the JSON contract's spelling (key order kept, so the bytes are stable). */
export function topologyToJson(topology: Topology): TopologyJson {
  const { linkLatency, ...t } = topology;
  return {
    ...t,
    latency: mapLatency(t.latency, distributionToJsonMs),
    ...(linkLatency === undefined ? {} : { linkLatency: linkLatency.map((l) => ({ between: l.between, oneWay: distributionToJsonMs(l.oneWay) })) }),
    zk: renameTimes(t.zk, 'Us', 'Ms', (us) => us / US_PER_MS) as unknown as ZkSettingsJson,
    servers: t.servers.map((sv) => (sv.storage === undefined ? sv : { ...sv, storage: mapSpecs(sv.storage, distributionToJsonMs) }) as ServerSpecJson),
    storage: mapSpecs(t.storage, distributionToJsonMs) as unknown as StorageSettingsJson,
    process: mapProcess(t.process as unknown as Record<string, Distribution | number>, distributionToJsonMs) as unknown as ProcessSettingsJson,
  };
}

/** Apply `f` to each distribution of the process settings, keeping key order and the rates. */
function mapProcess<A, B>(p: { readonly [k: string]: A | number }, f: (a: A) => B): Record<string, B | number> {
  const out: Record<string, B | number> = {};
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'number' ? v : f(v);
  return out;
}

/** Storage settings (the ensemble's or a server's): `f` on each distribution, the sizes kept, in key order. */
function mapSpecs<A extends object, B>(o: object, f: (a: A) => B): Record<string, B | number> {
  const out: Record<string, B | number> = {};
  for (const [k, v] of Object.entries(o) as [string, A | number][]) out[k] = typeof v === 'number' ? v : f(v);
  return out;
}

/** Back from the JSON contract (e.g. `merge` reading shards) to the resolved topology. */
export function topologyFromJson(json: TopologyJson): Topology {
  const { linkLatency, ...j } = json;
  return {
    ...j,
    latency: mapLatency(j.latency, distributionFromJsonMs),
    ...(linkLatency === undefined ? {} : { linkLatency: linkLatency.map((l) => ({ between: l.between, oneWay: distributionFromJsonMs(l.oneWay) })) }),
    zk: renameTimes(j.zk, 'Ms', 'Us', (ms) => ms * US_PER_MS) as unknown as ZkSettings,
    servers: j.servers.map((sv) => (sv.storage === undefined ? (sv as unknown as ServerSpec) : { ...sv, storage: mapSpecs(sv.storage, distributionFromJsonMs) as ServerStorage })),
    storage: mapSpecs(j.storage, distributionFromJsonMs) as unknown as StorageSettings,
    process: mapProcess(j.process as unknown as Record<string, LatencySpecJson | number>, distributionFromJsonMs) as unknown as ProcessSettings,
  };
}

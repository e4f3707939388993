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
import type { LinkClass, StorageSettings, Topology, ZkSettings } from '../model/topology.js';

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
}

export interface TopologyJson extends Omit<Topology, 'latency' | 'storage' | 'zk'> {
  readonly zk: ZkSettingsJson;
  readonly latency: Readonly<Record<LinkClass, LatencySpecJson>>;
  readonly storage: Omit<StorageSettings, 'fsync'> & { readonly fsync: LatencySpecJson };
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
export function topologyToJson(t: Topology): TopologyJson {
  return {
    ...t,
    latency: mapLatency(t.latency, distributionToJsonMs),
    zk: renameTimes(t.zk, 'Us', 'Ms', (us) => us / US_PER_MS) as unknown as ZkSettingsJson,
    storage: { ...t.storage, fsync: distributionToJsonMs(t.storage.fsync) },
  };
}

/** Back from the JSON contract (e.g. `merge` reading shards) to the resolved topology. */
export function topologyFromJson(j: TopologyJson): Topology {
  return {
    ...j,
    latency: mapLatency(j.latency, distributionFromJsonMs),
    zk: renameTimes(j.zk, 'Ms', 'Us', (ms) => ms * US_PER_MS) as unknown as ZkSettings,
    storage: { ...j.storage, fsync: distributionFromJsonMs(j.storage.fsync) },
  };
}

/**
 * Stochastic failure processes → scripted faults.
 *
 * `sampleFaults` draws every process of an experiment over a trial's horizon and returns the
 * faults the trial runner applies, each carrying the `source` (model/faults.ts FailureSource) of
 * the process that produced it. It is a pure function of (experiment, topology, rng seed,
 * horizon): it reads the rng only through labelled forks, so
 *   - each process has its own stream (`hostFailures`, `bursts`, …): switching one process on or
 *     off never shifts another's draws;
 *   - every process is defined per server, per host, per domain or per zone pair, and forks again
 *     per entity (`hostFailures:3`, `domainOutages[0]:zone:az1`, `zonePartitions:az1|az2`).
 *     Entities are named by what they are (server id, domain name), never by their position in
 *     the topology, so server 3 draws the same faults in an n3 and an n5 layout, and adding
 *     servers in other zones (observers in a DR zone) never changes the faults the existing
 *     servers see: compared topologies get common random numbers.
 *
 * Conventions shared by all processes:
 *   - `every` / `mttf` is the up time from the end of one event to the start of the next
 *     (alternating renewal), so one entity's events never overlap each other; different processes
 *     may overlap freely — the trial runner nests outages.
 *   - Sampled durations are rounded to whole microseconds and clamped to at least 1 µs (a normal
 *     can draw negative values; a zero-length fault is meaningless).
 *   - Only faults that start before the horizon are emitted; a repair may fall after it.
 *   - Every process starts "all up" at t = 0 (no stationary start); rolling maintenance starts at a
 *     random phase within its period.
 *
 * Cost is O(number of faults): each loop iteration emits a fault or ends the process.
 */
import { sample, type Rng } from '../core/index.js';
import type { Bursts, DurationDistribution, Experiment, RollingMaintenance } from '../model/experiment.js';
import type { FailureSource, FaultSpec, NodeRef } from '../model/faults.js';
import type { ServerId } from '../model/ids.js';
import type { ServerSpec, Topology } from '../model/topology.js';

/** Largest single draw: keeps `t + draw` a safe integer for any sane horizon. */
const MAX_DRAW_US = 2 ** 52;

function draw(d: DurationDistribution, rng: Rng): number {
  const x = Math.round(sample(d, rng));
  if (!(x >= 1)) return 1; // also catches NaN
  return Math.min(x, MAX_DRAW_US);
}

function server(id: ServerId): NodeRef {
  return { kind: 'server', id };
}

/**
 * Alternating renewal from "up" at t = 0: up for an `up` sample, then an event lasting a `down`
 * sample, and again. Calls `emit(atUs, durationUs)` for each event starting before the horizon.
 * Draw order per cycle is fixed (up, then down).
 */
function renewal(rng: Rng, up: DurationDistribution, down: DurationDistribution, horizonUs: number, emit: (atUs: number, durationUs: number) => void): void {
  let t = 0;
  for (;;) {
    t += draw(up, rng);
    if (t >= horizonUs) return;
    const d = draw(down, rng);
    emit(t, d);
    t += d;
  }
}

function byId(topology: Topology): ServerSpec[] {
  return [...topology.servers].sort((a, b) => a.id - b.id);
}

/** Distinct values of a placement field, in order of first appearance among servers by id. */
function domains(servers: readonly ServerSpec[], field: 'rack' | 'zone' | 'region'): string[] {
  return [...new Set(servers.map((s) => s[field]))];
}

/**
 * One server per host, the host's lowest id: a crash takes the whole host down (the runner
 * crashes the target's host), so per-host processes are named after and aimed at that server.
 */
function hostRepresentatives(servers: readonly ServerSpec[]): ServerSpec[] {
  const seen = new Set<string>();
  const out: ServerSpec[] = [];
  for (const s of servers) {
    if (seen.has(s.host)) continue;
    seen.add(s.host);
    out.push(s);
  }
  return out;
}

const DOMAIN_SOURCE: Readonly<Record<'rack' | 'zone' | 'region', FailureSource>> = { rack: 'rackOutages', zone: 'zoneOutages', region: 'regionOutages' };

export function sampleFaults(experiment: Experiment, topology: Topology, rng: Rng, horizonUs: number): FaultSpec[] {
  if (!Number.isSafeInteger(horizonUs) || horizonUs < 0) throw new RangeError(`horizonUs must be a non-negative integer, got ${horizonUs}`);
  const f = experiment.failures;
  const servers = byId(topology);
  const hosts = hostRepresentatives(servers);
  // One list per process, concatenated in a fixed order; the stable sort by time then keeps
  // (process order, emission order) as the tiebreak.
  const out: FaultSpec[] = [];

  if (f.processRestarts !== null) {
    const { every, downtime } = f.processRestarts;
    for (const s of servers) {
      renewal(rng.fork(`processRestarts:${s.id}`), every, downtime, horizonUs, (atUs, durationUs) => {
        out.push({ kind: 'kill', node: server(s.id), atUs, durationUs, source: 'processRestarts' });
      });
    }
  }

  if (f.hostFailures !== null) {
    const { mttf, mttr } = f.hostFailures;
    for (const s of hosts) {
      renewal(rng.fork(`hostFailures:${s.id}`), mttf, mttr, horizonUs, (atUs, durationUs) => {
        out.push({ kind: 'crash', node: server(s.id), atUs, durationUs, source: 'hostFailures' });
      });
    }
  }

  if (f.diskLoss !== null) {
    const { every, rebuild } = f.diskLoss;
    for (const s of servers) {
      renewal(rng.fork(`diskLoss:${s.id}`), every, rebuild, horizonUs, (atUs, durationUs) => {
        out.push({ kind: 'wipe', node: server(s.id), atUs, durationUs, source: 'diskLoss' });
      });
    }
  }

  f.domainOutages.forEach((o, index) => {
    const source = DOMAIN_SOURCE[o.level];
    for (const name of domains(servers, o.level)) {
      renewal(rng.fork(`domainOutages[${index}]:${o.level}:${name}`), o.every, o.duration, horizonUs, (atUs, durationUs) => {
        if (o.level === 'zone') out.push({ kind: 'zone-down', zone: name, atUs, durationUs, source });
        else out.push({ kind: o.level === 'rack' ? 'rack-down' : 'region-down', domain: name, atUs, durationUs, source });
      });
    }
  });

  if (f.bursts !== null) {
    for (const first of hosts) {
      const zoneHosts = hosts.filter((h) => h.zone === first.zone && h !== first);
      sampleBursts(f.bursts, first, zoneHosts, rng.fork(`bursts:${first.id}`), horizonUs, out);
    }
  }

  if (f.zonePartitions !== null) {
    const { every, duration } = f.zonePartitions;
    const zones = domains(servers, 'zone');
    const members = (zone: string): ServerId[] => servers.filter((s) => s.zone === zone).map((s) => s.id);
    // One process per unordered zone pair, named by the two zone names (sorted), so adding a
    // zone adds pairs without shifting the draws of the pairs already there.
    zones.forEach((a, i) => {
      for (const b of zones.slice(i + 1)) {
        const label = a < b ? `${a}|${b}` : `${b}|${a}`;
        renewal(rng.fork(`zonePartitions:${label}`), every, duration, horizonUs, (atUs, durationUs) => {
          out.push({ kind: 'partition', groups: [members(a), members(b)], atUs, durationUs, source: 'zonePartitions' });
        });
      }
    });
  }

  if (f.rollingMaintenance !== null && servers.length > 0) {
    sampleRollingMaintenance(f.rollingMaintenance, servers, rng.fork('rollingMaintenance'), horizonUs, out);
  }

  return out.sort((a, b) => a.atUs - b.atUs);
}

/**
 * Bursts started by host `first` (after Ford et al., OSDI 2010: failures within `window` of each
 * other, with rack affinity): after an `every` sample, a burst of `size` hosts (uniform in
 * [min, max], capped at the hosts of `first`'s zone). `first` crashes at the burst start; each
 * further victim crashes at a uniform offset within `window`, drawn from the hosts left in
 * `first`'s rack with probability `domainAffinity` (when any are left there), else from the
 * hosts left in its zone. Bursts never leave the zone: simultaneous failures across zones are
 * zone / region outages, modelled by domainOutages. Every host runs this process, so the burst
 * rate grows with the number of hosts (`every` is per host). The next `every` counts from the end
 * of the window.
 */
function sampleBursts(b: Bursts, first: ServerSpec, zoneHosts: readonly ServerSpec[], r: Rng, horizonUs: number, out: FaultSpec[]): void {
  let t = 0;
  for (;;) {
    t += draw(b.every, r);
    if (t >= horizonUs) return;
    const size = r.int(b.size.min, b.size.max + 1);
    let left = [...zoneHosts];
    const victims: { s: ServerSpec; offset: number }[] = [{ s: first, offset: 0 }];
    for (let k = 1; k < size && left.length > 0; k++) {
      const sameRack = left.filter((s) => s.rack === first.rack);
      const pool = sameRack.length > 0 && r.chance(b.domainAffinity) ? sameRack : left;
      const victim = r.pick(pool);
      left = left.filter((s) => s !== victim);
      victims.push({ s: victim, offset: b.windowUs > 0 ? r.int(0, b.windowUs + 1) : 0 });
    }
    for (const { s, offset } of victims) {
      const atUs = t + offset;
      const durationUs = draw(b.downtime, r);
      if (atUs < horizonUs) out.push({ kind: 'crash', node: server(s.id), atUs, durationUs, source: 'bursts' });
    }
    t += b.windowUs;
  }
}

/**
 * Rolling maintenance: every `every`, a round restarts each server once (kill for
 * `downtimePerServer`), `gap` between one server's return and the next one's stop. The steps
 * are 'maintenance' NodeRefs the trial resolves when they fire (model/faults.ts MaintenanceRef):
 * `leader-last` restarts the followers first and whoever leads at that moment last, as an
 * operator would; `any` restarts the servers in a random order drawn per round from this
 * process's stream. Rounds are numbered 1, 2, … and start at a random phase within `every`.
 */
function sampleRollingMaintenance(m: RollingMaintenance, servers: readonly ServerSpec[], r: Rng, horizonUs: number, out: FaultSpec[]): void {
  const { everyUs, order, downtimePerServerUs, gapUs } = m;
  const n = servers.length;
  const stride = downtimePerServerUs + gapUs;
  const roundUs = n * downtimePerServerUs + (n - 1) * gapUs;
  // A random phase so that rounds do not line up with the start of every trial.
  let start = r.int(0, everyUs);
  for (let round = 1; start < horizonUs; round++) {
    const ids = servers.map((s) => s.id);
    if (order === 'any') {
      for (let i = ids.length - 1; i > 0; i--) {
        const j = r.int(0, i + 1);
        [ids[i], ids[j]] = [ids[j] as ServerId, ids[i] as ServerId];
      }
    }
    ids.forEach((id, i) => {
      const atUs = start + i * stride;
      if (atUs < horizonUs) out.push({ kind: 'kill', node: { kind: 'maintenance', round, order, id }, atUs, durationUs: downtimePerServerUs, source: 'rollingMaintenance' });
    });
    // A round never starts before the previous one has finished.
    start = Math.max(start + everyUs, start + roundUs + gapUs);
  }
}

/**
 * The `--node-mttf/--node-mttr` failure model: exponential host crash/repair on every server and
 * nothing else (the closed-form case: each server up with probability MTTF/(MTTF+MTTR)).
 */
export function independentCrashRepair(mttfUs: number, mttrUs: number): Experiment['failures'] {
  return {
    processRestarts: null,
    hostFailures: { mttf: { dist: 'exponential', mean: mttfUs }, mttr: { dist: 'exponential', mean: mttrUs } },
    diskLoss: null,
    domainOutages: [],
    bursts: null,
    zonePartitions: null,
    rollingMaintenance: null,
  };
}

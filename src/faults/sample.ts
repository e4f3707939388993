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
 * Cost is O(number of faults): each loop iteration emits a fault or ends the process. A model
 * whose expected faults per trial exceed the budget (config/limits.ts MAX_EXPECTED_FAULTS, for
 * this topology's servers, hosts, domains and zone pairs) is refused before drawing anything,
 * and sampling stops past MAX_SAMPLED_FAULTS whatever was expected: both with a
 * SimulationLimitError naming the field, never unbounded memory.
 */
import { faultBudgetIssues } from '../config/experiment-validate.js';
import { MAX_SAMPLED_FAULTS } from '../config/limits.js';
import { sample, SimulationLimitError, type Rng } from '../core/index.js';
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
    // A repair past the clock's range (2^53 µs) is as good as never: keep it representable.
    const d = Math.min(draw(down, rng), Number.MAX_SAFE_INTEGER - t);
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

/** The trial's faults; refuses to grow past `cap` (MAX_SAMPLED_FAULTS) with a SimulationLimitError. */
export class FaultList {
  readonly items: FaultSpec[] = [];
  constructor(readonly cap = MAX_SAMPLED_FAULTS) {}

  add(fault: FaultSpec): void {
    if (this.items.length >= this.cap) {
      throw new SimulationLimitError(
        `the failure model drew more than ${this.cap} faults for one trial (the last from ${fault.source ?? 'scripted'}): lengthen its intervals or shorten the horizon`,
      );
    }
    this.items.push(fault);
  }
}

/** How many entities of each kind (config/limits.ts FaultEntity) the topology has. */
export function entityCounts(topology: Topology): (entity: string) => number {
  const servers = byId(topology);
  const zones = domains(servers, 'zone').length;
  const counts: Record<string, number> = {
    server: servers.length,
    host: hostRepresentatives(servers).length,
    rack: domains(servers, 'rack').length,
    zone: zones,
    region: domains(servers, 'region').length,
    'zone pair': (zones * (zones - 1)) / 2,
    'zone host': hostRepresentatives(servers).length,
  };
  return (entity) => counts[entity] ?? 0;
}

const DOMAIN_SOURCE: Readonly<Record<'rack' | 'zone' | 'region', FailureSource>> = { rack: 'rackOutages', zone: 'zoneOutages', region: 'regionOutages' };

/** `cap` is for tests; every caller leaves it at MAX_SAMPLED_FAULTS. */
export function sampleFaults(experiment: Experiment, topology: Topology, rng: Rng, horizonUs: number, cap = MAX_SAMPLED_FAULTS): FaultSpec[] {
  if (!Number.isSafeInteger(horizonUs) || horizonUs < 0) throw new RangeError(`horizonUs must be a non-negative integer, got ${horizonUs}`);
  const budget = faultBudgetIssues(experiment.failures, horizonUs, entityCounts(topology));
  if (budget.length > 0) throw new SimulationLimitError(budget.map((i) => `topology ${topology.name}: ${i.path}: ${i.message}`).join('; '));
  const f = experiment.failures;
  const servers = byId(topology);
  const hosts = hostRepresentatives(servers);
  // One list per process, concatenated in a fixed order; the stable sort by time then keeps
  // (process order, emission order) as the tiebreak.
  const out = new FaultList(cap);

  if (f.processRestarts !== null) {
    const { every, downtime } = f.processRestarts;
    for (const s of servers) {
      renewal(rng.fork(`processRestarts:${s.id}`), every, downtime, horizonUs, (atUs, durationUs) => {
        out.add({ kind: 'kill', node: server(s.id), atUs, durationUs, source: 'processRestarts' });
      });
    }
  }

  if (f.hostFailures !== null) {
    const { mttf, mttr } = f.hostFailures;
    for (const s of hosts) {
      renewal(rng.fork(`hostFailures:${s.id}`), mttf, mttr, horizonUs, (atUs, durationUs) => {
        out.add({ kind: 'crash', node: server(s.id), atUs, durationUs, source: 'hostFailures' });
      });
    }
  }

  if (f.diskLoss !== null) {
    const { every, rebuild } = f.diskLoss;
    for (const s of servers) {
      renewal(rng.fork(`diskLoss:${s.id}`), every, rebuild, horizonUs, (atUs, durationUs) => {
        out.add({ kind: 'wipe', node: server(s.id), atUs, durationUs, source: 'diskLoss' });
      });
    }
  }

  f.domainOutages.forEach((o, index) => {
    const source = DOMAIN_SOURCE[o.level];
    for (const name of domains(servers, o.level)) {
      renewal(rng.fork(`domainOutages[${index}]:${o.level}:${name}`), o.every, o.duration, horizonUs, (atUs, durationUs) => {
        out.add({ kind: 'domain-down', level: o.level, name, atUs, durationUs, source });
      });
    }
  });

  if (f.bursts !== null) {
    for (const zone of domains(servers, 'zone')) {
      sampleBursts(f.bursts, zone, hosts.filter((h) => h.zone === zone), rng, horizonUs, out);
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
          out.add({ kind: 'partition', groups: [members(a), members(b)], atUs, durationUs, source: 'zonePartitions' });
        });
      }
    });
  }

  if (f.rollingMaintenance !== null && servers.length > 0) {
    sampleRollingMaintenance(f.rollingMaintenance, servers, rng, horizonUs, out);
  }

  return out.items.sort((a, b) => a.atUs - b.atUs);
}

/**
 * Bursts of `zone` (after Ford et al., OSDI 2010: failures within `window` of each other, with
 * rack affinity): after an `every` sample (stream `bursts:<zone>`), burst k strikes the zone; each
 * rack of the zone is struck with probability zoneJoin / rackJoin (stream
 * `bursts:<zone>:<k>:rack:<rack>`), and each host of a struck rack crashes with probability
 * rackJoin, at a uniform offset in [0, window], for a `downtime` sample (all three drawn, always
 * in that order, from stream `bursts:<zone>:<k>:host:<host>`). Every coin is keyed by the names of
 * what it decides, so whether, when and how long a host fails never depends on which other hosts
 * exist: adding an observer to a voter's zone or rack leaves the voters' bursts as they were.
 * A host fails in a burst with probability zoneJoin (per-host rate = zoneJoin × bursts per zone),
 * whatever the layout. The next `every` counts from the end of the window.
 */
function sampleBursts(b: Bursts, zone: string, zoneHosts: readonly ServerSpec[], rng: Rng, horizonUs: number, out: FaultList): void {
  const r = rng.fork(`bursts:${zone}`);
  const rackP = b.rackJoin > 0 ? b.zoneJoin / b.rackJoin : 0;
  let t = 0;
  for (let k = 1; ; k++) {
    t += draw(b.every, r);
    if (t >= horizonUs) return;
    const struck = new Map<string, boolean>();
    for (const h of zoneHosts) {
      let rackStruck = struck.get(h.rack);
      if (rackStruck === undefined) {
        rackStruck = rng.fork(`bursts:${zone}:${k}:rack:${h.rack}`).chance(rackP);
        struck.set(h.rack, rackStruck);
      }
      const hr = rng.fork(`bursts:${zone}:${k}:host:${h.host}`);
      const fails = hr.chance(b.rackJoin);
      const atUs = t + (b.windowUs > 0 ? hr.int(0, b.windowUs + 1) : 0);
      const durationUs = Math.min(draw(b.downtime, hr), Number.MAX_SAFE_INTEGER - atUs);
      if (rackStruck && fails && atUs < horizonUs) out.add({ kind: 'crash', node: server(h.id), atUs, durationUs, source: 'bursts' });
    }
    t += b.windowUs;
  }
}

/**
 * Rolling maintenance: every `every`, a round restarts each server once (kill for
 * `downtimePerServer`), `gap` between one server's return and the next one's stop: the voters
 * first, then the observers. The steps are 'maintenance' NodeRefs the trial resolves when they
 * fire (model/faults.ts MaintenanceRef; the trial takes voters while any is due this round):
 * `leader-last` restarts the follower voters first and whoever leads at that moment last, as an
 * operator would, then the observers by id; `any` restarts the voters in a random order drawn per
 * round from this process's stream, then the observers in a random order from a stream of their
 * own (`rollingMaintenance:observers`). Rounds are numbered 1, 2, … and start at a random phase
 * within `every`; a round starts `every` after the previous one, or when its voters are done if
 * that is later. Observer steps that would start after the next round's start are skipped. So
 * the voters' steps (times, order, draws) depend on the voters alone, never on how many observers
 * exist.
 */
function sampleRollingMaintenance(m: RollingMaintenance, servers: readonly ServerSpec[], rng: Rng, horizonUs: number, out: FaultList): void {
  const { everyUs, order, downtimePerServerUs, gapUs } = m;
  const r = rng.fork('rollingMaintenance');
  const ro = rng.fork('rollingMaintenance:observers');
  const voters = servers.filter((s) => s.role !== 'observer').map((s) => s.id);
  const observers = servers.filter((s) => s.role === 'observer').map((s) => s.id);
  const stride = downtimePerServerUs + gapUs;
  const votersUs = voters.length * downtimePerServerUs + Math.max(0, voters.length - 1) * gapUs;
  const shuffle = (ids: ServerId[], rr: Rng): ServerId[] => {
    for (let i = ids.length - 1; i > 0; i--) {
      const j = rr.int(0, i + 1);
      [ids[i], ids[j]] = [ids[j] as ServerId, ids[i] as ServerId];
    }
    return ids;
  };
  // A random phase so that rounds do not line up with the start of every trial.
  let start = r.int(0, everyUs);
  for (let round = 1; start < horizonUs; round++) {
    // The next round never starts before this round's voters are done.
    const next = Math.max(start + everyUs, start + votersUs + gapUs);
    const ids = order === 'any' ? [...shuffle([...voters], r), ...shuffle([...observers], ro)] : [...voters, ...observers];
    ids.forEach((id, i) => {
      const atUs = start + i * stride;
      if (atUs < horizonUs && atUs < next) out.add({ kind: 'kill', node: { kind: 'maintenance', round, order, id }, atUs, durationUs: Math.min(downtimePerServerUs, Number.MAX_SAFE_INTEGER - atUs), source: 'rollingMaintenance' });
    });
    start = next;
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

/**
 * Stochastic failure processes → scripted faults.
 *
 * `sampleFaults` draws every process of an experiment over a trial's horizon and returns the
 * faults the trial runner applies. It is a pure function of (experiment, topology, rng seed,
 * horizon): it reads the rng only through labelled forks, so
 *   - each process has its own stream (`hostFailures`, `bursts`, …): switching one process on or
 *     off never shifts another's draws;
 *   - per-server and per-domain processes fork again per entity (`hostFailures:3`,
 *     `domainOutages[0]:zone:az1`): server 3 draws the same crash times in an n3 and an n5
 *     layout, so compared topologies see common random numbers.
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
import type { DurationDistribution, Experiment, FailureModel } from '../model/experiment.js';
import type { FaultSpec, NodeRef } from '../model/faults.js';
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

export function sampleFaults(experiment: Experiment, topology: Topology, rng: Rng, horizonUs: number): FaultSpec[] {
  if (!Number.isSafeInteger(horizonUs) || horizonUs < 0) throw new RangeError(`horizonUs must be a non-negative integer, got ${horizonUs}`);
  const f = experiment.failures;
  const servers = byId(topology);
  // One list per process, concatenated in a fixed order; the stable sort by time then keeps
  // (process order, emission order) as the tiebreak.
  const out: FaultSpec[] = [];

  if (f.processRestarts !== null) {
    const { every, downtime } = f.processRestarts;
    for (const s of servers) {
      renewal(rng.fork(`processRestarts:${s.id}`), every, downtime, horizonUs, (atUs, durationUs) => {
        out.push({ kind: 'kill', node: server(s.id), atUs, durationUs });
      });
    }
  }

  if (f.hostFailures !== null) {
    const { mttf, mttr } = f.hostFailures;
    // A crash takes the whole host down (the runner crashes the target's host), so servers that
    // share a host share one process, named after and aimed at the host's lowest server id.
    const seen = new Set<string>();
    for (const s of servers) {
      if (seen.has(s.host)) continue;
      seen.add(s.host);
      renewal(rng.fork(`hostFailures:${s.id}`), mttf, mttr, horizonUs, (atUs, durationUs) => {
        out.push({ kind: 'crash', node: server(s.id), atUs, durationUs });
      });
    }
  }

  if (f.diskLoss !== null) {
    const { every, rebuild } = f.diskLoss;
    for (const s of servers) {
      renewal(rng.fork(`diskLoss:${s.id}`), every, rebuild, horizonUs, (atUs, durationUs) => {
        out.push({ kind: 'wipe', node: server(s.id), atUs, durationUs });
      });
    }
  }

  f.domainOutages.forEach((o, index) => {
    for (const name of domains(servers, o.level)) {
      renewal(rng.fork(`domainOutages[${index}]:${o.level}:${name}`), o.every, o.duration, horizonUs, (atUs, durationUs) => {
        if (o.level === 'zone') out.push({ kind: 'zone-down', zone: name, atUs, durationUs });
        else out.push({ kind: o.level === 'rack' ? 'rack-down' : 'region-down', domain: name, atUs, durationUs });
      });
    }
  });

  if (f.bursts !== null && servers.length > 0) sampleBursts(f.bursts, servers, rng.fork('bursts'), horizonUs, out);

  if (f.zonePartitions !== null) {
    const zones = domains(servers, 'zone');
    if (zones.length >= 2) {
      const r = rng.fork('zonePartitions');
      const { every, duration } = f.zonePartitions;
      let t = 0;
      for (;;) {
        t += draw(every, r);
        if (t >= horizonUs) break;
        const a = r.int(0, zones.length);
        let b = r.int(0, zones.length - 1);
        if (b >= a) b++;
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const members = (i: number): ServerId[] => servers.filter((s) => s.zone === zones[i]).map((s) => s.id);
        const d = draw(duration, r);
        out.push({ kind: 'partition', groups: [members(lo), members(hi)], atUs: t, durationUs: d });
        t += d;
      }
    }
  }

  if (f.rollingMaintenance !== null && servers.length > 0) {
    const { everyUs, order, downtimePerServerUs, gapUs } = f.rollingMaintenance;
    // leader-last is approximated without knowing who leads: the earlier steps restart every
    // server except the highest-id voter (the server FLE elects when zxids tie, so usually the
    // leader), in ascending id order, and the last step restarts `{ kind: 'leader' }`, whoever
    // leads at that moment. When the leader is not the highest-id voter, that voter skips this
    // round and the leader is restarted twice (once by id, once as leader). `gap` stands in for
    // "wait until the restarted server has resynced".
    let steps: NodeRef[] = servers.map((s) => server(s.id));
    if (order === 'leader-last') {
      const voters = servers.filter((s) => s.role === 'voter');
      const top = voters[voters.length - 1];
      steps = [...servers.filter((s) => s !== top).map((s) => server(s.id)), { kind: 'leader' }];
    }
    const stride = downtimePerServerUs + gapUs;
    const roundUs = steps.length * downtimePerServerUs + (steps.length - 1) * gapUs;
    // A random phase so that rounds do not line up with the start of every trial.
    let start = rng.fork('rollingMaintenance').int(0, everyUs);
    while (start < horizonUs) {
      steps.forEach((node, i) => {
        const atUs = start + i * stride;
        if (atUs < horizonUs) out.push({ kind: 'kill', node, atUs, durationUs: downtimePerServerUs });
      });
      // A round never starts before the previous one has finished.
      start = Math.max(start + everyUs, start + roundUs + gapUs);
    }
  }

  return out.sort((a, b) => a.atUs - b.atUs);
}

/**
 * Ford et al. bursts, one cluster-wide process: after an `every` sample, a burst of `size`
 * servers (uniform in [min, max], capped at the server count). The first victim is uniform and
 * crashes at the burst start; each further victim crashes at a uniform offset within `window` and
 * is drawn, with probability `domainAffinity`, from the servers left in the first victim's rack
 * (or, when none are left there, its zone), otherwise uniformly from all servers left. The next
 * `every` counts from the end of the window.
 */
function sampleBursts(b: NonNullable<FailureModel['bursts']>, servers: readonly ServerSpec[], r: Rng, horizonUs: number, out: FaultSpec[]): void {
  let t = 0;
  for (;;) {
    t += draw(b.every, r);
    if (t >= horizonUs) return;
    const size = Math.min(r.int(b.size.min, b.size.max + 1), servers.length);
    const first = r.pick(servers);
    let left = servers.filter((s) => s !== first);
    const victims: { s: ServerSpec; offset: number }[] = [{ s: first, offset: 0 }];
    for (let k = 1; k < size; k++) {
      const sameRack = left.filter((s) => s.rack === first.rack);
      const near = sameRack.length > 0 ? sameRack : left.filter((s) => s.zone === first.zone);
      const affine = r.chance(b.domainAffinity);
      const pool = affine && near.length > 0 ? near : left;
      const victim = r.pick(pool);
      left = left.filter((s) => s !== victim);
      victims.push({ s: victim, offset: b.windowUs > 0 ? r.int(0, b.windowUs + 1) : 0 });
    }
    for (const { s, offset } of victims) {
      const atUs = t + offset;
      const durationUs = draw(b.downtime, r);
      if (atUs < horizonUs) out.push({ kind: 'crash', node: server(s.id), atUs, durationUs });
    }
    t += b.windowUs;
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

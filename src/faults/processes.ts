/**
 * The failure processes, one entry each: which experiment field turns it on, the failure sources
 * its faults carry, how it samples, how it reads in words, and whether the closed form
 * (montecarlo/analytic.ts) covers it. Adding a process is one entry here, plus what lives below
 * this tier and cannot import it: its field in model/experiment.ts FailureModel (and
 * FAILURE_PROCESSES, which a test holds equal to this table's order), and in config/ its reader
 * (read-experiment.ts), checks (experiment-validate.ts) and expected-fault rate (limits.ts).
 *
 * Order is part of the contract: `sampleFaults` runs the entries in this order (so the fault
 * list's tiebreak and every stream's draws stay as they are), and descriptions and the closed
 * form's covers / leavesOut lists follow it (FAILURE_SOURCES order).
 *
 * The closed form's coverage is an allow-list: an entry covers nothing unless it says
 * `closedForm: true`, and the closed form then needs its inputs (faults/analytic.ts). A process
 * that does not say so is reported as left out (`analyticLeavesOut`), so a new process never
 * makes the oracle claim coverage it lacks.
 */
import type { Rng } from '../core/index.js';
import { formatDurationUs } from '../model/duration.js';
import { formatDistribution as dist, type Distribution } from '../model/distribution.js';
import type { Bursts, DomainLevel, FailureModel, RollingMaintenance } from '../model/experiment.js';
import type { FailureSource, FaultSpec } from '../model/faults.js';
import type { ServerId } from '../model/ids.js';
import { isInitialVoter, type ServerSpec } from '../model/topology.js';
import type { FailureProcessDescription, FailureScope } from './describe.js';
import { domains, draw, type FaultList, renewal, type SampleContext, server } from './sampling.js';

export interface FailureProcess {
  /** the FailureModel field that configures the process (its name in experiment files) */
  readonly field: string;
  /** the failure sources the process's faults carry when `f` turns it on; [] = off */
  sources(f: FailureModel): readonly FailureSource[];
  /** draw the process's faults into `ctx.out`; called only when `sources(f)` is not empty */
  sample(f: FailureModel, ctx: SampleContext): void;
  /** the process in words, one entry per source instance (faults/describe.ts) */
  describe(f: FailureModel): readonly FailureProcessDescription[];
  /**
   * true only when montecarlo/analytic.ts's product form includes this process exactly (and
   * faults/analytic.ts computes its inputs); absent or false = reported as left out.
   */
  readonly closedForm?: boolean;
}

const DOMAIN_SOURCE: Readonly<Record<DomainLevel, FailureSource>> = { rack: 'rackOutages', zone: 'zoneOutages', region: 'regionOutages' };
const DOMAIN_SCOPE: Readonly<Record<DomainLevel, FailureScope>> = { rack: 'per rack', zone: 'per zone', region: 'per region' };
const LEVELS: readonly DomainLevel[] = ['rack', 'zone', 'region'];

/**
 * A renewal process per server on stream `<field>:<id>` (up times `every`, outages `length`),
 * each outage a fault of `kind` at that server: process restarts (kill) and GC pauses (pause).
 */
function perServerRenewal(field: 'processRestarts' | 'pauses', kind: 'kill' | 'pause', get: (f: FailureModel) => { every: Distribution; length: Distribution }): FailureProcess['sample'] {
  return (f, { servers, rng, horizonUs, out }) => {
    const { every, length } = get(f);
    for (const s of servers) {
      renewal(rng.fork(`${field}:${s.id}`), every, length, horizonUs, (atUs, durationUs) => {
        out.add({ kind, node: server(s.id), atUs, durationUs, source: field });
      });
    }
  };
}

const processRestarts: FailureProcess = {
  field: 'processRestarts',
  sources: (f) => (f.processRestarts === null ? [] : ['processRestarts']),
  sample: perServerRenewal('processRestarts', 'kill', (f) => ({ every: f.processRestarts!.every, length: f.processRestarts!.downtime })),
  describe: (f) => [{ process: 'processRestarts', scope: 'per server', parameters: { every: dist(f.processRestarts!.every), downtime: dist(f.processRestarts!.downtime) } }],
  closedForm: true,
};

const hostFailures: FailureProcess = {
  field: 'hostFailures',
  sources: (f) => (f.hostFailures === null ? [] : ['hostFailures']),
  sample(f, { hosts, rng, horizonUs, out }) {
    const { mttf, mttr } = f.hostFailures!;
    for (const s of hosts) {
      renewal(rng.fork(`hostFailures:${s.id}`), mttf, mttr, horizonUs, (atUs, durationUs) => {
        out.add({ kind: 'crash', node: server(s.id), atUs, durationUs, source: 'hostFailures' });
      });
    }
  },
  describe: (f) => [{ process: 'hostFailures', scope: 'per host', parameters: { mttf: dist(f.hostFailures!.mttf), mttr: dist(f.hostFailures!.mttr) } }],
  closedForm: true,
};

const diskLoss: FailureProcess = {
  field: 'diskLoss',
  sources: (f) => (f.diskLoss === null ? [] : ['diskLoss']),
  sample(f, { servers, rng, horizonUs, out }) {
    const { every, rebuild } = f.diskLoss!;
    for (const s of servers) {
      renewal(rng.fork(`diskLoss:${s.id}`), every, rebuild, horizonUs, (atUs, durationUs) => {
        out.add({ kind: 'wipe', node: server(s.id), atUs, durationUs, source: 'diskLoss' });
      });
    }
  },
  describe: (f) => [{ process: 'diskLoss', scope: 'per server', parameters: { every: dist(f.diskLoss!.every), rebuild: dist(f.diskLoss!.rebuild) } }],
  closedForm: true,
};

const domainOutages: FailureProcess = {
  field: 'domainOutages',
  // FAILURE_SOURCES order: racks, then zones, then regions.
  sources: (f) => LEVELS.filter((level) => f.domainOutages.some((o) => o.level === level)).map((level) => DOMAIN_SOURCE[level]),
  sample(f, { servers, rng, horizonUs, out }) {
    // File order (the stream names carry the index), not level order.
    f.domainOutages.forEach((o, index) => {
      const source = DOMAIN_SOURCE[o.level];
      for (const name of domains(servers, o.level)) {
        renewal(rng.fork(`domainOutages[${index}]:${o.level}:${name}`), o.every, o.duration, horizonUs, (atUs, durationUs) => {
          out.add({ kind: 'domain-down', level: o.level, name, atUs, durationUs, source });
        });
      }
    });
  },
  // Racks, then zones, then regions; file order within a level.
  describe: (f) =>
    LEVELS.flatMap((level) =>
      f.domainOutages
        .filter((o) => o.level === level)
        .map((o) => ({ process: DOMAIN_SOURCE[level], scope: DOMAIN_SCOPE[level], parameters: { every: dist(o.every), duration: dist(o.duration) } })),
    ),
  closedForm: true,
};

const bursts: FailureProcess = {
  field: 'bursts',
  sources: (f) => (f.bursts === null ? [] : ['bursts']),
  sample(f, { servers, hosts, rng, horizonUs, out }) {
    for (const zone of domains(servers, 'zone')) {
      sampleBursts(f.bursts!, zone, hosts.filter((h) => h.zone === zone), rng, horizonUs, out);
    }
  },
  describe(f) {
    const b = f.bursts!;
    return [
      {
        process: 'bursts',
        scope: 'per zone',
        parameters: {
          every: dist(b.every),
          window: `${formatDurationUs(b.windowUs)} (each failing host crashes at a uniform time within it)`,
          zoneJoin: `${b.zoneJoin} (each host of the zone fails in a burst with this probability, on its own coin)`,
          rackJoin: `${b.rackJoin} (a host fails with this probability when another host of its rack does)`,
          downtime: dist(b.downtime),
        },
      },
    ];
  },
  // No closedForm: hosts of one zone fail together, not independently, outside the product form.
};

const zonePartitions: FailureProcess = {
  field: 'zonePartitions',
  sources: (f) => (f.zonePartitions === null ? [] : ['zonePartitions']),
  sample(f, { servers, rng, horizonUs, out }) {
    const { every, duration } = f.zonePartitions!;
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
  },
  describe: (f) => [{ process: 'zonePartitions', scope: 'per zone pair', parameters: { every: dist(f.zonePartitions!.every), duration: dist(f.zonePartitions!.duration) } }],
  // No closedForm: voters up but cut apart; the product form counts servers up, not reachable.
};

const rollingMaintenance: FailureProcess = {
  field: 'rollingMaintenance',
  sources: (f) => (f.rollingMaintenance === null ? [] : ['rollingMaintenance']),
  sample(f, { servers, rng, horizonUs, out }) {
    if (servers.length > 0) sampleRollingMaintenance(f.rollingMaintenance!, servers, rng, horizonUs, out);
  },
  describe(f) {
    const r = f.rollingMaintenance!;
    return [
      {
        process: 'rollingMaintenance',
        scope: 'per cluster',
        parameters: {
          every: formatDurationUs(r.everyUs),
          order: r.order === 'leader-last' ? 'leader-last: observers, followers, the leader last' : 'any: voters in a random order, then observers',
          downtimePerServer: formatDurationUs(r.downtimePerServerUs),
          gap: formatDurationUs(r.gapUs),
          gate: 'each next restart waits until mntr shows every voter synced (at most 10m, else the round stops)',
        },
      },
    ];
  },
  // No closedForm: a schedule, not a renewal process.
};

/**
 * Stop-the-world pauses (JVM GC), per server: the `pause` fault kind (scenario/gray-fault-kinds.ts),
 * renewal on stream `pauses:<id>`. Last in the table, so turning it on leaves every other
 * process's draws as they were.
 */
const pauses: FailureProcess = {
  field: 'pauses',
  sources: (f) => (f.pauses === null ? [] : ['pauses']),
  sample: perServerRenewal('pauses', 'pause', (f) => ({ every: f.pauses!.every, length: f.pauses!.duration })),
  describe: (f) => [{ process: 'pauses', scope: 'per server', parameters: { every: dist(f.pauses!.every), duration: dist(f.pauses!.duration) } }],
  // No closedForm: a paused voter is up and may or may not cost a quorum (a pause under syncLimit × tickTime costs nothing).
};

/** Every failure process, in sampling order. */
export const FAILURE_PROCESS_TABLE: readonly FailureProcess[] = [processRestarts, hostFailures, diskLoss, domainOutages, bursts, zonePartitions, rollingMaintenance, pauses];

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
  let t = 0;
  for (let k = 1; ; k++) {
    t += draw(b.every, r);
    if (t >= horizonUs) return;
    for (const f of burstCrashes(b, zone, zoneHosts, k, t, rng, horizonUs)) out.add(f);
    t += b.windowUs;
  }
}

/**
 * The crashes of burst `k` of `zone`, striking at `t`: the rack and host coins described at
 * sampleBursts, each from its own named stream, in that order. Failure biasing
 * (faults/biasing-entities.ts) draws the same coins at the burst times it chooses.
 */
export function burstCrashes(b: Bursts, zone: string, zoneHosts: readonly ServerSpec[], k: number, t: number, rng: Rng, horizonUs: number): FaultSpec[] {
  const rackP = b.rackJoin > 0 ? b.zoneJoin / b.rackJoin : 0;
  const struck = new Map<string, boolean>();
  const faults: FaultSpec[] = [];
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
    if (rackStruck && fails && atUs < horizonUs) faults.push({ kind: 'crash', node: server(h.id), atUs, durationUs, source: 'bursts' });
  }
  return faults;
}

/**
 * Rolling maintenance: every `every`, a round restarts each server once — one `maintenance`
 * fault per round (scenario/maintenance-kind.ts), which the trial runs as the rolling-upgrade
 * plan's restart step: one server at a time, each down `downtimePerServer`, the next only once
 * the ensemble is healthy again (mntr: every voter synced) and `gap` has passed. `leader-last`
 * restarts the observers, the followers, and whoever leads at that moment last; `any` the voters
 * in a random order, then the observers, drawn per round by the trial (its `plan` stream). Rounds
 * start at a random phase within `every` (this process's stream), then `every` apart, or when the
 * previous round's voters would be done (n × downtimePerServer + (n − 1) × gap, + gap) if that is
 * later: the same instants as when each restart was a fault of its own, so seeds keep their rounds.
 */
function sampleRollingMaintenance(m: RollingMaintenance, servers: readonly ServerSpec[], rng: Rng, horizonUs: number, out: FaultList): void {
  const { everyUs, order, downtimePerServerUs, gapUs } = m;
  const r = rng.fork('rollingMaintenance');
  const voters = servers.filter(isInitialVoter).length;
  const votersUs = voters * downtimePerServerUs + Math.max(0, voters - 1) * gapUs;
  // A random phase so that rounds do not line up with the start of every trial.
  for (let start = r.int(0, everyUs); start < horizonUs; start = Math.max(start + everyUs, start + votersUs + gapUs)) {
    // the round's nominal window (downtime attribution, failure-biasing cycles); the plan itself takes what it takes
    out.add({ kind: 'maintenance', order, downtimeUs: downtimePerServerUs, gapUs, atUs: start, durationUs: Math.max(1, votersUs), source: 'rollingMaintenance' });
  }
}

/**
 * The entities of failure biasing (faults/forcing.ts runs them): the failure model split into
 *   - biasable entities: one per server, host, domain, zone or zone pair of every process whose up
 *     time is exponential (a constant hazard λ = 1/mean that the sampler may bias), each drawing
 *     its marks from a stream of its own, `bias:<process>:<entity>`;
 *   - exogenous parts: every other process (rolling maintenance; a process or domain-outage entry
 *     whose up time is not exponential), sampled exactly as sampleFaults samples it, unbiased.
 * Each entity produces the faults today's process produces (same kinds, sources, targets, and for
 * bursts the same coin streams and draw order as processes.ts sampleBursts), only its failure
 * times come from the biasing loop; `rng` draws the entity's marks (durations, burst offsets) and,
 * where the loop asks, its hazard budgets.
 */
import type { Rng } from '../core/index.js';
import type { Distribution } from '../model/distribution.js';
import type { Bursts, DomainLevel, FailureModel } from '../model/experiment.js';
import type { FailureSource, FaultSpec, NodeRef } from '../model/faults.js';
import type { ServerId } from '../model/ids.js';
import { isInitialVoter, type ServerSpec } from '../model/topology.js';
import { burstCrashes, FAILURE_PROCESS_TABLE } from './processes.js';
import { domains, draw, type FaultList, renewal, type SampleContext, server } from './sampling.js';

/** What an entity's failure produced: its faults in emission order, and when it is at risk again (integer µs). */
export interface EntityEvent {
  readonly faults: readonly FaultSpec[];
  readonly upAtUs: number;
}

export interface BiasEntity {
  /** the stream name, `bias:hostFailures:3`, `bias:bursts:az1`, … */
  readonly label: string;
  /** the entity's own stream: its events' marks (durations, burst offsets), and hazard budgets where the loop draws them here */
  readonly rng: Rng;
  /** natural hazard λ = 1 / mean up time, per µs */
  readonly rate: number;
  /** whether its faults can touch a voter (only these are biased) */
  readonly voterTouching: boolean;
  /** the entity's k-th event (k = 1, 2, …) starts at integer `atUs` */
  fail(atUs: number, k: number): EntityEvent;
}

/** One slice of the fault list, in sampleFaults' emission order: an unbiased sampler, or entities. */
export type BiasPart = { readonly exogenous: (out: FaultList) => void } | { readonly entities: readonly BiasEntity[] };

const DOMAIN_SOURCE: Readonly<Record<DomainLevel, FailureSource>> = { rack: 'rackOutages', zone: 'zoneOutages', region: 'regionOutages' };
const LAST_US = Number.MAX_SAFE_INTEGER;

/** Natural hazard of an exponential up time; null for any other distribution (not biasable). */
function hazard(d: Distribution): number | null {
  return d.dist === 'exponential' && d.mean > 0 ? 1 / d.mean : null;
}

/**
 * Whether a fault can take a voter down or cut it off: kill and isolate hit their server; crash
 * and wipe take the whole host (scenario/fault-kinds.ts), so any voter sharing it; a domain-down
 * any voter inside; a partition or one-way cut only when both sides hold a voter (so do a lossy
 * or slow link and a blackhole); a pause or a slow, stalled or full disk its server (it votes or
 * acknowledges late or never); a late start its server. A leader target
 * is always a voter; a maintenance step is judged by the server it names (voters come first).
 */
export function voterToucher(servers: readonly ServerSpec[]): (f: FaultSpec) => boolean {
  const voters = servers.filter(isInitialVoter);
  const voterIds = new Set(voters.map((s) => s.id));
  const voterHosts = new Set(voters.map((s) => s.host));
  const hostOf = new Map(servers.map((s) => [s.id, s.host]));
  const nodeTouches = (node: NodeRef, wholeHost: boolean): boolean => {
    if (node.kind === 'leader') return true;
    return wholeHost ? voterHosts.has(hostOf.get(node.id) ?? '') : voterIds.has(node.id);
  };
  const anyVoter = (ids: readonly ServerId[]): boolean => ids.some((id) => voterIds.has(id));
  return (f) => {
    switch (f.kind) {
      case 'kill':
      case 'isolate':
        return nodeTouches(f.node, false);
      case 'crash':
      case 'wipe':
        return nodeTouches(f.node, true);
      case 'domain-down':
        return voters.some((s) => s[f.level] === f.name);
      case 'partition':
        return anyVoter(f.groups[0]) && anyVoter(f.groups[1]);
      case 'oneway':
      case 'loss':
      case 'delay':
        return anyVoter(f.from) && anyVoter(f.to);
      case 'blackhole':
        return anyVoter(f.groups[0]) && anyVoter(f.groups[1]);
      // a paused voter, or one whose disk is slow, stalled or full, votes and acks late or never
      case 'pause':
      case 'slow-disk':
      case 'disk-full':
        return nodeTouches(f.node, false);
      case 'start':
        return voterIds.has(f.server);
      // a reconfig is an operator's act, not a failure: failure biasing never draws one
      case 'reconfig':
        return false;
      // a rolling-maintenance round restarts every voter in turn (biasing falls back to naive for it: montecarlo/method.ts)
      case 'maintenance':
        return true;
      // Byzantine kinds (zk/byzantine.ts) are scripted only: no failure process draws them
      case 'inflate-vote':
      case 'ack-unlogged':
      case 'flip-txn':
        return nodeTouches(f.node, false);
    }
  };
}

type Touches = (f: FaultSpec) => boolean;

/** An alternating-renewal entity: fails at rate λ, then is down for a `down` sample with one fault. */
function renewalEntity(rng: Rng, label: string, rate: number, down: Distribution, touches: Touches, fault: (atUs: number, durationUs: number) => FaultSpec): BiasEntity {
  const r = rng.fork(`bias:${label}`);
  return {
    label: `bias:${label}`,
    rng: r,
    rate,
    voterTouching: touches(fault(0, 1)),
    fail(atUs) {
      const durationUs = Math.min(draw(down, r), LAST_US - atUs);
      return { faults: [fault(atUs, durationUs)], upAtUs: atUs + durationUs };
    },
  };
}

/** Bursts of one zone as an entity: burst k draws the coins sampleBursts draws, in its order; busy for the window. */
function burstEntity(b: Bursts, zone: string, zoneHosts: readonly ServerSpec[], ctx: SampleContext, touches: Touches): BiasEntity {
  const { rng, horizonUs } = ctx;
  const crash = (h: ServerSpec, atUs: number, durationUs: number): FaultSpec => ({ kind: 'crash', node: server(h.id), atUs, durationUs, source: 'bursts' });
  return {
    label: `bias:bursts:${zone}`,
    rng: rng.fork(`bias:bursts:${zone}`),
    rate: hazard(b.every)!,
    voterTouching: zoneHosts.some((h) => touches(crash(h, 0, 1))),
    fail(t, k) {
      return { faults: burstCrashes(b, zone, zoneHosts, k, t, rng, horizonUs), upAtUs: t + b.windowUs };
    },
  };
}

/** domainOutages: each entry in file order, biasable entries as entities and the others sampled as today. */
function domainParts(f: FailureModel, ctx: SampleContext, touches: Touches): BiasPart[] {
  const { servers, rng, horizonUs } = ctx;
  return f.domainOutages.map((o, index): BiasPart => {
    const source = DOMAIN_SOURCE[o.level];
    const names = domains(servers, o.level);
    const label = (name: string): string => `domainOutages[${index}]:${o.level}:${name}`;
    const rate = hazard(o.every);
    if (rate === null) {
      return {
        exogenous: (out) => {
          for (const name of names) renewal(rng.fork(label(name)), o.every, o.duration, horizonUs, (atUs, durationUs) => out.add({ kind: 'domain-down', level: o.level, name, atUs, durationUs, source }));
        },
      };
    }
    return { entities: names.map((name) => renewalEntity(rng, label(name), rate, o.duration, touches, (atUs, durationUs) => ({ kind: 'domain-down', level: o.level, name, atUs, durationUs, source }))) };
  });
}

/** Zone pairs named by their sorted names, in the order zonePartitions walks them. */
function zonePairs(servers: readonly ServerSpec[]): { label: string; a: string; b: string }[] {
  const zones = domains(servers, 'zone');
  return zones.flatMap((a, i) => zones.slice(i + 1).map((b) => ({ label: a < b ? `${a}|${b}` : `${b}|${a}`, a, b })));
}

/** The entities of a process whose up time is exponential; null when it is exogenous (or domainOutages, handled per entry). */
function processEntities(field: string, f: FailureModel, ctx: SampleContext, touches: Touches): BiasEntity[] | null {
  const { servers, hosts, rng } = ctx;
  if (field === 'processRestarts' && f.processRestarts !== null) {
    const { every, downtime } = f.processRestarts;
    const rate = hazard(every);
    return rate === null ? null : servers.map((s) => renewalEntity(rng, `processRestarts:${s.id}`, rate, downtime, touches, (atUs, durationUs) => ({ kind: 'kill', node: server(s.id), atUs, durationUs, source: 'processRestarts' })));
  }
  if (field === 'hostFailures' && f.hostFailures !== null) {
    const { mttf, mttr } = f.hostFailures;
    const rate = hazard(mttf);
    return rate === null ? null : hosts.map((s) => renewalEntity(rng, `hostFailures:${s.id}`, rate, mttr, touches, (atUs, durationUs) => ({ kind: 'crash', node: server(s.id), atUs, durationUs, source: 'hostFailures' })));
  }
  if (field === 'diskLoss' && f.diskLoss !== null) {
    const { every, rebuild } = f.diskLoss;
    const rate = hazard(every);
    return rate === null ? null : servers.map((s) => renewalEntity(rng, `diskLoss:${s.id}`, rate, rebuild, touches, (atUs, durationUs) => ({ kind: 'wipe', node: server(s.id), atUs, durationUs, source: 'diskLoss' })));
  }
  if (field === 'bursts' && f.bursts !== null && hazard(f.bursts.every) !== null) {
    const b = f.bursts;
    return domains(servers, 'zone').map((zone) => burstEntity(b, zone, hosts.filter((h) => h.zone === zone), ctx, touches));
  }
  if (field === 'zonePartitions' && f.zonePartitions !== null) {
    const { every, duration } = f.zonePartitions;
    const rate = hazard(every);
    const members = (zone: string): ServerId[] => servers.filter((s) => s.zone === zone).map((s) => s.id);
    return rate === null ? null : zonePairs(servers).map(({ label, a, b }) => renewalEntity(rng, `zonePartitions:${label}`, rate, duration, touches, (atUs, durationUs) => ({ kind: 'partition', groups: [members(a), members(b)], atUs, durationUs, source: 'zonePartitions' })));
  }
  return null;
}

/**
 * The failure model as parts in FAILURE_PROCESS_TABLE order (so the fault list's tiebreak is
 * sampleFaults'): processes that are off give nothing, biasable ones their entities, the rest
 * their own sampler. `ctx.out` is unused: exogenous parts write into the list they are given.
 */
export function biasParts(f: FailureModel, ctx: SampleContext, touches: Touches): BiasPart[] {
  const parts: BiasPart[] = [];
  for (const p of FAILURE_PROCESS_TABLE) {
    if (p.sources(f).length === 0) continue;
    if (p.field === 'domainOutages') {
      parts.push(...domainParts(f, ctx, touches));
      continue;
    }
    const entities = processEntities(p.field, f, ctx, touches);
    parts.push(entities === null ? { exogenous: (out) => p.sample(f, { ...ctx, out }) } : { entities });
  }
  return parts;
}

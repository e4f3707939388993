/**
 * The pieces every failure process samples with (src/faults/processes.ts): bounded draws, the
 * alternating renewal loop, the capped fault list, and the topology's entities named by what they
 * are (server ids, host names, domain names), never by position.
 */
import { MAX_SAMPLED_FAULTS } from '../config/limits.js';
import { sample, SimulationLimitError, type Rng } from '../core/index.js';
import type { Distribution } from '../model/distribution.js';
import type { FaultSpec, NodeRef } from '../model/faults.js';
import type { ServerId } from '../model/ids.js';
import type { ServerSpec, Topology } from '../model/topology.js';

/** Largest single draw: keeps `t + draw` a safe integer for any sane horizon. */
const MAX_DRAW_US = 2 ** 52;

/** One duration in whole µs, at least 1 (a normal can draw negative values; a zero-length fault is meaningless). */
export function draw(d: Distribution, rng: Rng): number {
  const x = Math.round(sample(d, rng));
  if (!(x >= 1)) return 1; // also catches NaN
  return Math.min(x, MAX_DRAW_US);
}

export function server(id: ServerId): NodeRef {
  return { kind: 'server', id };
}

/**
 * Alternating renewal from "up" at t = 0: up for an `up` sample, then an event lasting a `down`
 * sample, and again. Calls `emit(atUs, durationUs)` for each event starting before the horizon.
 * Draw order per cycle is fixed (up, then down).
 */
export function renewal(rng: Rng, up: Distribution, down: Distribution, horizonUs: number, emit: (atUs: number, durationUs: number) => void): void {
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

export function byId(topology: Topology): ServerSpec[] {
  return [...topology.servers].sort((a, b) => a.id - b.id);
}

/** Distinct values of a placement field, in order of first appearance among servers by id. */
export function domains(servers: readonly ServerSpec[], field: 'rack' | 'zone' | 'region'): string[] {
  return [...new Set(servers.map((s) => s[field]))];
}

/**
 * One server per host, the host's lowest id: a crash takes the whole host down (the runner
 * crashes the target's host), so per-host processes are named after and aimed at that server.
 */
export function hostRepresentatives(servers: readonly ServerSpec[]): ServerSpec[] {
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

/** What a process samples against: the topology's entities, the trial's rng (fork it per entity), the horizon. */
export interface SampleContext {
  /** every server, ascending id */
  readonly servers: readonly ServerSpec[];
  /** one server per host, the host's lowest id */
  readonly hosts: readonly ServerSpec[];
  readonly rng: Rng;
  readonly horizonUs: number;
  readonly out: FaultList;
}

/**
 * The pieces every fault kind's parser shares (config/fault-kinds.ts): the `@T[+DUR]` timing,
 * server ids, `leader`, zones and member lists, and the one error type a parser throws. Pure; no I/O.
 */
import { DIMENSIONLESS_PARAMS, DISTRIBUTION_NAMES, DISTRIBUTION_PARAMS, type Distribution } from '../model/distribution.js';
import { formatDurationUs, parseDurationUs } from '../model/duration.js';
import type { NodeRef } from '../model/faults.js';
import type { ServerId } from '../model/ids.js';
import type { Topology } from '../model/topology.js';
import { didYouMean } from './suggest.js';
import { zonesOf } from './topology.js';
import { validateLatency } from './validate.js';
import { durationHint } from './yaml-reader.js';

/** Thrown by a kind's parser; `parseFault` turns it into `{ ok: false, error }`. */
export class FaultSyntaxError extends Error {}

/** Reject the fault text with `message` (which names the text and what was expected). */
export function fail(message: string): never {
  throw new FaultSyntaxError(message);
}

/** What a kind's parser is given besides its target text: the topology and the fault text, quoted for messages. */
export interface FaultParseContext {
  readonly topology: Topology;
  /** the whole fault text as a JSON string, for error messages */
  readonly quoted: string;
}

/** `10s` → `{ atUs }`; `10s+30s` → `{ atUs, durationUs }` (a repair duration must be positive). */
export function parseTiming(timing: string, quoted: string): { atUs: number; durationUs: number | null } {
  const plus = timing.indexOf('+');
  const timeText = plus < 0 ? timing : timing.slice(0, plus);
  const atUs = parseDurationUs(timeText);
  if (atUs === null) fail(`expected a time such as @10s, found "@${timeText}" in ${quoted}${durationHint(timeText)}`);
  if (plus < 0) return { atUs, durationUs: null };
  const durationText = timing.slice(plus + 1);
  const durationUs = parseDurationUs(durationText);
  if (durationUs === null || durationUs === 0) {
    fail(`expected a positive duration such as +30s, found "+${durationText}" in ${quoted}${durationHint(durationText)}`);
  }
  return { atUs, durationUs };
}

/** `@10s` or `@10s+30s`: the canonical timing text. */
export function formatTiming(atUs: number, durationUs: number | null): string {
  const repair = durationUs === null ? '' : `+${formatDurationUs(durationUs)}`;
  return `@${formatDurationUs(atUs)}${repair}`;
}

/** A server id or `leader`. */
export function parseNode(token: string, ctx: FaultParseContext): NodeRef {
  const trimmed = token.trim();
  if (trimmed === 'leader') return { kind: 'leader' };
  if (!/^\d+$/.test(trimmed)) fail(`expected a server id or "leader", found "${trimmed}" in ${ctx.quoted}`);
  return { kind: 'server', id: knownServer(Number(trimmed), ctx) };
}

/**
 * A fault target as text. A rolling-maintenance step has no `--fault` syntax (it is only sampled):
 * `maintenance#3(leader-last)` or, for `order: any`, `maintenance#3(4)` naming the server due.
 */
export function formatNode(node: NodeRef): string {
  if (node.kind === 'leader') return 'leader';
  if (node.kind === 'maintenance') return `maintenance#${node.round}(${node.order === 'leader-last' ? 'leader-last' : node.id})`;
  return String(node.id);
}

export function knownServer(id: number, ctx: FaultParseContext): ServerId {
  const ids = ctx.topology.servers.map((s) => s.id);
  if (!ids.includes(id)) fail(`unknown server ${id} in ${ctx.quoted} (servers are ${describeIds(ids)})`);
  return id;
}

/** `1..5` when contiguous, else `1, 3, 7`. */
function describeIds(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return 'none';
  const contiguous = sorted.length > 2 && sorted.every((id, i) => id === first + i);
  return contiguous ? `${first}..${last}` : sorted.join(', ');
}

export function parseZone(name: string, ctx: FaultParseContext): string {
  const zones = zonesOf(ctx.topology);
  if (!zones.includes(name)) {
    if (name === '') fail(`expected a zone name in ${ctx.quoted} (zones: ${zones.join(', ')})`);
    fail(`unknown zone ${name}${didYouMean(name, zones)} (zones: ${zones.join(', ')})`);
  }
  return name;
}

/** `1,az2,5` → ascending unique server ids, zones expanded. */
export function parseMembers(list: string, ctx: FaultParseContext): ServerId[] {
  const ids = new Set<ServerId>();
  for (const raw of list.split(',')) {
    const token = raw.trim();
    if (token === '') fail(`expected a server id or zone, found an empty member in ${ctx.quoted}`);
    if (/^\d+$/.test(token)) {
      ids.add(knownServer(Number(token), ctx));
    } else {
      const zone = parseZone(token, ctx);
      for (const s of ctx.topology.servers) if (s.zone === zone) ids.add(s.id);
    }
  }
  return [...ids].sort((a, b) => a - b);
}

/** `A>B` or `A|B`: two member lists split at `sep`, disjoint. `example` shows the syntax in errors. */
export function parseTwoSides(target: string, sep: string, example: string, clash: string, ctx: FaultParseContext): [ServerId[], ServerId[]] {
  const sides = target.split(sep);
  if (sides.length !== 2) fail(`${example}, in ${ctx.quoted}`);
  const a = parseMembers(sides[0] ?? '', ctx);
  const b = parseMembers(sides[1] ?? '', ctx);
  const shared = a.filter((id) => b.includes(id));
  if (shared.length > 0) fail(`server ${shared.join(', ')} ${clash} ${ctx.quoted}`);
  return [a, b];
}

/**
 * An fsync distribution written inline (slow-disk): `200ms` (constant), or `KIND(P1,P2)` with the
 * parameters of model/distribution.ts DISTRIBUTION_PARAMS in order, times with a unit and sigma /
 * shape plain numbers: `exponential(200ms)`, `lognormal(50ms,1.2)`, `uniform(100ms,2s)`. µs.
 */
export function parseInlineDistribution(text: string, ctx: FaultParseContext): Distribution {
  const expected = `expected a duration (200ms) or KIND(PARAMS) with KIND one of ${Object.keys(DISTRIBUTION_PARAMS).join(', ')}, found "${text}" in ${ctx.quoted}`;
  const call = /^([a-z]+)\((.*)\)$/.exec(text.trim());
  if (call === null) {
    const us = parseDurationUs(text);
    if (us === null || us === 0) fail(`${expected}${durationHint(text)}`);
    return { dist: 'constant', value: us };
  }
  const kind = DISTRIBUTION_NAMES[call[1] as string];
  if (kind === undefined) fail(expected);
  const names = DISTRIBUTION_PARAMS[kind];
  const args = (call[2] as string).split(',').map((a) => a.trim());
  if (args.length !== names.length) fail(`expected ${kind}(${names.join(',')}), found "${text}" in ${ctx.quoted}`);
  const out: Record<string, number | string> = { dist: kind };
  names.forEach((name, i) => {
    const arg = args[i] as string;
    const value = DIMENSIONLESS_PARAMS.has(name) ? (/^\d+(\.\d+)?$/.test(arg) ? Number(arg) : null) : parseDurationUs(arg);
    if (value === null || (value <= 0 && name !== 'min')) fail(`expected ${name} of ${kind} to be ${DIMENSIONLESS_PARAMS.has(name) ? 'a positive number' : 'a duration such as 200ms'}, found "${arg}" in ${ctx.quoted}`);
    out[name] = value;
  });
  const dist = out as unknown as Distribution;
  // the limits a topology's fsync meets (config/validate.ts): ordered bounds, a mean within a minute, representable tails
  validateLatency(dist, 'fsync', (_path, message) => fail(`fsync=${text.trim()}: ${message} in ${ctx.quoted}`));
  return dist;
}

/** The canonical text of an inline distribution: `parseInlineDistribution` gives it back. */
export function formatInlineDistribution(d: Distribution): string {
  if (d.dist === 'constant') return formatDurationUs(d.value);
  const values = d as unknown as Record<string, number>;
  const args = DISTRIBUTION_PARAMS[d.dist].map((name) => (DIMENSIONLESS_PARAMS.has(name) ? String(values[name]) : formatDurationUs(values[name] as number)));
  return `${d.dist}(${args.join(',')})`;
}

/** `30%` or `0.5%`: a loss percentage in (0, 100]. */
export function parsePercent(text: string, ctx: FaultParseContext): number {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  const percent = m === null ? null : Number(m[1]);
  if (percent === null || percent <= 0 || percent > 100) fail(`expected a loss percentage in (0, 100] such as 30%, found "${text.trim()}" in ${ctx.quoted}`);
  return percent;
}

/** `TARGET:PARAM` → [TARGET, PARAM], split at the last colon; `example` shows the syntax in the error. */
export function splitParam(target: string, example: string, ctx: FaultParseContext): [string, string] {
  const colon = target.lastIndexOf(':');
  if (colon < 0) fail(`${example}, in ${ctx.quoted}`);
  return [target.slice(0, colon), target.slice(colon + 1)];
}

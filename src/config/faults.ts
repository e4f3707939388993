/**
 * The `--fault` vocabulary, parsed against a topology (pure; no I/O).
 *
 *   kill:NODE@T[+DUR]        process killed, host up (peers see a reset after ~1 RTT)
 *   crash:NODE@T[+DUR]       host dies silently (peers notice through timeouts)
 *   isolate:NODE@T[+DUR]     every link of NODE cut, both directions
 *   partition:A,B|C,D@T[+DUR]  two sides; each member a server id or a zone (all its servers)
 *   oneway:A>B@T[+DUR]       messages from A to B dropped (A, B: comma lists of ids or zones)
 *   zone-down:ZONE@T[+DUR]   every server of ZONE crashes
 *
 * NODE is a server id or `leader` (whoever leads when the fault fires). T and DUR are durations
 * with a unit (`10s`, `1.5m`, `0s`); without `+DUR` the fault is never repaired.
 */
import { formatDurationUs, parseDurationUs } from '../model/duration.js';
import { durationHint } from './yaml-reader.js';
import type { FaultKind, FaultSpec, NodeRef } from '../model/faults.js';
import type { ServerId } from '../model/ids.js';
import type { Topology } from '../model/topology.js';
import { didYouMean } from './suggest.js';
import { zonesOf } from './topology.js';

export type ParseFaultResult = { readonly ok: true; readonly fault: FaultSpec } | { readonly ok: false; readonly error: string };

export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'crash', 'isolate', 'partition', 'oneway', 'zone-down', 'rack-down', 'region-down', 'wipe'];

/** Thrown only inside this module, turned into `{ ok: false }` by `parseFault`. */
class FaultSyntaxError extends Error {}

function fail(message: string): never {
  throw new FaultSyntaxError(message);
}

export function parseFault(text: string, topology: Topology): ParseFaultResult {
  try {
    return { ok: true, fault: parseOrThrow(text.trim(), topology) };
  } catch (e) {
    if (e instanceof FaultSyntaxError) return { ok: false, error: e.message };
    throw e;
  }
}

function parseOrThrow(text: string, topology: Topology): FaultSpec {
  const quoted = JSON.stringify(text);
  const colon = text.indexOf(':');
  if (colon < 0) fail(`missing KIND: in ${quoted} (expected e.g. kill:1@10s; kinds: ${FAULT_KINDS.join(', ')})`);
  const kindText = text.slice(0, colon);
  const kind = FAULT_KINDS.find((k) => k === kindText);
  if (kind === undefined) {
    fail(`unknown fault kind "${kindText}" in ${quoted}${didYouMean(kindText, FAULT_KINDS)} (kinds: ${FAULT_KINDS.join(', ')})`);
  }
  const rest = text.slice(colon + 1);
  const at = rest.lastIndexOf('@');
  if (at < 0) fail(`missing @TIME in ${quoted}`);
  const target = rest.slice(0, at);
  const { atUs, durationUs } = parseTiming(rest.slice(at + 1), quoted);
  const ctx: Context = { topology, quoted };
  switch (kind) {
    case 'kill':
    case 'crash':
    case 'isolate':
    case 'wipe':
      return { kind, node: parseNode(target, ctx), atUs, durationUs };
    case 'rack-down':
    case 'region-down': {
      const field = kind === 'rack-down' ? 'rack' : 'region';
      const name = target.trim();
      const known = [...new Set(topology.servers.map((s) => s[field]))];
      if (!known.includes(name)) fail(`unknown ${field} ${name} in ${quoted} (${field}s: ${known.join(', ')})`);
      return { kind, domain: name, atUs, durationUs };
    }
    case 'partition':
      return { kind, groups: parsePartition(target, ctx), atUs, durationUs };
    case 'oneway': {
      const { from, to } = parseOneway(target, ctx);
      return { kind, from, to, atUs, durationUs };
    }
    case 'zone-down':
      return { kind, zone: parseZone(target.trim(), ctx), atUs, durationUs };
  }
}

interface Context {
  readonly topology: Topology;
  readonly quoted: string;
}

function parseTiming(timing: string, quoted: string): { atUs: number; durationUs: number | null } {
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

function parseNode(token: string, ctx: Context): NodeRef {
  const trimmed = token.trim();
  if (trimmed === 'leader') return { kind: 'leader' };
  if (!/^\d+$/.test(trimmed)) fail(`expected a server id or "leader", found "${trimmed}" in ${ctx.quoted}`);
  return { kind: 'server', id: knownServer(Number(trimmed), ctx) };
}

function knownServer(id: number, ctx: Context): ServerId {
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

function parseZone(name: string, ctx: Context): string {
  const zones = zonesOf(ctx.topology);
  if (!zones.includes(name)) {
    if (name === '') fail(`expected a zone name in ${ctx.quoted} (zones: ${zones.join(', ')})`);
    fail(`unknown zone ${name}${didYouMean(name, zones)} (zones: ${zones.join(', ')})`);
  }
  return name;
}

/** `1,az2,5` → ascending unique server ids, zones expanded. */
function parseMembers(list: string, ctx: Context): ServerId[] {
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

function parsePartition(target: string, ctx: Context): readonly [ServerId[], ServerId[]] {
  const sides = target.split('|');
  if (sides.length !== 2) fail(`expected two groups separated by "|" (e.g. partition:1,2|3@10s), in ${ctx.quoted}`);
  const left = parseMembers(sides[0] ?? '', ctx);
  const right = parseMembers(sides[1] ?? '', ctx);
  const shared = left.filter((id) => right.includes(id));
  if (shared.length > 0) fail(`server ${shared.join(', ')} in both groups of ${ctx.quoted}`);
  return [left, right];
}

function parseOneway(target: string, ctx: Context): { from: ServerId[]; to: ServerId[] } {
  const sides = target.split('>');
  if (sides.length !== 2) fail(`expected FROM>TO (e.g. oneway:1>2,3@10s), in ${ctx.quoted}`);
  const from = parseMembers(sides[0] ?? '', ctx);
  const to = parseMembers(sides[1] ?? '', ctx);
  const shared = from.filter((id) => to.includes(id));
  if (shared.length > 0) fail(`server ${shared.join(', ')} on both sides of ${ctx.quoted}`);
  return { from, to };
}

/**
 * A fault target as text. A rolling-maintenance step has no `--fault` syntax (it is only sampled):
 * `maintenance#3(leader-last)` or, for `order: any`, `maintenance#3(4)` naming the server due.
 */
function formatNode(node: NodeRef): string {
  if (node.kind === 'leader') return 'leader';
  if (node.kind === 'maintenance') return `maintenance#${node.round}(${node.order === 'leader-last' ? 'leader-last' : node.id})`;
  return String(node.id);
}

/** The canonical text of a fault (zones shown expanded): `parseFault(formatFault(f))` gives f back. */
export function formatFault(fault: FaultSpec): string {
  const repair = fault.durationUs === null ? '' : `+${formatDurationUs(fault.durationUs)}`;
  const timing = `@${formatDurationUs(fault.atUs)}${repair}`;
  switch (fault.kind) {
    case 'kill':
    case 'crash':
    case 'isolate':
    case 'wipe':
      return `${fault.kind}:${formatNode(fault.node)}${timing}`;
    case 'rack-down':
    case 'region-down':
      return `${fault.kind}:${fault.domain}${timing}`;
    case 'partition':
      return `partition:${fault.groups[0].join(',')}|${fault.groups[1].join(',')}${timing}`;
    case 'oneway':
      return `oneway:${fault.from.join(',')}>${fault.to.join(',')}${timing}`;
    case 'zone-down':
      return `zone-down:${fault.zone}${timing}`;
  }
}

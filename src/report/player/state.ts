// report/player/state — the ensemble at any instant of a recorded run, folded from its events
// (pure: the page uses it, and so do the tests in Node).
import { EFFECT_STOPS_PROCESSES, type FaultEffect } from '../../model/events.js';
import type { RunEventJson } from '../run-json.js';
import type { PlayerData, PlayerMessage } from './data.js';
import type { CutLink, MessageInFlight, ServerRole, ServerState } from './view.js';

/** The ensemble after the events up to `atMs`. */
export interface PlayerFrame {
  readonly atMs: number;
  readonly servers: readonly ServerState[];
  readonly cuts: readonly CutLink[];
}

/** Write unavailability from `fromMs` to `toMs` (the run's end when it never came back). */
export interface OutageSpan {
  readonly fromMs: number;
  readonly toMs: number;
  readonly cause: string;
}

interface Mutable {
  role: ServerRole;
  epoch: number | null;
  paused: boolean;
  isolatedBy: Set<number>;
  member: boolean;
  voter: boolean;
}

/** A message in flight longer than this (ms) was held (a cut, a retransmission): kept in a list of its own. */
const LONG_FLIGHT_MS = 50;

const RESTARTS: ReadonlySet<string> = new Set(['restarted', 'host up', 'domain up']);

function applyFault(s: Mutable, e: Extract<RunEventJson, { type: 'faultApplied' }>): void {
  if (EFFECT_STOPS_PROCESSES[e.effect as FaultEffect]) s.role = 'DOWN';
  else if (e.effect === 'started') s.role = 'STARTING';
  else if (e.effect === 'paused') s.paused = true;
  else if (e.effect === 'isolated') s.isolatedBy.add(e.faultIndex);
}

function repairFault(s: Mutable, e: Extract<RunEventJson, { type: 'faultRepaired' }>): void {
  if (RESTARTS.has(e.effect) && s.role === 'DOWN') s.role = 'STARTING';
  else if (e.effect === 'resumed') s.paused = false;
  else if (e.effect === 'healed') s.isolatedBy.delete(e.faultIndex);
}

/** One event's effect on the servers it names (ServerState semantics: view.ts ServerRole). */
function fold(servers: Map<number, Mutable>, e: RunEventJson, activeCuts: Set<number>): void {
  const one = 'server' in e && typeof e.server === 'number' ? servers.get(e.server) : undefined;
  switch (e.type) {
    case 'looking':
      if (one) one.role = 'LOOKING';
      return;
    case 'roleDecided':
      if (one) one.role = e.role;
      return;
    case 'epochProposed':
    case 'established':
    case 'synced':
      if (one) one.epoch = e.epoch;
      return;
    case 'processStopped':
      if (one) {
        one.role = 'DOWN';
        one.paused = false;
      }
      return;
    case 'reconfigCommitted': {
      // the committed configuration names every member (QuorumPeer.processReconfig): the rest are learners outside it
      const roles = new Map(e.members.map((m) => [m.id, m.role]));
      for (const [id, s] of servers) {
        s.member = roles.has(id);
        if (s.member) s.voter = roles.get(id) !== 'observer';
      }
      return;
    }
    case 'faultApplied':
      if (e.effect === 'links cut') activeCuts.add(e.faultIndex);
      for (const id of e.servers) {
        const s = servers.get(id);
        if (s) applyFault(s, e);
      }
      return;
    case 'faultRepaired':
      if (e.effect === 'healed') activeCuts.delete(e.faultIndex);
      for (const id of e.servers) {
        const s = servers.get(id);
        if (s) repairFault(s, e);
      }
      return;
    default:
      return;
  }
}

/** The cut links of the active faults, one line per server pair (oneWay when only one direction is cut). */
function cutsOf(data: PlayerData, active: ReadonlySet<number>): CutLink[] {
  const directed = new Set<string>();
  for (const c of data.cuts) if (active.has(c.faultIndex)) for (const [a, b] of c.links) directed.add(`${a}>${b}`);
  const out: CutLink[] = [];
  for (const key of directed) {
    const [a, b] = key.split('>').map(Number) as [number, number];
    const back = directed.has(`${b}>${a}`);
    if (back && a > b) continue;
    out.push({ from: a, to: b, oneWay: !back });
  }
  return out;
}

function snapshot(atMs: number, servers: Map<number, Mutable>, cuts: CutLink[]): PlayerFrame {
  const list = [...servers.entries()].map(([id, s]) => ({ id, role: s.role, epoch: s.epoch, paused: s.paused, isolated: s.isolatedBy.size > 0, member: s.member, voter: s.voter }));
  return { atMs, servers: list, cuts };
}

/** Index of the last element with key ≤ t in an ascending array, or -1. */
export function lastAtOrBefore<T>(items: readonly T[], key: (x: T) => number, t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]!) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * A recorded run, ready to be shown at any instant: one frame after each instant with events
 * (so seeking is a binary search, whatever the run's length), the outages, and the messages in
 * flight in a window (the only messages drawn: windowed rendering).
 */
export class PlayerTimeline {
  readonly frames: readonly PlayerFrame[];
  readonly outages: readonly OutageSpan[];
  /** instants with events, ascending (step to next event) */
  readonly eventTimesMs: readonly number[];
  private readonly shortMessages: readonly PlayerMessage[];
  private readonly longMessages: readonly PlayerMessage[];

  constructor(readonly data: PlayerData) {
    const heldBack = new Set(data.events.flatMap((e) => (e.type === 'faultApplied' && e.effect === 'started' ? e.servers : [])));
    const servers = new Map<number, Mutable>(data.servers.map((s) => [s.id, { role: heldBack.has(s.id) ? 'DOWN' : 'STARTING', epoch: null, paused: false, isolatedBy: new Set<number>(), member: s.member !== false, voter: s.voter }]));
    const active = new Set<number>();
    const frames: PlayerFrame[] = [snapshot(Number.NEGATIVE_INFINITY, servers, [])];
    data.events.forEach((e, i) => {
      fold(servers, e, active);
      const next = data.events[i + 1];
      if (next === undefined || next.atMs !== e.atMs) frames.push(snapshot(e.atMs, servers, cutsOf(data, active)));
    });
    this.frames = frames;
    this.eventTimesMs = frames.slice(1).map((f) => f.atMs);
    this.outages = outagesOf(data.events, data.durationMs);
    this.shortMessages = data.messages.filter((m) => m.atMs - m.sentMs <= LONG_FLIGHT_MS);
    this.longMessages = data.messages.filter((m) => m.atMs - m.sentMs > LONG_FLIGHT_MS);
  }

  /** The ensemble as it stands at `tMs` (every event at or before it applied). */
  frameAt(tMs: number): PlayerFrame {
    return this.frames[Math.max(0, lastAtOrBefore(this.frames, (f) => f.atMs, tMs))]!;
  }

  /** The first instant with events strictly after `tMs`, or null. */
  nextEventAfter(tMs: number): number | null {
    return this.eventTimesMs[lastAtOrBefore(this.eventTimesMs, (t) => t, tMs) + 1] ?? null;
  }

  /**
   * The messages drawn at `tMs`. Each leaves at its (estimated) send instant and is drawn until its
   * delivery, or for `minFlightMs` when it took less (so a message that took microseconds stays
   * visible at slow playback: it is then drawn arriving after its delivery, never leaving before
   * its cause). Only the window's messages are visited: the short ones by binary search on their
   * send instant, the few long ones (held across a cut) from a list of their own.
   */
  messagesAt(tMs: number, minFlightMs: number): MessageInFlight[] {
    const out: MessageInFlight[] = [];
    const draw = (m: PlayerMessage): void => {
      const endMs = Math.max(m.atMs, m.sentMs + minFlightMs);
      if (m.sentMs <= tMs && tMs < endMs) out.push({ from: m.from, to: m.to, label: m.label, family: m.family, progress: (tMs - m.sentMs) / (endMs - m.sentMs) });
    };
    const short = this.shortMessages;
    const from = lastAtOrBefore(short, (m) => m.sentMs, tMs - Math.max(minFlightMs, LONG_FLIGHT_MS));
    for (let i = from + 1; i < short.length && short[i]!.sentMs <= tMs; i++) draw(short[i]!);
    for (const m of this.longMessages) draw(m);
    return out;
  }

  /** Whether writes are available at `tMs` (no outage span covers it). */
  writableAt(tMs: number): boolean {
    return !this.outages.some((o) => o.fromMs <= tMs && tMs < o.toMs);
  }
}

/** Write outages from the cluster events (a new cause while down starts a new span). */
export function outagesOf(events: readonly RunEventJson[], durationMs: number): OutageSpan[] {
  const spans: OutageSpan[] = [];
  let open: { fromMs: number; cause: string } | null = null;
  for (const e of events) {
    if (e.type === 'writesUnavailable') {
      if (open) spans.push({ ...open, toMs: e.atMs });
      open = { fromMs: e.atMs, cause: e.cause };
    } else if (e.type === 'writesAvailable' && open) {
      spans.push({ ...open, toMs: e.atMs });
      open = null;
    }
  }
  if (open) spans.push({ ...open, toMs: durationMs });
  return spans.filter((s) => s.toMs > s.fromMs);
}

// playground/actions — what the user did, when (virtual time), as the `--fault` specs of `zksim run`.
import { formatDurationUs } from '../config/index.js';
import type { PlaygroundLayout } from './layout.js';

/**
 * One click, at a virtual instant (µs, a whole number of ms so a share link and a `--fault` spec
 * carry it exactly).
 * - kill / pause / isolate a server (`node`): the `kill:`, `pause:` and `isolate:` faults of
 *   config/fault-kinds.ts, held until a `restart` of that server;
 * - restart: ends whatever kill, pause or isolation holds `node` (a killed process then starts
 *   afresh, as `kill:N@T+DUR`; a paused one resumes; an isolated one gets its links back);
 * - cut: the links between two groups of zones cut (`partition:az1|az2@T`), until a `heal`;
 * - heal: every open cut ends.
 */
export type PlaygroundAction =
  | { readonly kind: 'kill' | 'pause' | 'isolate' | 'restart'; readonly atUs: number; readonly node: number }
  | { readonly kind: 'cut'; readonly atUs: number; readonly sides: readonly [readonly string[], readonly string[]] }
  | { readonly kind: 'heal'; readonly atUs: number };

export type HoldKind = 'kill' | 'pause' | 'isolate';

interface OpenFault {
  readonly text: string;
  readonly atUs: number;
}

/** What holds each server and which cuts are open after `actions` (replayed in order). */
export interface HeldState {
  /** server id → its open kill, pause or isolation */
  readonly held: ReadonlyMap<number, HoldKind>;
  /** the open cuts, as their `partition:` targets */
  readonly cuts: readonly (readonly [readonly string[], readonly string[]])[];
}

const US_PER_MS = 1000;

/**
 * The actions as `--fault` specs, in the order they fired: a fault still open has no `+DUR`
 * (never repaired), a closed one lasts until the action that ended it.
 * @throws RangeError when an action does not apply (restart of a server nothing holds, a second
 *   hold on a held server, a heal with no cut, times going backwards or not whole ms)
 */
export function faultTexts(actions: readonly PlaygroundAction[]): string[] {
  return replay(actions).texts;
}

/** Which servers are held and which cuts open once `actions` have happened. @throws RangeError as faultTexts */
export function heldState(actions: readonly PlaygroundAction[]): HeldState {
  const r = replay(actions);
  return { held: r.held, cuts: r.cuts };
}

function replay(actions: readonly PlaygroundAction[]): { texts: string[]; held: Map<number, HoldKind>; cuts: (readonly [readonly string[], readonly string[]])[] } {
  const slots: { open: OpenFault | null; text: string }[] = [];
  const holds = new Map<number, { kind: HoldKind; slot: number }>();
  const cuts: { sides: readonly [readonly string[], readonly string[]]; slot: number }[] = [];
  const close = (slot: number, atUs: number): void => {
    const s = slots[slot] as { open: OpenFault | null; text: string };
    const open = s.open as OpenFault;
    if (atUs <= open.atUs) throw new RangeError(`an action ends ${open.text} at the instant it began; let virtual time advance first`);
    s.text = `${open.text}+${formatDurationUs(atUs - open.atUs)}`;
    s.open = null;
  };
  let lastUs = 0;
  for (const a of actions) {
    if (!Number.isSafeInteger(a.atUs) || a.atUs < lastUs || a.atUs % US_PER_MS !== 0) throw new RangeError(`action ${a.kind} at ${a.atUs} µs: expected whole milliseconds, not before the previous action`);
    lastUs = a.atUs;
    const at = formatDurationUs(a.atUs);
    if (a.kind === 'restart') {
      const h = holds.get(a.node);
      if (h === undefined) throw new RangeError(`restart ${a.node}: nothing holds server ${a.node}`);
      close(h.slot, a.atUs);
      holds.delete(a.node);
    } else if (a.kind === 'heal') {
      if (cuts.length === 0) throw new RangeError('heal: there is no cut to heal');
      for (const c of cuts.splice(0)) close(c.slot, a.atUs);
    } else if (a.kind === 'cut') {
      const problem = cutProblem(a.sides);
      if (problem !== null) throw new RangeError(problem);
      const text = `partition:${a.sides[0].join(',')}|${a.sides[1].join(',')}@${at}`;
      cuts.push({ sides: a.sides, slot: slots.push({ open: { text, atUs: a.atUs }, text }) - 1 });
    } else {
      if (holds.has(a.node)) throw new RangeError(`${a.kind} ${a.node}: server ${a.node} is already ${holds.get(a.node)?.kind}ed; restart it first`);
      const text = `${a.kind}:${a.node}@${at}`;
      holds.set(a.node, { kind: a.kind, slot: slots.push({ open: { text, atUs: a.atUs }, text }) - 1 });
    }
  }
  const held = new Map([...holds].map(([id, h]) => [id, h.kind] as const));
  return { texts: slots.map((s) => s.text), held, cuts: cuts.map((c) => c.sides) };
}

/**
 * Why a cut between these two groups of zones cannot be made, or null: each side needs a zone, and
 * no zone may be on both sides (a zone cut from itself severs nothing: `partition:` wants two
 * disjoint groups, config/fault-kinds.ts).
 */
export function cutProblem(sides: readonly [readonly string[], readonly string[]]): string | null {
  if (sides[0].length === 0 || sides[1].length === 0) return 'cut: each side needs at least one zone';
  const both = sides[0].filter((z) => sides[1].includes(z));
  return both.length === 0 ? null : `cut: zone ${both.join(', ')} is on both sides; a zone cannot be cut from itself (pick two different zones)`;
}

/**
 * The `zksim run` command line that replays the same run up to `untilUs` (the topology written by
 * topologyYaml to `topologyFile`): same seed, writes and faults give the same events (the
 * playground runs scenario/trial.ts as `run` does, with its client-event limit).
 */
export function runCommand(topologyFile: string, layout: PlaygroundLayout, seed: string, actions: readonly PlaygroundAction[], untilUs: number): string {
  const lastUs = actions.length > 0 ? (actions[actions.length - 1] as PlaygroundAction).atUs : 0;
  // `run` refuses a fault at or after the end of the run: end at least 1 ms after the last action.
  const endUs = Math.max(Math.ceil(untilUs / US_PER_MS) * US_PER_MS, lastUs + US_PER_MS);
  const parts = ['zksim run', topologyFile, `--seed ${shellWord(seed)}`, `--duration ${formatDurationUs(endUs)}`];
  if (layout.writesPerSec > 0) parts.push(`--writes ${layout.writesPerSec}`);
  for (const f of faultTexts(actions)) parts.push(`--fault '${f}'`);
  return parts.join(' ');
}

function shellWord(s: string): string {
  return /^[\w.-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

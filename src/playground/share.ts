// playground/share — a run as a URL hash: layout, seed, actions with their virtual times, and the
// instant on screen. Opening the link replays the same run (session.ts) to the same instant.
import { seedProblem } from '../config/limits.js';
import type { PlaygroundAction } from './actions.js';
import { layoutProblem, type PlaygroundLayout } from './layout.js';
import type { PlaygroundRun } from './session.js';

/**
 * `#v1;l=V.Z.O;w=W;s=SEED;t=MS;a=ACTION,ACTION…` where V voters, Z zones, O observers, W writes/s,
 * SEED percent-encoded, MS the virtual instant shown (ms), and each action `<code><target>@<ms>`:
 * `k3@12000` kill 3, `p3@…` pause, `i3@…` isolate, `r3@…` restart, `c1.23@…` cut az1 | az2,az3,
 * `h@…` heal. Times are whole ms (actions are recorded at ms precision).
 */
export interface ShareState {
  readonly run: PlaygroundRun;
  /** the instant to replay to, µs */
  readonly atUs: number;
}

const CODE: Readonly<Record<'kill' | 'pause' | 'isolate' | 'restart', string>> = { kill: 'k', pause: 'p', isolate: 'i', restart: 'r' };
const KIND_OF: Readonly<Record<string, 'kill' | 'pause' | 'isolate' | 'restart'>> = { k: 'kill', p: 'pause', i: 'isolate', r: 'restart' };

function zoneDigits(zones: readonly string[]): string {
  return zones.map((z) => z.replace(/^az/, '')).join('');
}

function actionCode(a: PlaygroundAction): string {
  const ms = a.atUs / 1000;
  if (a.kind === 'heal') return `h@${ms}`;
  if (a.kind === 'cut') return `c${zoneDigits(a.sides[0])}.${zoneDigits(a.sides[1])}@${ms}`;
  return `${CODE[a.kind]}${a.node}@${ms}`;
}

/** The hash (with its leading '#') for this run shown at `atUs`. */
export function encodeShare(s: ShareState): string {
  const l = s.run.layout;
  const parts = ['v1', `l=${l.voters}.${l.zones}.${l.observers}`, `w=${l.writesPerSec}`, `s=${encodeURIComponent(s.run.seed)}`, `t=${Math.floor(s.atUs / 1000)}`];
  if (s.run.actions.length > 0) parts.push(`a=${s.run.actions.map(actionCode).join(',')}`);
  return `#${parts.join(';')}`;
}

function parseAction(text: string): PlaygroundAction | string {
  const m = /^([kpirh]|c(\d+)\.(\d+))(\d*)@(\d+)$/.exec(text);
  if (m === null) return `action '${text}': expected <k|p|i|r><server>@<ms>, c<zones>.<zones>@<ms> or h@<ms>`;
  const atUs = Number(m[5]) * 1000;
  if (!Number.isSafeInteger(atUs)) return `action '${text}': time out of range`;
  const code = m[1] as string;
  if (code === 'h') return m[4] === '' ? { kind: 'heal', atUs } : `action '${text}': h takes no server`;
  if (code.startsWith('c')) {
    const side = (d: string): string[] => [...d].map((c) => `az${c}`);
    return { kind: 'cut', atUs, sides: [side(m[2] as string), side(m[3] as string)] };
  }
  if (m[4] === '') return `action '${text}': ${KIND_OF[code]} needs a server id`;
  return { kind: KIND_OF[code] as 'kill', atUs, node: Number(m[4]) };
}

function parseLayout(text: string | undefined, writes: string | undefined): PlaygroundLayout | string {
  const nums = (text ?? '').split('.').map(Number);
  if (text === undefined || nums.length !== 3 || nums.some((n) => !Number.isFinite(n))) return `l=${text ?? ''}: expected voters.zones.observers, e.g. l=3.3.0`;
  const writesPerSec = Number(writes ?? '0');
  if (writes !== undefined && (writes.trim() === '' || !Number.isFinite(writesPerSec))) return `w=${writes}: expected client writes per second, e.g. w=2`;
  const [voters, zones, observers] = nums as [number, number, number];
  const layout = { voters, zones, observers, writesPerSec };
  const problem = layoutProblem(layout);
  return problem === null ? layout : `${problem.startsWith('writes') ? `w=${writes ?? ''}` : `l=${text}`}: ${problem}`;
}

/**
 * The run a hash describes, or what is wrong with it (field and what was expected). Whether the
 * actions apply to the layout (servers and zones that exist, a restart of a held server) is the
 * session's to say (PlaygroundSession's constructor throws a RangeError naming the action).
 */
export function decodeShare(hash: string): { ok: true; state: ShareState } | { ok: false; error: string } {
  const fields = new Map<string, string>();
  const [version, ...rest] = hash.replace(/^#/, '').split(';');
  if (version !== 'v1') return { ok: false, error: `share link: expected it to start with #v1, found '#${version ?? ''}'` };
  for (const f of rest) {
    const eq = f.indexOf('=');
    if (eq < 0) return { ok: false, error: `share link: '${f}' is not key=value` };
    fields.set(f.slice(0, eq), f.slice(eq + 1));
  }
  const layout = parseLayout(fields.get('l'), fields.get('w'));
  if (typeof layout === 'string') return { ok: false, error: `share link: ${layout}` };
  const t = Number(fields.get('t') ?? '0');
  if (!Number.isSafeInteger(t) || t < 0) return { ok: false, error: `share link: t=${fields.get('t') ?? ''}: expected a whole number of ms` };
  let seed: string;
  try {
    seed = decodeURIComponent(fields.get('s') ?? '1');
  } catch {
    return { ok: false, error: 'share link: s= is not percent-encoded text' };
  }
  const badSeed = seedProblem(seed);
  if (badSeed !== null) return { ok: false, error: `share link: s=${fields.get('s') ?? ''}: ${badSeed}` };
  const actions: PlaygroundAction[] = [];
  for (const text of (fields.get('a') ?? '').split(',').filter((x) => x !== '')) {
    const a = parseAction(text);
    if (typeof a === 'string') return { ok: false, error: `share link: ${a}` };
    actions.push(a);
  }
  return { ok: true, state: { run: { layout, seed, actions }, atUs: t * 1000 } };
}

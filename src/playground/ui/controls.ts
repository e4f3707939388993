/// <reference lib="dom" />
// playground/ui/controls — the control panels' markup: layout picker, clock, server actions, cuts.
import { seedProblem } from '../../config/limits.js';
import { LAYOUT_LIMITS, type PlaygroundLayout } from '../layout.js';
import { button, h, numberSelect, textInput } from './dom.js';

/** Virtual seconds per real second. */
export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 30] as const;

export interface ControlHandlers {
  readonly newRun: (layout: PlaygroundLayout, seed: string) => void;
  readonly togglePlay: () => void;
  readonly step: (us: number) => void;
  readonly serverAction: (kind: 'kill' | 'pause' | 'isolate' | 'restart') => void;
  /** a server picked from the list (the keyboard's way to click a server); null for none */
  readonly pick: (id: number | null) => void;
  readonly cut: (a: string, b: string) => void;
  readonly heal: () => void;
}

export interface Controls {
  readonly layoutPanel: HTMLElement;
  readonly clockPanel: HTMLElement;
  readonly actionPanel: HTMLElement;
  readonly clock: HTMLElement;
  readonly play: HTMLButtonElement;
  readonly speed: HTMLSelectElement;
  readonly selected: HTMLElement;
  readonly serverSelect: HTMLSelectElement;
  readonly actions: Readonly<Record<'kill' | 'pause' | 'isolate' | 'restart', HTMLButtonElement>>;
  readonly cutA: HTMLSelectElement;
  readonly cutB: HTMLSelectElement;
  readonly heal: HTMLButtonElement;
  readonly error: HTMLElement;
}

/** What is wrong with the typed writes/s and seed (as `zksim playground --writes` and `zksim run --seed` check them), or null. */
export function newRunProblem(writes: string, seed: string): string | null {
  const [lo, hi] = LAYOUT_LIMITS.writesPerSec;
  const rate = Number(writes);
  if (writes.trim() === '' || !Number.isFinite(rate) || rate < lo || rate > hi) return `client writes/s ${JSON.stringify(writes)}: expected a rate from ${lo} to ${hi} per second`;
  const bad = seedProblem(seed);
  return bad === null ? null : `seed ${JSON.stringify(seed)}: ${bad}`;
}

/** Layout picker: voters, zones, observers, writes/s, seed, and a button that starts a new run. */
function layoutPanel(layout: PlaygroundLayout, seed: string, on: ControlHandlers, error: HTMLElement): HTMLElement {
  const voters = numberSelect('voters', 'voters', LAYOUT_LIMITS.voters[0], LAYOUT_LIMITS.voters[1], layout.voters);
  const zones = numberSelect('zones', 'zones', LAYOUT_LIMITS.zones[0], LAYOUT_LIMITS.zones[1], layout.zones);
  const observers = numberSelect('observers', 'observers', LAYOUT_LIMITS.observers[0], LAYOUT_LIMITS.observers[1], layout.observers);
  const writes = textInput('client writes/s', 'writes', String(layout.writesPerSec), 4);
  const seedInput = textInput('seed', 'seed', seed, 8);
  const start = button('New run', 'new-run', () => {
    const problem = newRunProblem(writes.input.value, seedInput.input.value.trim());
    if (problem !== null) {
      error.textContent = problem;
      return;
    }
    const l = { voters: Number(voters.select.value), zones: Number(zones.select.value), observers: Number(observers.select.value), writesPerSec: Number(writes.input.value) };
    on.newRun(l, seedInput.input.value.trim());
  });
  return h('section', { id: 'layout', class: 'panel row' }, voters.wrap, zones.wrap, observers.wrap, writes.wrap, seedInput.wrap, start);
}

/** Builds every control; the app keeps the returned elements to update them. */
export function buildControls(layout: PlaygroundLayout, seed: string, zones: readonly string[], servers: readonly number[], on: ControlHandlers): Controls {
  const error = h('p', { id: 'error', class: 'error', role: 'alert' });
  const clock = h('span', { id: 'clock', class: 'clock' }, 't = 0.000 s');
  const play = button('Pause', 'play', on.togglePlay);
  const speed = h('select', { id: 'speed', 'aria-label': 'speed' });
  for (const s of SPEEDS) speed.append(h('option', { value: String(s) }, `${s}× (virtual s per s)`));
  speed.value = '2';
  const clockPanel = h('section', { id: 'clock-panel', class: 'panel row' }, clock, play, speed, button('+1 s', 'step-1s', () => on.step(1_000_000)), button('+10 s', 'step-10s', () => on.step(10_000_000)));
  const actions = {
    kill: button('kill', 'act-kill', () => on.serverAction('kill')),
    pause: button('pause (GC)', 'act-pause', () => on.serverAction('pause')),
    isolate: button('isolate', 'act-isolate', () => on.serverAction('isolate')),
    restart: button('restart', 'act-restart', () => on.serverAction('restart')),
  };
  const selected = h('span', { id: 'selected' }, 'Click a server to act on it.');
  const serverSelect = h('select', { id: 'server-select', 'aria-label': 'server' }, h('option', { value: '' }, 'server…'));
  for (const id of servers) serverSelect.append(h('option', { value: String(id) }, `server ${id}`));
  serverSelect.addEventListener('change', () => on.pick(serverSelect.value === '' ? null : Number(serverSelect.value)));
  const zoneSelect = (id: string, value: string): HTMLSelectElement => {
    const s = h('select', { id, 'aria-label': id });
    for (const z of zones) s.append(h('option', { value: z }, z));
    s.value = value;
    return s;
  };
  const cutA = zoneSelect('cut-a', zones[0] ?? 'az1');
  const cutB = zoneSelect('cut-b', zones[1] ?? zones[0] ?? 'az1');
  const heal = button('heal all cuts', 'heal', on.heal);
  const cut = button('cut', 'cut', () => on.cut(cutA.value, cutB.value));
  // a zone cannot be cut from itself (actions.ts cutProblem): with one zone there is nothing to cut
  const sameZone = (): void => {
    cut.disabled = cutA.value === cutB.value;
    cut.title = cut.disabled ? 'pick two different zones' : '';
  };
  cutA.addEventListener('change', sameZone);
  cutB.addEventListener('change', sameZone);
  sameZone();
  const cutRow = h('div', { class: 'row' }, 'Cut zone ', cutA, ' from ', cutB, cut, heal, h('span', { class: 'hint' }, ' (or drag from one zone to another)'));
  const actionPanel = h('section', { id: 'actions', class: 'panel' }, h('div', { class: 'row' }, serverSelect, selected, actions.kill, actions.pause, actions.isolate, actions.restart), cutRow);
  return { layoutPanel: layoutPanel(layout, seed, on, error), clockPanel, actionPanel, clock, play, speed, selected, serverSelect, actions, cutA, cutB, heal, error };
}

/// <reference lib="dom" />
// report/player/ui — player.html's controls: clock, play / pause / speed / step, time slider,
// event list and the write-availability strip, around the ensemble drawn by view.ts.
import type { PlayerData } from './data.js';
import type { PlayerTimeline } from './state.js';
import { ClusterView, clusterLegend } from './view.js';

/** Playback speeds: simulated time per second of playback (1 = real time). */
export const SPEEDS: readonly number[] = [0.001, 0.01, 0.05, 0.2, 1, 10, 100];
const DEFAULT_SPEED = 0.05;
/** A message stays on screen at least this much playback time (ms). */
const FLIGHT_PLAYBACK_MS = 400;

const OUTAGE_COLOURS: Readonly<Record<string, string>> = {
  quorumLost: '#7f1d1d',
  partitioned: '#b91c1c',
  leaderIsolated: '#f97316',
  electing: '#ef4444',
  syncing: '#fbbf24',
};

function h<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, parent: Element, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  parent.appendChild(node);
  return node;
}

/** "12.345 s" or "1 min 02.345 s": simulated time for the clock. */
export function clockText(tMs: number): string {
  const s = Math.max(0, tMs) / 1000;
  const min = Math.floor(s / 60);
  const rest = (s - min * 60).toFixed(3).padStart(6, '0');
  return min > 0 ? `${min} min ${rest} s` : `${s.toFixed(3)} s`;
}

function speedText(v: number): string {
  return `${v}×`;
}

interface Controls {
  readonly play: HTMLButtonElement;
  readonly step: HTMLButtonElement;
  readonly speed: HTMLSelectElement;
  readonly slider: HTMLInputElement;
  readonly clock: HTMLElement;
  readonly status: HTMLElement;
}

function buildControls(root: Element, durationMs: number): Controls {
  const bar = h('div', 'controls', root);
  const play = h('button', 'play', bar, 'Play');
  play.type = 'button';
  const step = h('button', 'step', bar, 'Next event ▸');
  step.type = 'button';
  const label = h('label', 'speed-label', bar, 'speed ');
  const speed = h('select', 'speed', label);
  for (const v of SPEEDS) {
    const o = h('option', '', speed, speedText(v));
    o.value = String(v);
    if (v === DEFAULT_SPEED) o.selected = true;
  }
  const clock = h('span', 'clock', bar);
  clock.id = 'clock';
  const slider = h('input', 'slider', root);
  slider.type = 'range';
  slider.min = '0';
  slider.max = String(durationMs);
  slider.step = 'any';
  slider.value = '0';
  slider.setAttribute('aria-label', 'simulated time');
  const status = h('p', 'status', root);
  return { play, step, speed, slider, clock, status };
}

function buildLegend(root: Element, data: PlayerData): void {
  const c = data.messageCounts;
  clusterLegend(root, (family) => `${family} messages${c.kept[family] < c.delivered[family] ? `, ${c.kept[family]} of ${c.delivered[family]} drawn` : ''}`);
}

/** The strip under the picture: write outages coloured by cause, a playhead; click to seek. */
function buildStrip(root: Element, timeline: PlayerTimeline, seek: (tMs: number) => void): (tMs: number) => void {
  const wrap = h('div', 'strip-wrap', root);
  h('div', 'strip-title', wrap, 'write availability (green: writes commit; other colours: unavailable, by cause)');
  const strip = h('div', 'strip', wrap);
  strip.id = 'availability-strip';
  const dur = timeline.data.durationMs;
  for (const o of timeline.outages) {
    const span = h('div', 'outage', strip);
    span.style.left = `${(100 * o.fromMs) / dur}%`;
    span.style.width = `max(2px, ${(100 * (o.toMs - o.fromMs)) / dur}%)`;
    span.style.background = OUTAGE_COLOURS[o.cause] ?? '#ef4444';
    span.title = `${o.cause}: ${clockText(o.fromMs)} → ${clockText(o.toMs)}`;
    span.dataset.cause = o.cause;
  }
  const head = h('div', 'playhead', strip);
  strip.addEventListener('click', (ev) => {
    const box = strip.getBoundingClientRect();
    seek(((ev.clientX - box.left) / box.width) * dur);
  });
  const causes = h('div', 'strip-legend', wrap);
  for (const [cause, colour] of Object.entries(OUTAGE_COLOURS)) {
    const item = h('span', 'item', causes);
    h('span', 'swatch', item).style.background = colour;
    item.append(cause);
  }
  return (tMs) => {
    head.style.left = `${(100 * tMs) / dur}%`;
  };
}

/** The event list; clicking an entry jumps there. Returns the highlighter. */
function buildEventList(root: Element, data: PlayerData, seek: (tMs: number) => void): (tMs: number) => void {
  h('h2', '', root, 'Events');
  const list = h('ol', 'events', root);
  list.id = 'event-list';
  const items = data.timeline.map((entry) => {
    const li = h('li', '', list);
    li.dataset.atMs = String(entry.atMs);
    h('span', 'at', li, clockText(entry.atMs));
    h('span', 'who', li, typeof entry.who === 'number' ? `server ${entry.who}` : entry.who);
    h('span', 'what', li, entry.what);
    li.addEventListener('click', () => seek(entry.atMs));
    return li;
  });
  let current: HTMLLIElement | null = null;
  return (tMs) => {
    let idx = -1;
    for (let lo = 0, hi = data.timeline.length; lo < hi; ) {
      const mid = (lo + hi) >>> 1;
      if (data.timeline[mid]!.atMs <= tMs) lo = mid + 1;
      else hi = mid;
      idx = lo - 1;
    }
    const next = items[idx] ?? null;
    if (next === current) return;
    current?.classList.remove('current');
    next?.classList.add('current');
    current = next;
    if (next) list.scrollTop = Math.max(0, next.offsetTop - list.clientHeight / 2);
  };
}

/** `#t=MS` in the URL: the instant to show (ms), or null. */
function hashTimeMs(): number | null {
  const m = /(?:^#|&)t=([0-9.]+)/.exec(location.hash);
  return m ? Number(m[1]) : null;
}

/** The public handle of the page (window.zksimPlayer), used by the browser test. */
export interface PlayerHandle {
  seek(tMs: number): void;
  readonly timeMs: () => number;
}

/**
 * Builds the player into `root` and starts its animation loop. Time moves only while playing, by
 * the requestAnimationFrame timestamps times the speed; `#t=MS` in the URL seeks there, paused.
 */
export function mountPlayer(root: HTMLElement, timeline: PlayerTimeline): PlayerHandle {
  const data = timeline.data;
  h('h1', '', root, data.title);
  h('p', 'meta', root, data.subtitle);
  const c = buildControls(root, data.durationMs);
  const stage = h('div', 'stage', root);
  const view = new ClusterView(stage, data.servers);
  buildLegend(root, data);
  let tMs = 0;
  let playing = false;
  let speed = DEFAULT_SPEED;
  let lastFrame: number | null = null;
  const render = (): void => {
    const frame = timeline.frameAt(tMs);
    const messages = timeline.messagesAt(tMs, FLIGHT_PLAYBACK_MS * speed);
    view.draw({ servers: frame.servers, cuts: frame.cuts, messages });
    c.clock.textContent = `t = ${clockText(tMs)} of ${clockText(data.durationMs)} · writes ${timeline.writableAt(tMs) ? 'available' : 'unavailable'}`;
    c.clock.dataset.timeMs = String(tMs);
    c.slider.value = String(tMs);
    c.status.textContent = messages.length > 0 ? `${messages.length} message${messages.length === 1 ? '' : 's'} in flight${view.lastDropped > 0 ? ` (${view.lastDropped} not drawn)` : ''}` : '';
    moveHead(tMs);
    highlight(tMs);
  };
  const seek = (t: number): void => {
    tMs = Math.min(data.durationMs, Math.max(0, t));
    render();
  };
  const setPlaying = (on: boolean): void => {
    playing = on;
    lastFrame = null;
    c.play.textContent = on ? 'Pause' : 'Play';
  };
  const moveHead = buildStrip(root, timeline, (t) => seek(t));
  const highlight = buildEventList(root, data, (t) => {
    setPlaying(false);
    seek(t);
  });
  // Play at the end starts over
  c.play.addEventListener('click', () => void (!playing && tMs >= data.durationMs && seek(0), setPlaying(!playing)));
  c.step.addEventListener('click', () => {
    setPlaying(false);
    const next = timeline.nextEventAfter(tMs);
    if (next !== null) seek(next);
  });
  c.speed.addEventListener('change', () => {
    speed = Number(c.speed.value);
    render();
  });
  c.slider.addEventListener('input', () => seek(Number(c.slider.value)));
  const tick = (now: number): void => {
    if (playing) {
      if (lastFrame !== null) seek(tMs + (now - lastFrame) * speed);
      lastFrame = now;
      if (tMs >= data.durationMs) setPlaying(false);
    }
    requestAnimationFrame(tick);
  };
  const fromHash = (): void => {
    const t = hashTimeMs();
    if (t !== null) {
      setPlaying(false);
      seek(t);
    }
  };
  window.addEventListener('hashchange', fromHash);
  seek(0);
  fromHash();
  requestAnimationFrame(tick);
  return { seek, timeMs: () => tMs };
}

/// <reference lib="dom" />
// playground/ui/app — the page: a PlaygroundSession stepped by requestAnimationFrame (the kernel
// itself never waits: each frame calls Trial.advanceTo), drawn by report/player/view.ts.
import { formatSecondsFixed } from '../../model/index.js';
import { formatEvent } from '../../observe/format.js';
import { ClusterView, clusterLegend, type ClusterFrame, type CutLink, type MessageInFlight } from '../../report/player/view.js';
import { runCommand, type PlaygroundAction } from '../actions.js';
import { DEFAULT_LAYOUT, layoutName, topologyYaml, type PlaygroundLayout } from '../layout.js';
import { PLAYGROUND_HORIZON_US, PlaygroundSession, type PlaygroundRun } from '../session.js';
import { decodeShare, encodeShare } from '../share.js';
import { AvailabilityPanel } from './availability-panel.js';
import { buildControls, type Controls } from './controls.js';
import { h } from './dom.js';

/** Real seconds a delivered message stays on screen, travelling from sender to receiver (delays are sub-ms: drawn slowed down). */
const MESSAGE_SHOW_S = 0.4;
const LOG_LINES = 40;
const CLIENT_EVENTS: ReadonlySet<string> = new Set(['writeIssued', 'writeCommitted', 'writeFailed', 'readServed', 'readFailed']);

/** The run the page was written with (cli/commands/playground.ts's data block), as a share hash. */
function startHash(): string {
  const text = document.getElementById('playground-start')?.textContent;
  return text ? (JSON.parse(text) as string) : '#v1';
}

/** What the picture leaves out or bends, said once under it (as player.html's "How to read it"). */
function simplifies(): HTMLElement {
  const items = [
    `A message is drawn travelling for ${MESSAGE_SHOW_S} s of real time times the speed, whatever its simulated delay (sub-millisecond inside a zone); the newest labels are shown, older ones as dots.`,
    'Heartbeats (PING) are not drawn: the simulator computes when a silent peer would time out instead of sending each one.',
    'Client reads are not simulated here; client writes are a Poisson stream over the ensemble, as `zksim run --writes`.',
    'A run lasts at most 10 virtual minutes; each action replays the run from t = 0 with the same seed, so what you see is what `zksim run` with the same faults computes.',
  ];
  return h('section', { id: 'simplifies', class: 'panel' }, h('h2', {}, 'What this simplifies'), h('ul', {}, ...items.map((t) => h('li', {}, t))));
}

export class PlaygroundApp {
  private session!: PlaygroundSession;
  private view!: ClusterView;
  private controls!: Controls;
  private selected: number | null = null;
  private playing = true;
  private lastFrameMs: number | null = null;
  private readonly stage = h('div', { id: 'stage' });
  private readonly side = h('div', { id: 'side' });
  private readonly availability: AvailabilityPanel;
  private readonly status = h('section', { id: 'status', class: 'panel' });
  private readonly log = h('ol', { id: 'log' });
  private readonly share = h('a', { id: 'share-link', href: '#' }, 'share link');
  private readonly cli = h('code', { id: 'cli-command' });
  private readonly yaml = h('pre', { id: 'topology-yaml' });

  constructor(private readonly root: HTMLElement, bundleSource: string | null) {
    // a share link in the address bar opens paused at its instant; else the run `zksim playground` chose, playing
    const shared = location.hash.length > 1;
    const opened = decodeShare(shared ? location.hash : startHash());
    const fallback: PlaygroundRun = { layout: DEFAULT_LAYOUT, seed: '1', actions: [] };
    const start: PlaygroundRun = opened.ok ? opened.state.run : fallback;
    this.availability = new AvailabilityPanel(start.layout, bundleSource);
    // a link whose actions do not apply opens the default run, with the reason above it: never a blank page
    const problem = this.load(start, opened.ok ? opened.state.atUs : 0, !(opened.ok && shared)) ?? (opened.ok ? null : opened.error);
    if (this.session === undefined) this.load(fallback, 0, true);
    if (problem !== null) this.controls.error.textContent = problem;
    window.addEventListener('hashchange', () => this.openHash());
    requestAnimationFrame((t) => this.frame(t));
  }

  /** A share link pasted into the address bar: replay it. */
  private openHash(): void {
    const opened = decodeShare(location.hash);
    if (!opened.ok) {
      this.controls.error.textContent = opened.error;
      return;
    }
    const problem = this.load(opened.state.run, opened.state.atUs, false);
    if (problem !== null) this.controls.error.textContent = problem;
  }

  /**
   * A new session (layout, seed, actions) replayed to `atUs`; a shared run opens paused at its
   * instant. Returns why the run cannot be opened (the page keeps what it showed), or null.
   */
  private load(run: PlaygroundRun, atUs: number, play: boolean): string | null {
    let session: PlaygroundSession;
    try {
      session = new PlaygroundSession(run);
      session.advanceTo(atUs);
    } catch (e) {
      return `cannot open this run: ${(e as Error).message}`;
    }
    this.session = session;
    this.selected = null;
    this.playing = play;
    this.lastFrameMs = null;
    this.build(run);
    this.availability.setLayout(run.layout);
    this.render();
    return null;
  }

  private build(run: PlaygroundRun): void {
    const zones = [...new Set(this.session.topology.servers.map((s) => s.zone))];
    this.controls = buildControls(run.layout, run.seed, zones, this.session.topology.servers.map((s) => s.id), {
      newRun: (layout, seed) => this.newRun(layout, seed),
      togglePlay: () => {
        this.playing = !this.playing;
        this.lastFrameMs = null;
        this.render();
      },
      step: (us) => {
        this.session.advanceTo(this.session.nowUs + us);
        this.render();
      },
      pick: (id) => {
        this.selected = id;
        this.render();
      },
      serverAction: (kind) => this.selected !== null && this.act({ kind, node: this.selected, atUs: 0 }),
      cut: (a, b) => this.act({ kind: 'cut', atUs: 0, sides: [[a], [b]] }),
      heal: () => this.act({ kind: 'heal', atUs: 0 }),
    });
    const servers = this.session.topology.servers.map((s) => ({ id: s.id, zone: s.zone, region: s.region, voter: s.role === 'voter' }));
    const holder = h('div', { id: 'cluster' });
    this.view = new ClusterView(holder, servers, { onServerClick: (id) => this.select(id) });
    this.enableDragCut(holder);
    const legend = h('div', { id: 'legend' });
    clusterLegend(legend, (family) => `${family} messages`, (cls) => cls !== 'non-member');
    this.stage.replaceChildren(this.controls.error, this.controls.layoutPanel, this.controls.clockPanel, holder, legend, this.controls.actionPanel, h('section', { class: 'panel' }, h('h2', {}, 'Events'), this.log), simplifies());
    const shareBox = h('section', { id: 'share', class: 'panel' }, h('h2', {}, 'Share'), h('p', {}, this.share, ' replays this run (layout, seed, actions and their virtual times) to this instant.'), h('p', { class: 'hint' }, 'The same run from the command line (save the topology below as ', h('code', {}, `${layoutName(run.layout)}.yaml`), '):'), h('p', {}, this.cli), h('details', {}, h('summary', {}, 'topology file'), this.yaml));
    this.side.replaceChildren(this.status, shareBox, this.availability.root);
    this.yaml.textContent = topologyYaml(run.layout);
    this.root.replaceChildren(h('h1', {}, 'zksim playground'), h('p', { class: 'hint' }, 'A ZooKeeper 3.8 ensemble simulated in this page (deterministic: the same seed and actions give the same run).'), h('div', { id: 'columns' }, this.stage, this.side));
  }

  private newRun(layout: PlaygroundLayout, seed: string): void {
    this.controls.error.textContent = this.load({ layout, seed, actions: [] }, 0, true) ?? '';
  }

  private select(id: number): void {
    this.selected = id;
    this.render();
  }

  private act(action: PlaygroundAction): void {
    const problem = this.session.act(action);
    this.controls.error.textContent = problem ?? '';
    this.render();
  }

  /** Pointer down in one zone, up in another: cut the links between them. */
  private enableDragCut(holder: HTMLElement): void {
    const svg = this.view.svg;
    const zoneAt = (e: PointerEvent): string | null => {
      const m = svg.getScreenCTM();
      if (!m) return null;
      const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
      return this.view.layout.zones.find((z) => p.x >= z.x && p.x <= z.x + z.w && p.y >= z.y && p.y <= z.y + z.h)?.label ?? null;
    };
    let from: string | null = null;
    svg.addEventListener('pointerdown', (e) => void (from = zoneAt(e)));
    svg.addEventListener('pointerup', (e) => {
      const to = zoneAt(e);
      if (from !== null && to !== null && from !== to) this.act({ kind: 'cut', atUs: 0, sides: [[from], [to]] });
      from = null;
    });
    holder.classList.add('drag-cut');
  }

  private frame(tMs: number): void {
    if (this.playing) {
      const dtMs = this.lastFrameMs === null ? 0 : Math.min(tMs - this.lastFrameMs, 100);
      const speed = Number(this.controls.speed.value);
      // whole ms of virtual time: a share link (ms) then names exactly the instant on screen
      this.session.advanceTo(this.session.nowUs + Math.round(dtMs * speed) * 1000);
      if (this.session.nowUs >= PLAYGROUND_HORIZON_US) this.playing = false;
      this.render();
    }
    this.lastFrameMs = tMs;
    requestAnimationFrame((t) => this.frame(t));
  }

  private render(): void {
    const s = this.session;
    this.view.draw(this.clusterFrame());
    this.controls.clock.textContent = `t = ${formatSecondsFixed(s.nowUs, 3)} s${s.nowUs >= PLAYGROUND_HORIZON_US ? ' (the end: a playground run lasts 10 min)' : ''}`;
    this.controls.play.textContent = this.playing ? 'Pause' : 'Play';
    this.renderSelection();
    this.renderStatus();
    const hash = encodeShare({ run: s.run, atUs: s.nowUs });
    this.share.setAttribute('href', hash);
    if (!this.playing && location.hash !== hash) history.replaceState(null, '', hash);
    this.cli.textContent = runCommand(`${layoutName(s.run.layout)}.yaml`, s.run.layout, s.run.seed, s.run.actions, s.nowUs);
  }

  private clusterFrame(): ClusterFrame {
    const s = this.session;
    const { cuts } = s.held;
    const zoneOf = new Map(s.topology.servers.map((x) => [x.id, x.zone] as const));
    const links: CutLink[] = [];
    for (const [a, b] of cuts) {
      for (const [id, z] of zoneOf) for (const [id2, z2] of zoneOf) if (a.includes(z) && b.includes(z2)) links.push({ from: id, to: id2, oneWay: false });
    }
    const windowUs = MESSAGE_SHOW_S * Number(this.controls.speed.value) * 1_000_000;
    const messages: MessageInFlight[] = s.messages.between(s.nowUs - windowUs, s.nowUs).map((m) => ({ from: m.from, to: m.to, label: m.label, family: m.family, progress: (s.nowUs - m.atUs) / windowUs }));
    return { servers: s.servers(), messages, cuts: links };
  }

  private renderSelection(): void {
    const c = this.controls;
    const hold = this.selected === null ? undefined : this.session.held.held.get(this.selected);
    c.serverSelect.value = this.selected === null ? '' : String(this.selected);
    c.selected.textContent = this.selected === null ? 'Click a server (or pick one) to act on it.' : `server ${this.selected}${hold ? ` (${hold === 'kill' ? 'killed' : hold === 'pause' ? 'paused' : 'isolated'})` : ''}:`;
    for (const kind of ['kill', 'pause', 'isolate'] as const) c.actions[kind].disabled = this.selected === null || hold !== undefined;
    c.actions.restart.disabled = hold === undefined;
    // the one button ends whatever holds the server: named by what it then does (actions.ts restart)
    c.actions.restart.textContent = hold === 'pause' ? 'resume' : hold === 'isolate' ? 'reconnect' : 'restart';
    c.heal.disabled = this.session.held.cuts.length === 0;
  }

  private renderStatus(): void {
    const s = this.session;
    const leader = s.leader();
    const w = s.writeCounts();
    this.status.replaceChildren(
      h('h2', {}, 'Ensemble'),
      h('p', { id: 'leader', 'data-leader': leader === null ? '' : String(leader) }, leader === null ? 'No established leader' : `Leader: server ${leader}`),
      h('p', { id: 'write-status', 'data-available': String(s.writeAvailable()) }, `Writes ${s.writeAvailable() ? 'available' : 'unavailable'}; client writes committed ${w.committed}, failed ${w.failed}`),
    );
    // the newest lines, oldest first as player.html lists them (scrolled to the newest); client
    // request outcomes left out (the counts above say them); rebuilt only when a new line arrived
    const lines: HTMLElement[] = [];
    for (let i = s.events.length - 1; i >= 0 && lines.length < LOG_LINES; i--) {
      const e = s.events[i] as (typeof s.events)[number];
      const line = CLIENT_EVENTS.has(e.type) ? null : formatEvent(e);
      if (line !== null) lines.push(h('li', {}, `${formatSecondsFixed(e.atUs, 3)} s  ${line.who === 'fault' || line.who === 'cluster' ? line.who : `server ${line.who}`}: ${line.what}`));
    }
    if (this.log.childElementCount !== lines.length || this.log.lastChild?.textContent !== lines[0]?.textContent) {
      this.log.replaceChildren(...lines.reverse());
      this.log.scrollTop = this.log.scrollHeight;
    }
  }
}

/// <reference lib="dom" />
// report/player/view — draws a ZooKeeper ensemble in SVG: servers in their zones and regions,
// their roles and epochs, cut links and messages in flight. Browser-only (DOM), shared by the
// player (player.html) and the playground; it draws what it is given and keeps no history.
import { arcControl, layoutCluster, pointOnArc, type ClusterLayout, type LayoutServer, type PlacedServer } from './layout.js';

/**
 * What a server is doing, as the picture shows it. LEADING / FOLLOWING / OBSERVING / LOOKING are
 * ZooKeeper's ServerState (QuorumPeer.ServerState); STARTING is a process between its start and
 * its first election (JVM start, loadDataBase); DOWN a stopped process.
 */
export type ServerRole = 'LEADING' | 'FOLLOWING' | 'OBSERVING' | 'LOOKING' | 'STARTING' | 'DOWN';

export interface ServerState {
  readonly id: number;
  readonly role: ServerRole;
  /** the epoch it leads or follows in (acceptedEpoch as Zab names it); null when none yet */
  readonly epoch: number | null;
  /** a JVM stop-the-world pause: the process is there but answers nothing */
  readonly paused: boolean;
  /** every link of the server cut (isolate:) */
  readonly isolated: boolean;
  /** false while outside the committed configuration (LayoutServer.member); absent: a member */
  readonly member?: boolean;
  /** whether it votes in the committed configuration; absent: as laid out (LayoutServer.voter) */
  readonly voter?: boolean;
}

/** Which protocol a message belongs to; it picks the colour. */
export type MessageFamily = 'election' | 'learner' | 'broadcast';

/** A message drawn on its way from `from` to `to`, `progress` 0 (sent) … 1 (delivered). */
export interface MessageInFlight {
  readonly from: number;
  readonly to: number;
  /** short packet name shown beside it: NOTIFICATION, FOLLOWERINFO, PROPOSAL, … */
  readonly label: string;
  readonly family: MessageFamily;
  readonly progress: number;
}

/** A cut link between two servers (`oneWay`: only from → to is cut). */
export interface CutLink {
  readonly from: number;
  readonly to: number;
  readonly oneWay: boolean;
}

export interface ClusterFrame {
  readonly servers: readonly ServerState[];
  readonly messages: readonly MessageInFlight[];
  readonly cuts: readonly CutLink[];
}

export interface ClusterViewOptions {
  /** called with the server id when a server is clicked (the playground's kill/pause menu) */
  readonly onServerClick?: (id: number) => void;
  /** at most this many messages drawn per frame (the rest are counted in `lastDropped`); default 400 */
  readonly maxMessages?: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Role → fill colour; readable on white and told apart without colour by the role letter. */
export const ROLE_COLOURS: Readonly<Record<ServerRole, string>> = {
  LEADING: '#d97706',
  FOLLOWING: '#2563eb',
  OBSERVING: '#7c3aed',
  LOOKING: '#9ca3af',
  STARTING: '#e5e7eb',
  DOWN: '#374151',
};

const ROLE_LETTER: Readonly<Record<ServerRole, string>> = { LEADING: 'L', FOLLOWING: 'F', OBSERVING: 'O', LOOKING: '?', STARTING: '…', DOWN: '✕' };

export const FAMILY_COLOURS: Readonly<Record<MessageFamily, string>> = { election: '#0d9488', learner: '#c026d3', broadcast: '#ea580c' };

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string | number>>, parent?: Element): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent?.appendChild(node);
  return node;
}

interface ServerNodes {
  readonly group: SVGGElement;
  readonly disc: SVGCircleElement;
  readonly letter: SVGTextElement;
  readonly caption: SVGTextElement;
  readonly epoch: SVGTextElement;
  readonly ring: SVGCircleElement;
}

/**
 * One SVG picture of an ensemble, built once from the servers' placement and redrawn with
 * `draw(frame)` as often as the caller likes (each call costs O(servers + messages drawn): server
 * nodes are kept and updated, message marks pooled). Each server's group carries
 * `data-server`, `data-role` and `data-epoch` attributes, so tests read what is shown.
 */
export class ClusterView {
  readonly svg: SVGSVGElement;
  readonly layout: ClusterLayout;
  /** messages not drawn in the last frame because of `maxMessages` */
  lastDropped = 0;
  private readonly byId = new Map<number, PlacedServer>();
  private readonly nodes = new Map<number, ServerNodes>();
  private readonly cutLayer: SVGGElement;
  private readonly msgLayer: SVGGElement;
  private readonly msgPool: { g: SVGGElement; dot: SVGCircleElement; text: SVGTextElement }[] = [];
  private readonly maxMessages: number;

  constructor(container: Element, servers: readonly LayoutServer[], options: ClusterViewOptions = {}) {
    this.layout = layoutCluster(servers);
    this.maxMessages = options.maxMessages ?? 400;
    const { width, height } = this.layout;
    this.svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'cluster', role: 'img', 'aria-label': 'ensemble' }, container);
    for (const r of this.layout.regions) this.box(r, 'region');
    for (const z of this.layout.zones) this.box(z, 'zone');
    this.cutLayer = el('g', { class: 'cuts' }, this.svg);
    const serverLayer = el('g', { class: 'servers' }, this.svg);
    this.msgLayer = el('g', { class: 'messages' }, this.svg);
    for (const s of this.layout.servers) {
      this.byId.set(s.id, s);
      this.nodes.set(s.id, this.serverNodes(s, serverLayer, options.onServerClick));
    }
  }

  private box(b: { label: string; x: number; y: number; w: number; h: number }, kind: 'region' | 'zone'): void {
    el('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 8, class: kind }, this.svg);
    const t = el('text', { x: b.x + 8, y: b.y + 16, class: `${kind}-label` }, this.svg);
    t.textContent = kind === 'region' ? `region ${b.label}` : `zone ${b.label}`;
  }

  private serverNodes(s: PlacedServer, parent: SVGGElement, onClick: ((id: number) => void) | undefined): ServerNodes {
    const r = this.layout.radius;
    const group = el('g', { class: 'server', 'data-server': s.id, transform: `translate(${s.x},${s.y})` }, parent);
    const ring = el('circle', { r: r + 6, class: 'isolated-ring' }, group);
    const disc = el('circle', { r, class: s.voter ? 'disc' : 'disc observer' }, group);
    const letter = el('text', { y: 6, class: 'letter', 'text-anchor': 'middle' }, group);
    const name = el('text', { y: -r - 8, class: 'name', 'text-anchor': 'middle' }, group);
    // an observer is told by its dashed outline (a suffix here would collide with its neighbour's name)
    name.textContent = `server ${s.id}`;
    const caption = el('text', { y: r + 16, class: 'caption', 'text-anchor': 'middle' }, group);
    const epoch = el('text', { y: r + 30, class: 'caption', 'text-anchor': 'middle' }, group);
    if (onClick) {
      group.classList.add('clickable');
      group.addEventListener('click', () => onClick(s.id));
    }
    return { group, disc, letter, caption, epoch, ring };
  }

  /** Redraws every server, the cut links and the messages in flight. */
  draw(frame: ClusterFrame): void {
    for (const s of frame.servers) this.drawServer(s);
    this.drawCuts(frame.cuts);
    this.drawMessages(frame.messages);
  }

  private drawServer(s: ServerState): void {
    const n = this.nodes.get(s.id);
    if (!n) return;
    n.group.setAttribute('data-role', s.role);
    n.group.setAttribute('data-epoch', s.epoch === null ? '' : String(s.epoch));
    n.group.setAttribute('data-paused', String(s.paused));
    n.group.setAttribute('data-isolated', String(s.isolated));
    const member = s.member !== false;
    n.group.setAttribute('data-member', String(member));
    n.disc.classList.toggle('observer', !(s.voter ?? this.byId.get(s.id)?.voter ?? true));
    n.disc.classList.toggle('non-member', !member);
    n.disc.setAttribute('fill', ROLE_COLOURS[s.role]);
    n.disc.setAttribute('fill-opacity', s.paused ? '0.45' : member ? '1' : '0.3');
    n.letter.setAttribute('fill', s.role === 'STARTING' || s.role === 'LOOKING' ? '#111' : '#fff');
    n.letter.textContent = s.paused ? '‖' : ROLE_LETTER[s.role];
    n.caption.textContent = `${s.paused ? 'PAUSED ' : ''}${s.role}`;
    // a learner outside the configuration has an epoch too, but that it has no vote matters more
    n.epoch.textContent = !member ? 'not a member' : s.epoch === null ? '' : `epoch ${s.epoch}`;
    n.ring.setAttribute('visibility', s.isolated ? 'visible' : 'hidden');
  }

  private drawCuts(cuts: readonly CutLink[]): void {
    this.cutLayer.replaceChildren();
    for (const c of cuts) {
      const a = this.byId.get(c.from);
      const b = this.byId.get(c.to);
      if (!a || !b) continue;
      const ctl = arcControl(a, b);
      el('path', { d: `M${a.x},${a.y}Q${ctl.x},${ctl.y} ${b.x},${b.y}`, class: c.oneWay ? 'cut one-way' : 'cut' }, this.cutLayer);
      const { x: mx, y: my } = pointOnArc(a, b, 0.5);
      el('path', { d: `M${mx - 6},${my - 6}L${mx + 6},${my + 6}M${mx - 6},${my + 6}L${mx + 6},${my - 6}`, class: 'cut-x' }, this.cutLayer);
    }
  }

  private drawMessages(messages: readonly MessageInFlight[]): void {
    const shown = Math.min(messages.length, this.maxMessages);
    this.lastDropped = messages.length - shown;
    const labelled = labelledMessages(messages.slice(0, shown), LABELS_PER_RECEIVER, LABELS_MAX);
    while (this.msgPool.length < shown) {
      const g = el('g', { class: 'message' }, this.msgLayer);
      this.msgPool.push({ g, dot: el('circle', { r: 5 }, g), text: el('text', { x: 8, y: -6, class: 'msg-label' }, g) });
    }
    for (let i = 0; i < this.msgPool.length; i++) {
      const slot = this.msgPool[i]!;
      const m = i < shown ? messages[i] : undefined;
      const a = m && this.byId.get(m.from);
      const b = m && this.byId.get(m.to);
      if (!m || !a || !b) {
        slot.g.setAttribute('visibility', 'hidden');
        continue;
      }
      const p = Math.min(1, Math.max(0, m.progress));
      slot.g.setAttribute('visibility', 'visible');
      const at = pointOnArc(a, b, p);
      slot.g.setAttribute('transform', `translate(${at.x},${at.y})`);
      slot.g.setAttribute('data-label', m.label);
      slot.dot.setAttribute('fill', FAMILY_COLOURS[m.family]);
      slot.text.textContent = labelled.has(i) ? m.label : '';
    }
  }
}

/** Labels drawn per receiving server, and in all: a busy ensemble's labels would pile up on each other. */
const LABELS_PER_RECEIVER = 2;
const LABELS_MAX = 8;

/**
 * Indices of the messages whose label is drawn: per receiver, the `perReceiver` newest (least
 * progress), at most `max` in all, newest first; the rest are drawn as dots only. Ties keep list order, so the picture is stable.
 */
export function labelledMessages(messages: readonly Pick<MessageInFlight, 'to' | 'progress'>[], perReceiver: number, max = Number.POSITIVE_INFINITY): Set<number> {
  const order = messages.map((_m, i) => i).sort((a, b) => messages[a]!.progress - messages[b]!.progress || a - b);
  const count = new Map<number, number>();
  const out = new Set<number>();
  for (const i of order) {
    const to = messages[i]!.to;
    const n = count.get(to) ?? 0;
    if (n < perReceiver && out.size < max) out.add(i);
    count.set(to, n + 1);
  }
  return out;
}

/** The marks that are not colours: swatch class → what it means (the legend's last items). */
export const SHAPE_LEGEND: readonly (readonly [string, string])[] = [
  ['observer', 'observer (dashed outline)'],
  ['ring', 'isolated (every link cut)'],
  ['faded', 'paused (‖: stop-the-world)'],
  ['cut', 'cut link (dotted: one way)'],
  ['non-member', 'not a member (faded, dotted: a learner until a reconfig adds it)'],
];

/**
 * The picture's legend: a swatch per role, a dot per message family (`familyText` says what each
 * family's dot stands for) and the marks of SHAPE_LEGEND whose class `shapes` keeps. Shared by the
 * player and the playground so both read the same.
 */
export function clusterLegend(parent: Element, familyText: (f: MessageFamily) => string, shapes: (cls: string) => boolean = () => true): HTMLElement {
  const item = (legend: Element, cls: string, text: string, colour?: string): void => {
    const span = document.createElement('span');
    span.className = 'item';
    const swatch = document.createElement('span');
    swatch.className = `swatch ${cls}`.trim();
    if (colour !== undefined) swatch.style.background = colour;
    span.append(swatch, text);
    legend.appendChild(span);
  };
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const role of Object.keys(ROLE_COLOURS) as ServerRole[]) item(legend, '', role, ROLE_COLOURS[role]);
  for (const family of Object.keys(FAMILY_COLOURS) as MessageFamily[]) item(legend, 'dot', familyText(family), FAMILY_COLOURS[family]);
  for (const [cls, text] of SHAPE_LEGEND) if (shapes(cls)) item(legend, cls, text);
  parent.appendChild(legend);
  return legend;
}

/** The stylesheet the view's classes expect (inline it with the page's styles). */
export const CLUSTER_VIEW_CSS = `
svg.cluster { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; display: block; width: 100%; height: auto; max-height: 480px; }
svg.cluster rect.region { fill: #f8fafc; stroke: #94a3b8; stroke-width: 1.5; }
svg.cluster rect.zone { fill: #fff; stroke: #cbd5e1; stroke-dasharray: 4 3; }
svg.cluster text.region-label { font-size: 13px; font-weight: bold; fill: #334155; }
svg.cluster text.zone-label { font-size: 12px; fill: #475569; }
svg.cluster circle.disc { stroke: #111827; stroke-width: 1.5; }
svg.cluster circle.disc.observer { stroke-dasharray: 5 3; }
svg.cluster circle.disc.non-member { stroke: #9ca3af; stroke-dasharray: 1 3; stroke-width: 2; }
svg.cluster circle.isolated-ring { fill: none; stroke: #dc2626; stroke-width: 3; stroke-dasharray: 3 3; }
svg.cluster text.letter { font-size: 20px; font-weight: bold; pointer-events: none; }
svg.cluster text.name { font-size: 12px; fill: #111827; }
svg.cluster text.caption { font-size: 11px; fill: #111827; }
svg.cluster path.cut { fill: none; stroke: #dc2626; stroke-width: 2; stroke-dasharray: 6 4; }
svg.cluster path.cut.one-way { stroke-dasharray: 2 4; }
svg.cluster path.cut-x { stroke: #dc2626; stroke-width: 3; }
svg.cluster text.msg-label { font-size: 10px; fill: #111827; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.cluster g.clickable { cursor: pointer; }
.legend { display: flex; flex-wrap: wrap; gap: 0.9rem; font-size: 0.85rem; margin: 0.4rem 0; }
.legend .item { display: inline-flex; align-items: center; gap: 0.3rem; }
.swatch { display: inline-block; width: 14px; height: 14px; border: 1px solid #555; border-radius: 3px; }
.swatch.dot { border-radius: 50%; }
.swatch.ring { border: 3px dashed #dc2626; border-radius: 50%; }
.swatch.observer { border: 2px dashed #111827; border-radius: 50%; }
.swatch.faded { background: ${ROLE_COLOURS.FOLLOWING}; opacity: 0.45; border-radius: 50%; }
.swatch.non-member { border: 2px dotted #9ca3af; border-radius: 50%; background: ${ROLE_COLOURS.FOLLOWING}; opacity: 0.3; }
.swatch.cut { border: none; border-top: 3px dashed #dc2626; height: 0; width: 22px; }
`;

/** The parsed JSON of a self-contained page's data block (report/html/self-contained.ts). */
export function readJsonBlock<T>(id: string): T {
  const node = document.getElementById(id);
  if (!node || node.textContent === null) throw new Error(`the page has no data block #${id}`);
  return JSON.parse(node.textContent) as T;
}

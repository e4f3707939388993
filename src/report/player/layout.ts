// report/player/layout — where the player and the playground draw each server (pure, no DOM).

/** A server as the picture needs it: its id, where it runs, and whether it votes. */
export interface LayoutServer {
  readonly id: number;
  readonly zone: string;
  readonly region: string;
  /** false for an observer (drawn with a dashed outline) */
  readonly voter: boolean;
  /**
   * false for a server outside the initial configuration (the topology's `member: false`, or one a
   * reconfig fault adds): it runs and follows as a non-voting learner until a committed reconfig
   * names it (QuorumPeer.processReconfig); drawn faded until then. Absent: a member.
   */
  readonly member?: boolean;
}

/** A labelled rectangle in SVG user units (px at scale 1). */
export interface LayoutBox {
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PlacedServer extends LayoutServer {
  /** centre, SVG user units */
  readonly x: number;
  readonly y: number;
}

/** Regions side by side, their zones side by side inside, servers in a grid inside each zone. */
export interface ClusterLayout {
  readonly width: number;
  readonly height: number;
  readonly radius: number;
  readonly regions: readonly LayoutBox[];
  readonly zones: readonly LayoutBox[];
  readonly servers: readonly PlacedServer[];
}

const RADIUS = 26;
const CELL = 104;
/** a row's height: a server's name above and two caption lines below never touch the next row's */
const ROW = 118;
const PAD = 14;
const HEADER = 24;
/** Columns of a zone's grid: up to three, more for a crowded zone so it spreads wide (two rows) rather than tall. */
function columnsFor(n: number): number {
  return Math.min(n, Math.max(3, Math.ceil(n / 2)));
}

/** Groups in order of first appearance (topology order), never object-key order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const g = groups.get(k);
    if (g) g.push(it);
    else groups.set(k, [it]);
  }
  return [...groups.entries()];
}

/**
 * Places `servers` (topology order): each region a box, its zones boxes inside in a row, each zone
 * a grid of up to three columns (two rows of more for a crowded zone: columnsFor). Deterministic: the same servers give the same picture.
 */
export function layoutCluster(servers: readonly LayoutServer[]): ClusterLayout {
  const regions: LayoutBox[] = [];
  const zones: LayoutBox[] = [];
  const placed: PlacedServer[] = [];
  const byRegion = groupBy(servers, (s) => s.region);
  const rowsMax = Math.max(1, ...byRegion.flatMap(([, rs]) => groupBy(rs, (s) => s.zone).map(([, zs]) => Math.ceil(zs.length / columnsFor(zs.length)))));
  const zoneH = HEADER + rowsMax * ROW + PAD;
  const regionH = HEADER + zoneH + PAD;
  let x = PAD;
  for (const [region, inRegion] of byRegion) {
    const regionX = x;
    x += PAD;
    for (const [zone, inZone] of groupBy(inRegion, (s) => s.zone)) {
      const cols = columnsFor(inZone.length);
      const zoneW = Math.max(cols * CELL, 110) + 2 * PAD;
      const zoneY = PAD + HEADER;
      zones.push({ label: zone, x, y: zoneY, w: zoneW, h: zoneH });
      const gridX = x + (zoneW - cols * CELL) / 2;
      inZone.forEach((s, i) => {
        placed.push({ ...s, x: gridX + (i % cols) * CELL + CELL / 2, y: zoneY + HEADER + Math.floor(i / cols) * ROW + ROW / 2 - 4 });
      });
      x += zoneW + PAD;
    }
    regions.push({ label: region, x: regionX, y: PAD, w: x - regionX, h: regionH });
    x += PAD;
  }
  return { width: x, height: regionH + 2 * PAD, radius: RADIUS, regions, zones, servers: placed };
}

/** A point in SVG user units. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * The control point of the arc drawn from `a` to `b`: bowed to the left of the direction of
 * travel by a quarter of the distance, so a → b and b → a run on opposite sides, and a link
 * between far servers of one row passes beside the servers between them, not through them.
 */
export function arcControl(a: Point, b: Point): Point {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  return { x: (a.x + b.x) / 2 + dy * 0.25, y: (a.y + b.y) / 2 - dx * 0.25 };
}

/** The point at `t` (0 at `a` … 1 at `b`) on the arc from `a` to `b` (a quadratic Bézier). */
export function pointOnArc(a: Point, b: Point, t: number): Point {
  const c = arcControl(a, b);
  const u = 1 - t;
  return { x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y };
}

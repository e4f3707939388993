/**
 * The fault-kind table (ARCHITECTURE.md "One place per fault kind"): one entry per kind with its
 * text (config/fault-kinds.ts: keywords, syntax, help, parse, format) and its behaviour here: the
 * server it aims at, what applying and repairing it does through a `FaultHost`, which voters it
 * touches (downtime attribution), and how `zksim check` draws it. The trial, `check`, `run --help`
 * and the README's fault table all read this table; adding a kind is one entry (plus its tests).
 * A test can register an extra kind with `withFaultKinds` and pass the table to `parseFault`,
 * `Trial` (`faultKinds`) and the explorer (`ExploreSettings.faultKinds`).
 */
import { zonesOf } from '../config/topology.js';
import { FAULT_KIND_ORDER, FAULT_SYNTAX, FaultSyntaxTable, type FaultSyntax } from '../config/fault-kinds.js';
import type { DomainRef, FaultBase, FaultEffect, FaultKind, FaultOf, NodeFault, NodeRef, RepairEffect, ServerId, Topology } from '../model/index.js';
import { cutLinks, hostsIn, serversOf } from './faults.js';

/** What a fault did when applied, for the `faultApplied` event. */
export interface FaultOutcome<E extends string = FaultEffect> {
  readonly effect: E;
  /** servers whose process stopped or whose links were cut, ascending */
  readonly servers: readonly ServerId[];
  readonly domain: DomainRef | null;
}

/**
 * What a fault kind may do to a trial (implemented by scenario/fault-injector.ts). Outages nest:
 * a host is down while any fault holds it down, a killed process restarts when its last kill is
 * repaired.
 */
export interface FaultHost {
  readonly topology: Topology;
  isVoter(id: ServerId): boolean;
  /** the host a server runs on */
  hostOf(id: ServerId): string;
  /** the server `ref` names now: `leader` the established leader, a maintenance step the server due; null when nobody */
  resolveNode(ref: NodeRef): ServerId | null;
  /** kill the server's process (host stays up; peers see connections reset) */
  killProcess(id: ServerId): void;
  /**
   * Undo one `killProcess`: the process restarts when no other kill holds it and its host is up.
   * Returns whether it runs again (false when another fault still holds it down).
   */
  restartProcess(id: ServerId): boolean;
  /** every process on `hosts` dies silently; `how` is the recorder's note (`host crashed`; a server whose disk is lost gets `disk lost`) */
  hostsDown(hosts: readonly string[], how: string): void;
  /** undo one `hostsDown` of `hosts` */
  hostsUp(hosts: readonly string[]): void;
  /** the server's disk is lost: it comes back empty when its host is next up */
  loseDisk(id: ServerId): void;
  /** cut (then `heal`) directed links; the network re-evaluates its watches once */
  cut(links: readonly (readonly [ServerId, ServerId])[]): void;
  heal(links: readonly (readonly [ServerId, ServerId])[]): void;
}

/**
 * One draw of `zksim check`'s fault arbitrary, before it meets a topology (so shrinking the
 * topology keeps the schedule's shape): every kind reads the fields it needs.
 */
export interface FaultDraw {
  /** 0 = the leader when it fires, k ≥ 1 = the k-th server (mod the ensemble size) */
  readonly node: number;
  /** per server index: 0 = side A (or from), 1 = side B (or to), 2 = neither */
  readonly sides: readonly number[];
  /** a zone index (mod the number of zones) */
  readonly zone: number;
  readonly atUs: number;
  readonly durationUs: number;
}

/** One fault kind: its text (config/fault-kinds.ts) and its behaviour. */
export interface FaultKindEntry<F extends FaultBase = FaultBase> extends FaultSyntax<F> {
  /**
   * The server a server-targeted kind hits, resolved when it fires (null: nobody to hit, the fault
   * is skipped); absent for kinds without one target.
   */
  readonly target?: (host: FaultHost, f: F) => ServerId | null;
  apply(host: FaultHost, f: F, target: ServerId | null): FaultOutcome;
  repair(host: FaultHost, f: F, target: ServerId | null): FaultOutcome<RepairEffect>;
  /** voters whose voting the fault touches (downtime attribution), ascending */
  affectedVoters(host: FaultHost, f: F, target: ServerId | null): ServerId[];
  /**
   * How `zksim check` draws the kind: `slot` is its place among the drawn kinds (pinned, so a
   * seed keeps its schedules when kinds are added), `resolve` makes the fault from a draw; null
   * for kinds `check` never draws.
   */
  readonly explore: { readonly slot: number; resolve(t: Topology, d: FaultDraw): F } | null;
}

// --- draws against a topology (the explorer's) ---

/** Draw `k` as a target: 0 the leader, else the k-th server (mod the ensemble size). */
export function drawnNode(t: Topology, k: number): NodeRef {
  if (k === 0) return { kind: 'leader' };
  const s = t.servers[(k - 1) % t.servers.length] as Topology['servers'][number];
  return { kind: 'server', id: s.id };
}

/** Side A and side B, both non-empty (the first and last servers stand in when one is). */
export function drawnSides(t: Topology, sides: readonly number[]): [ServerId[], ServerId[]] {
  const a: ServerId[] = [];
  const b: ServerId[] = [];
  t.servers.forEach((s, i) => {
    const side = sides[i % sides.length] ?? 2;
    if (side === 0) a.push(s.id);
    else if (side === 1) b.push(s.id);
  });
  const ids = t.servers.map((s) => s.id);
  const first = ids[0] as ServerId;
  const last = ids[ids.length - 1] as ServerId;
  if (a.length === 0) {
    a.push(first);
    const at = b.indexOf(first);
    if (at >= 0) b.splice(at, 1);
  }
  if (b.length === 0) b.push(a.includes(last) && a.length > 1 ? (a.splice(a.indexOf(last), 1)[0] as ServerId) : last);
  return [a.filter((id) => !b.includes(id)).sort((x, y) => x - y), [...new Set(b)].sort((x, y) => x - y)];
}

// --- the built-in kinds ---

type NodeKind = 'kill' | 'crash' | 'isolate' | 'wipe';

function onHost(host: FaultHost, id: ServerId): ServerId[] {
  const h = host.hostOf(id);
  return host.topology.servers.filter((s) => s.host === h).map((s) => s.id);
}

function nodeEntry<K extends NodeKind>(
  kind: K,
  slot: number,
  behaviour: Pick<FaultKindEntry<NodeFault<K>>, 'apply' | 'repair' | 'affectedVoters'>,
): FaultKindEntry<NodeFault<K>> {
  return {
    ...(FAULT_SYNTAX[kind] as unknown as FaultSyntax<NodeFault<K>>),
    target: (host, f) => host.resolveNode(f.node),
    ...behaviour,
    explore: { slot, resolve: (t, d) => ({ kind, node: drawnNode(t, d.node), atUs: d.atUs, durationUs: d.durationUs }) as NodeFault<K> },
  };
}

/** A host crash (and a disk loss): every server of the target's host stops. */
function hostEntry<K extends 'crash' | 'wipe'>(kind: K, slot: number): FaultKindEntry<NodeFault<K>> {
  return nodeEntry(kind, slot, {
    apply: (host, _f, target) => {
      const id = target as ServerId;
      if (kind === 'wipe') host.loseDisk(id);
      host.hostsDown([host.hostOf(id)], 'host crashed'); // a wiped server's own note is 'disk lost'
      return { effect: kind === 'wipe' ? 'disk lost' : 'host down', servers: onHost(host, id), domain: null };
    },
    repair: (host, _f, target) => {
      const id = target as ServerId;
      host.hostsUp([host.hostOf(id)]);
      return { effect: 'host up', servers: onHost(host, id), domain: null };
    },
    affectedVoters: (host, _f, target) => (target === null ? [] : onHost(host, target).filter((id) => host.isVoter(id))),
  });
}

/** Kinds that cut links: the links come from scenario/faults.ts `cutLinks`. */
function linkBehaviour<F extends FaultOf<'isolate' | 'partition' | 'oneway'>>(effect: FaultEffect): Pick<FaultKindEntry<F>, 'apply' | 'repair'> {
  return {
    apply: (host, f, target) => {
      const links = cutLinks(f, target, host.topology);
      host.cut(links);
      // An isolated server is the one cut off (every link of the ensemble touches it); a partition
      // or one-way cut affects the servers at either end of a cut link.
      return { effect, servers: f.kind === 'isolate' && target !== null ? [target] : serversOf(links), domain: null };
    },
    repair: (host, f, target) => {
      const links = cutLinks(f, target, host.topology);
      host.heal(links);
      return { effect: 'healed', servers: f.kind === 'isolate' && target !== null ? [target] : serversOf(links), domain: null };
    },
  };
}

/** Voters at both ends of a cut link (a cut between a voter and an observer touches no vote). */
function votersAcrossCuts(host: FaultHost, f: FaultOf<'partition' | 'oneway'>): ServerId[] {
  const ids = new Set<ServerId>();
  for (const [a, b] of cutLinks(f, null, host.topology)) {
    if (host.isVoter(a) && host.isVoter(b)) ids.add(a).add(b);
  }
  return [...ids].sort((a, b) => a - b);
}

function domainServers(host: FaultHost, f: FaultOf<'domain-down'>): ServerId[] {
  return host.topology.servers.filter((s) => s[f.level] === f.name).map((s) => s.id);
}

/** The built-in kinds; the compiler checks one entry per `FaultKind`. */
export const FAULT_KIND_ENTRIES = {
  kill: nodeEntry('kill', 0, {
    apply: (host, _f, target) => {
      host.killProcess(target as ServerId);
      return { effect: 'process killed', servers: [target as ServerId], domain: null };
    },
    repair: (host, _f, target) => {
      const running = host.restartProcess(target as ServerId);
      return { effect: running ? 'restarted' : 'still down', servers: [target as ServerId], domain: null };
    },
    affectedVoters: (host, _f, target) => (target !== null && host.isVoter(target) ? [target] : []),
  }),
  crash: hostEntry('crash', 1),
  isolate: nodeEntry('isolate', 2, {
    ...linkBehaviour<NodeFault<'isolate'>>('isolated'),
    affectedVoters: (host, _f, target) => (target !== null && host.isVoter(target) ? [target] : []),
  }),
  partition: {
    ...FAULT_SYNTAX.partition,
    ...linkBehaviour<FaultOf<'partition'>>('links cut'),
    affectedVoters: votersAcrossCuts,
    explore: { slot: 3, resolve: (t, d) => ({ kind: 'partition', groups: drawnSides(t, d.sides), atUs: d.atUs, durationUs: d.durationUs }) },
  },
  oneway: {
    ...FAULT_SYNTAX.oneway,
    ...linkBehaviour<FaultOf<'oneway'>>('links cut'),
    affectedVoters: votersAcrossCuts,
    explore: {
      slot: 5,
      resolve: (t, d) => {
        const [from, to] = drawnSides(t, d.sides);
        return { kind: 'oneway', from, to, atUs: d.atUs, durationUs: d.durationUs };
      },
    },
  },
  'domain-down': {
    ...FAULT_SYNTAX['domain-down'],
    apply: (host, f) => {
      host.hostsDown(hostsIn(host.topology, f.level, f.name), `${f.level} ${f.name} down`);
      return { effect: 'domain down', servers: domainServers(host, f), domain: { level: f.level, name: f.name } };
    },
    repair: (host, f) => {
      host.hostsUp(hostsIn(host.topology, f.level, f.name));
      return { effect: 'domain up', servers: domainServers(host, f), domain: { level: f.level, name: f.name } };
    },
    affectedVoters: (host, f) => domainServers(host, f).filter((id) => host.isVoter(id)),
    // check draws zone outages only: racks and regions are one server each in generated topologies
    explore: {
      slot: 4,
      resolve: (t, d) => {
        const zones = zonesOf(t);
        return { kind: 'domain-down', level: 'zone', name: zones[d.zone % zones.length] as string, atUs: d.atUs, durationUs: d.durationUs };
      },
    },
  },
  wipe: hostEntry('wipe', 6),
} as const satisfies { readonly [K in FaultKind]: FaultKindEntry<FaultOf<K>> };

/**
 * A fault-kind table: entries by kind and keyword (see config/fault-kinds.ts `FaultSyntaxTable`),
 * and the kinds `check` draws, by slot. Throws when two entries share a kind, keyword or slot.
 */
export class FaultKinds extends FaultSyntaxTable<FaultKindEntry<any>> {
  /** the entries `check` draws, in slot order */
  readonly explored: readonly FaultKindEntry<any>[];

  constructor(entries: readonly FaultKindEntry<any>[]) {
    super(entries);
    const explored = entries.filter((e) => e.explore !== null).sort((a, b) => (a.explore?.slot ?? 0) - (b.explore?.slot ?? 0));
    explored.forEach((e, i) => {
      const other = explored[i - 1];
      if (other && other.explore?.slot === e.explore?.slot) throw new Error(`fault kinds ${other.kind} and ${e.kind} share explore slot ${e.explore?.slot}`);
    });
    this.explored = explored;
  }
}

/** The built-in table, in the order of `FAULT_KIND_ORDER`. */
export const FAULT_KINDS_TABLE: FaultKinds = new FaultKinds(FAULT_KIND_ORDER.map((k) => FAULT_KIND_ENTRIES[k] as FaultKindEntry<any>));

/** The built-in table with `extra` kinds after them (for tests and experiments). */
export function withFaultKinds(extra: readonly FaultKindEntry<any>[], base: FaultKinds = FAULT_KINDS_TABLE): FaultKinds {
  return new FaultKinds([...base.entries, ...extra]);
}

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
import type { FaultEffect, FaultKind, FaultOf, NodeFault, ServerId } from '../model/index.js';
import { drawnNode, drawnSides, type FaultHost, type FaultKindEntry } from './fault-host.js';
import { cutLinks, hostsIn, serversOf } from './faults.js';
import { GRAY_KIND_ENTRIES } from './gray-fault-kinds.js';
import { RECONFIG_KIND_ENTRY } from './reconfig-kind.js';
import { MAINTENANCE_KIND_ENTRY } from './maintenance-kind.js';
import { BYZANTINE_KIND_ENTRIES } from './byzantine-kinds.js';

export { drawnNode, drawnSides, type FaultDraw, type FaultHost, type FaultKindEntry, type FaultOutcome } from './fault-host.js';

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
  ...GRAY_KIND_ENTRIES,
  reconfig: RECONFIG_KIND_ENTRY,
  maintenance: MAINTENANCE_KIND_ENTRY,
  ...BYZANTINE_KIND_ENTRIES,
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

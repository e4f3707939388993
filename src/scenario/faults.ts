import type { FaultOf, ServerId, Topology } from '../model/index.js';

/** Directed links a cut fault severs (isolate: every link of the `target` server, both ways). */
export function cutLinks(f: FaultOf<'isolate' | 'partition' | 'oneway'>, target: ServerId | null, topology: Topology): [ServerId, ServerId][] {
  const links: [ServerId, ServerId][] = [];
  if (f.kind === 'isolate') {
    if (target === null) return links;
    for (const s of topology.servers) {
      if (s.id === target) continue;
      links.push([target, s.id], [s.id, target]);
    }
  } else if (f.kind === 'partition') {
    for (const a of f.groups[0]) for (const b of f.groups[1]) links.push([a, b], [b, a]);
  } else {
    for (const a of f.from) for (const b of f.to) if (a !== b) links.push([a, b]);
  }
  return links;
}

/** Distinct hosts of the servers placed in a zone, rack or region. */
export function hostsIn(topology: Topology, field: 'zone' | 'rack' | 'region', name: string): string[] {
  const hosts: string[] = [];
  for (const s of topology.servers) if (s[field] === name && !hosts.includes(s.host)) hosts.push(s.host);
  return hosts;
}

/** The servers at either end of a set of links, ascending. */
export function serversOf(links: readonly (readonly [ServerId, ServerId])[]): ServerId[] {
  const ids = new Set<ServerId>();
  for (const [a, b] of links) ids.add(a).add(b);
  return [...ids].sort((a, b) => a - b);
}

import type { FaultSpec, ServerId, Topology } from '../model/index.js';

/** Directed links a cut fault severs (isolate: every link of the node, both ways). */
export function cutLinks(f: FaultSpec, target: ServerId | null, topology: Topology): [ServerId, ServerId][] {
  const links: [ServerId, ServerId][] = [];
  if (f.kind === 'isolate' && target !== null) {
    for (const s of topology.servers) {
      if (s.id === target) continue;
      links.push([target, s.id], [s.id, target]);
    }
  } else if (f.kind === 'partition') {
    for (const a of f.groups[0]) for (const b of f.groups[1]) links.push([a, b], [b, a]);
  } else if (f.kind === 'oneway') {
    for (const a of f.from) for (const b of f.to) if (a !== b) links.push([a, b]);
  }
  return links;
}

/** The failure domain a domain outage takes down. */
export function domainOf(f: FaultSpec): ['zone' | 'rack' | 'region', string] {
  if (f.kind === 'zone-down') return ['zone', f.zone];
  if (f.kind === 'rack-down') return ['rack', f.domain];
  if (f.kind === 'region-down') return ['region', f.domain];
  throw new Error(`${f.kind} is not a domain outage`);
}

/** Distinct hosts of the servers placed in a zone, rack or region. */
export function hostsIn(topology: Topology, field: 'zone' | 'rack' | 'region', name: string): string[] {
  const hosts: string[] = [];
  for (const s of topology.servers) if (s[field] === name && !hosts.includes(s.host)) hosts.push(s.host);
  return hosts;
}

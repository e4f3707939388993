/**
 * The fault-kind table's `reconfig` entry (its text is config/reconfig-syntax.ts): a client's
 * reconfig handed to whoever leads when it fires (FaultHost.reconfig → scenario/membership.ts →
 * zk/broadcast.ts), and the servers a trial must add for it (`+6=az3/voter` when the topology has
 * no server 6). `check` draws it in slot 14, from a second list appended to each case so that the
 * seeds of slots 0–13 keep their schedules (scenario/explore.ts).
 */
import { RECONFIG_SYNTAX } from '../config/reconfig-syntax.js';
import type { AddedMember, FaultBase, FaultOf, Member, ReconfigChange, ServerId, ServerSpec, Topology } from '../model/index.js';
import type { FaultDraw, FaultKindEntry } from './fault-host.js';

type ReconfigFault = FaultOf<'reconfig'>;

function addedOf(c: ReconfigChange): readonly AddedMember[] {
  return c.kind === 'members' ? c.members : c.add;
}

/** The servers a change names, ascending. */
function named(c: ReconfigChange): ServerId[] {
  const ids = new Set<ServerId>(addedOf(c).map((m) => m.id));
  if (c.kind === 'incremental') for (const id of c.remove) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}

/**
 * The servers a reconfig fault adds that `topology` lacks, as their topology entries: a new
 * host `server-N` in the zone given (rack of its own, the zone's region), not a member of the
 * initial configuration (`member: false`), so it runs from t = 0 as a non-voting learner.
 */
export function serversToAdd(topology: Pick<Topology, 'servers'>, faults: readonly FaultBase[]): ServerSpec[] {
  const added: ServerSpec[] = [];
  const known = new Set(topology.servers.map((s) => s.id));
  for (const f of faults) {
    if (f.kind !== 'reconfig') continue;
    for (const m of addedOf((f as ReconfigFault).change)) {
      if (known.has(m.id) || m.zone === undefined) continue;
      known.add(m.id);
      const region = topology.servers.find((s) => s.zone === m.zone)?.region ?? m.zone;
      const host = `server-${m.id}`;
      added.push({ id: m.id, role: m.role, weight: 1, group: 1, host, rack: `${m.zone}-${host}`, zone: m.zone, region, member: false });
    }
  }
  return added;
}

/** The topology with the servers its reconfig faults add (the same object when none). */
export function withReconfigServers<T extends Pick<Topology, 'servers'>>(topology: T, faults: readonly FaultBase[]): T {
  const added = serversToAdd(topology, faults);
  return added.length === 0 ? topology : { ...topology, servers: [...topology.servers, ...added] };
}

/**
 * `check`'s reconfig from a draw: `sides[0]` picks what (0 remove the k-th server, 1 flip its
 * role, 2 restore the topology's initial member list or, for an odd zone, move the ensemble:
 * the k-th server and two new voters in that zone — a change whose new quorums need not meet
 * the old ones, the case the old-and-new quorum rule exists for); `node` the server (k-th, mod
 * the ensemble size).
 */
function drawnReconfig(t: Topology, d: FaultDraw): ReconfigFault {
  const servers = t.servers;
  const s = servers[d.node % servers.length] as ServerSpec;
  const what = (d.sides[0] ?? 0) % 3;
  let change: ReconfigChange;
  if (what === 0) change = { kind: 'incremental', add: [], remove: [s.id] };
  else if (what === 1) change = { kind: 'incremental', add: [{ id: s.id, role: s.role === 'voter' ? 'observer' : 'voter' }], remove: [] };
  else if (d.zone % 2 === 0) change = { kind: 'members', members: servers.filter((x) => x.member !== false).map((x): Member => ({ id: x.id, role: x.role })) };
  else {
    const zones = [...new Set(servers.map((x) => x.zone))];
    const id = Math.max(...servers.map((x) => x.id)) + 1;
    const zone = zones[d.zone % zones.length] as string;
    change = { kind: 'members', members: [{ id: s.id, role: 'voter' }, { id, role: 'voter', zone }, { id: id + 1, role: 'voter', zone }] };
  }
  return { kind: 'reconfig', change, atUs: d.atUs, durationUs: null };
}

export const RECONFIG_KIND_ENTRY: FaultKindEntry<ReconfigFault> = {
  ...RECONFIG_SYNTAX,
  apply: (host, f) => {
    host.reconfig(f.change);
    return { effect: 'reconfig submitted', servers: named(f.change), domain: null };
  },
  // never called for a parsed fault (a reconfig takes no +DUR): nothing to undo
  repair: (_host, f) => ({ effect: 'healed', servers: named(f.change), domain: null }),
  // a reconfig stops no voter by itself; what it costs shows in the elections and syncs it causes
  affectedVoters: () => [],
  explore: { slot: 14, resolve: drawnReconfig },
};

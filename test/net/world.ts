import { Rng, Simulation } from '../../src/core/index.js';
import { Network, type NetEvent } from '../../src/net/index.js';
import type { Distribution, LinkLatency, PeerInput, QuorumPacket, ServerId, Topology } from '../../src/model/index.js';

export const MS = 1000;
export const S = 1000 * MS;

export interface Got {
  readonly at: number;
  readonly to: ServerId;
  readonly input: PeerInput;
}

/**
 * Three servers on hosts h1..h3 and one latency for every link (1 ms by default), driven by a
 * real Simulation. Network reads only `servers`, `latency`, `linkLatency`, `zk.cnxTimeoutUs` and
 * `storage.bandwidthMbps` of a Topology, so the rest is left out.
 */
export function world(latency: Distribution = { dist: 'constant', value: 1000 }, seed = 'net-test', linkLatency?: readonly LinkLatency[]) {
  const servers = [1, 2, 3].map((id) => ({ id, role: 'voter' as const, weight: 1, group: 0, host: `h${id}`, rack: 'r1', zone: 'z1', region: 'eu' }));
  const topology = {
    name: 'test',
    description: '',
    servers,
    latency: { sameHost: latency, sameZone: latency, crossZone: latency, crossRegion: latency },
    ...(linkLatency ? { linkLatency } : {}),
    zk: { cnxTimeoutUs: 5 * S },
    storage: { fsync: { dist: 'constant', value: 1000 }, snapshotMB: 1, txnBytes: 1024, bandwidthMbps: 1000 },
    quorum: 'majority',
  } as unknown as Topology;
  const sim = new Simulation<NetEvent>();
  const net = new Network(
    topology,
    { get nowUs() { return sim.nowUs; }, schedule: (at, ev) => sim.schedule(at, 0, ev), cancel: (h) => void sim.cancel(h) },
    new Rng(seed),
  );
  for (const s of servers) net.startProcess(s.id);
  const got: Got[] = [];
  const run = (untilUs: number): void =>
    sim.runUntil(untilUs, (ev) => {
      const r = net.resolve(ev);
      if (r) got.push({ at: sim.nowUs, ...r });
    });
  /** Dial a→b now; returns the connection id once both ends know it (one round trip later). */
  const open = (a: ServerId, b: ServerId, tag = 1): number => {
    net.connect(a, tag, b, 5 * S);
    run(sim.nowUs + 200 * MS);
    const c = got.find((g) => g.to === a && g.input.kind === 'connected' && g.input.tag === tag);
    if (!c || c.input.kind !== 'connected') throw new Error('setup: no connection');
    return c.input.connId;
  };
  const cut = (a: ServerId, b: ServerId): void => {
    net.cut(a, b);
    net.reevaluate();
  };
  const heal = (a: ServerId, b: ServerId): void => {
    net.heal(a, b);
    net.reevaluate();
  };
  return { sim, net, got, run, open, cut, heal };
}

export const req = (writeId: number): QuorumPacket => ({ type: 'REQUEST', writeId });
export const packetsTo = (got: readonly Got[], to: ServerId): { at: number; writeId: number }[] =>
  got.flatMap((g) => (g.to === to && g.input.kind === 'packet' && g.input.packet.type === 'REQUEST' ? [{ at: g.at, writeId: g.input.packet.writeId }] : []));
export const closedTo = (got: readonly Got[], to: ServerId): { at: number; reason: string }[] =>
  got.flatMap((g) => (g.to === to && g.input.kind === 'connClosed' ? [{ at: g.at, reason: g.input.reason }] : []));
export const kindsTo = (got: readonly Got[], to: ServerId): [number, string][] => got.flatMap((g) => (g.to === to ? [[g.at, g.input.kind] as [number, string]] : []));

/**
 * FaultHost.rewriteConfig — an operator edits the dynamic config file of stopped servers and
 * restarts them, bypassing the protocol (DR promotion, big-bang migration). Safe when the servers
 * left out are truly gone; when they still run, the two ensembles diverge and the safety checkers
 * say so. Driven through a test-only fault kind that calls it.
 */
import { describe, expect, test } from 'vitest';
import type { FaultBase, Member, ServerId } from '../../src/model/index.js';
import { runTrial } from '../../src/scenario/index.js';
import { withFaultKinds, type FaultKindEntry } from '../../src/scenario/fault-kinds.js';
import { S, faults, topology } from '../helpers/topologies.js';

interface RewriteFault extends FaultBase {
  readonly kind: 'rewrite';
  readonly servers: readonly ServerId[];
  readonly members: readonly Member[];
}

const REWRITE: FaultKindEntry<RewriteFault> = {
  kind: 'rewrite',
  keywords: ['rewrite'],
  syntax: ['rewrite:IDS@T'],
  help: 'test only: rewrite the config of IDS to IDS as voters',
  parse: (_k, target) => {
    const servers = target.split(',').map(Number);
    return { kind: 'rewrite', servers, members: servers.map((id) => ({ id, role: 'voter' as const })) };
  },
  head: (f) => `rewrite:${f.servers.join(',')}`,
  apply: (host, f) => {
    host.rewriteConfig(f.servers, f.members);
    return { effect: 'process killed', servers: [...f.servers], domain: null };
  },
  repair: (_host, f) => ({ effect: 'restarted', servers: [...f.servers], domain: null }),
  affectedVoters: () => [],
  explore: null,
};
const KINDS = withFaultKinds([REWRITE]);
const WORKLOAD = { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 30 * S };

function run(texts: readonly string[]) {
  const t = topology('n5-3az');
  const rewrite = texts.filter((x) => x.startsWith('rewrite:')).map((x): RewriteFault => {
    const [head, at] = x.slice('rewrite:'.length).split('@') as [string, string];
    const servers = head.split(',').map(Number);
    return { kind: 'rewrite', servers, members: servers.map((id) => ({ id, role: 'voter' })), atUs: Number.parseFloat(at) * S, durationUs: null };
  });
  const others = faults(t, ...texts.filter((x) => !x.startsWith('rewrite:')));
  return runTrial({ topology: t, seed: 3, durationUs: 90 * S, faults: [...others, ...rewrite], faultKinds: KINDS, workload: WORKLOAD });
}

describe('rewriteConfig (an operator bypassing the protocol)', () => {
  test('the old majority\'s hosts crashed for good: the rewritten servers restart with the new config and form an ensemble of their own', () => {
    const r = run(['crash:1@20s', 'crash:2@20s', 'crash:3@20s', 'rewrite:4,5@30s']);
    const rewritten = r.recorder.events.find((e) => e.type === 'configRewritten');
    expect(rewritten).toMatchObject({ servers: [4, 5], members: [{ id: 4, role: 'voter' }, { id: 5, role: 'voter' }] });
    expect(r.durable.get(4)?.config).toEqual(r.durable.get(5)?.config);
    expect(r.recorder.events.some((e) => e.type === 'established' && e.atUs > 30 * S && (e.server === 4 || e.server === 5))).toBe(true);
    // the old ensemble is gone for good: what it had acknowledged beyond 4 and 5's histories is the RPO, counted as Durability
    expect(r.safety.violations.every((v) => v.invariant === 'Durability')).toBe(true);
  });

  test('rewriting while the old majority still runs: two ensembles, two histories — the checkers report it', () => {
    const r = run(['partition:1,2,3|4,5@20s', 'rewrite:4,5@30s']);
    const invariants = new Set(r.safety.violations.map((v) => v.invariant));
    expect(invariants.has('PrefixConsistency') || invariants.has('Leadership'), [...invariants].join(',')).toBe(true);
  });
});

/**
 * The fault-kind table's `maintenance` entry (its text is config/maintenance-syntax.ts): a round
 * of rolling maintenance, run as an operations plan (scenario/plan-runner.ts) — the same
 * restart step a rolling-upgrade plan uses (scenario/plan-restart.ts): one server at a time, each
 * down `downtimeUs`, then the next only once the health gate holds (mntr: every voter synced,
 * every observer serving) and `gapUs` has passed. `leader-last` is the rolling upgrade's order
 * (observers, then the followers, the leader last, resolved as each turn comes); `any` the
 * voters in a random order, then the observers in a random order, drawn per round from the
 * round's plan stream. The round begins with the same gate (no restart while a server is out), and
 * a gate that does not hold within MAINTENANCE_GATE_TIMEOUT_US aborts the round (the servers not
 * yet restarted wait for the next round), as an operator would stop.
 * The fault is repaired the instant the round's plan ends.
 */
import { MAINTENANCE_SYNTAX } from '../config/maintenance-syntax.js';
import type { Plan } from '../config/plan.js';
import type { Distribution, FaultOf, ServerId } from '../model/index.js';
import type { FaultHost, FaultKindEntry } from './fault-host.js';
import type { RestartStep } from './plan-restart.js';
import { PLAN_STEP_KINDS } from './plan-kinds.js';

type MaintenanceFault = FaultOf<'maintenance'>;

/** How long a maintenance round waits for the ensemble to be healthy after a restart before it stops (an assumption). */
export const MAINTENANCE_GATE_TIMEOUT_US = 10 * 60 * 1_000_000;

/** The round's plan. */
export function maintenancePlan(f: MaintenanceFault): Plan {
  const down: Distribution = { dist: 'constant', value: f.downtimeUs };
  const step = (target: RestartStep['target'], order: RestartStep['order']): RestartStep => ({
    kind: 'restart',
    target,
    down,
    gate: { timeoutUs: MAINTENANCE_GATE_TIMEOUT_US, onTimeout: 'abort' },
    gapUs: f.gapUs,
    order,
  });
  // a pre-flight check: a round does not begin while the ensemble is not healthy (a server out)
  const preflight = { kind: 'gate', timeoutUs: MAINTENANCE_GATE_TIMEOUT_US, onTimeout: 'abort' };
  const steps = f.order === 'leader-last' ? [step({ kind: 'all' }, 'id')] : [step({ kind: 'voters' }, 'random'), step({ kind: 'observers' }, 'random')];
  return { name: 'rolling maintenance', description: '', startUs: 0, steps: [preflight, ...steps] };
}

function everyServer(host: FaultHost): ServerId[] {
  return host.topology.servers.map((s) => s.id).sort((a, b) => a - b);
}

export const MAINTENANCE_KIND_ENTRY: FaultKindEntry<MaintenanceFault> = {
  ...MAINTENANCE_SYNTAX,
  apply: (host, f) => {
    host.runPlan({ plan: maintenancePlan(f), kinds: PLAN_STEP_KINDS });
    return { effect: 'maintenance started', servers: everyServer(host), domain: null };
  },
  repair: (host) => ({ effect: 'maintenance done', servers: everyServer(host), domain: null }),
  // the round restarts every voter in turn: its downtime is the round's
  affectedVoters: (host) => everyServer(host).filter((id) => host.isVoter(id)),
  explore: null,
};

/**
 * The plan step-kind table (scenario/plan-steps.ts has the shapes): one entry per kind with its
 * text and its behaviour. `zksim plan --help`, the plan reader (config/plan.ts parsePlan) and the
 * runner (scenario/plan-runner.ts) read this table; adding a kind is one entry, which may live in
 * its own file (append it to PLAN_STEP_KINDS), or a table extended with `withPlanSteps`.
 *
 * Built in: restart / upgrade (plan-restart.ts), wait, gate, stop / start, stopAll / startAll,
 * copyData and reconfig.
 */
import type { PlanStepBase, PlanTarget } from '../config/plan.js';
import { formatDelay, formatGate, formatTarget } from '../config/plan.js';
import type { Distribution } from '../model/distribution.js';
import { formatDurationUs } from '../model/duration.js';
import type { ServerId } from '../model/index.js';
import { drawDelayUs } from '../net/index.js';
import { RestartRun, type RestartStep } from './plan-restart.js';
import { DONE, doneAt, RUNNING, unhealthyText, type StepKindEntry, type StepRun, type StepStatus } from './plan-steps.js';
import { RECONFIG_STEP } from './plan-reconfig.js';
import { DR_STEP_KINDS } from './dr-steps.js';

export type { RestartStep } from './plan-restart.js';

function restartEntry(kind: 'restart' | 'upgrade', what: string): StepKindEntry<RestartStep> {
  return {
    kind,
    keys: ['down', 'gate', 'gap', 'order'],
    help: `${kind}: TARGET [down: DELAY] [gate: {timeout, onTimeout}] [gap: DURATION] [order: id|random] — ${what}, one server at a time`,
    parse(r, { path, value, fields }) {
      const target = r.target(value, `${path}.${kind}`);
      const downNode = fields.get('down');
      const down = downNode === undefined ? DEFAULT_DOWN : r.delay(downNode, `${path}.down`);
      const gateNode = fields.get('gate');
      const gate = gateNode === undefined ? null : r.gate(gateNode, `${path}.gate`);
      const gapNode = fields.get('gap');
      const gapUs = gapNode === undefined ? 0 : r.duration(gapNode, `${path}.gap`);
      const orderNode = fields.get('order');
      const order = orderNode === undefined ? 'id' : r.choice(orderNode, `${path}.order`, ['id', 'random'] as const);
      if (order === 'random' && target !== undefined && (target.kind === 'leader' || target.kind === 'followers' || target.kind === 'all')) {
        return r.error(`${path}.order`, orderNode, `expected id: ${target.kind} is resolved one server at a time (leader-last), a random order applies to ids, voters or observers`), undefined;
      }
      if (target === undefined || down === undefined || gate === undefined || gapUs === undefined || order === undefined) return undefined;
      return { kind, target, down, gate, gapUs, order };
    },
    describe: (s) =>
      `${kind} ${formatTarget(s.target)}, down ${formatDelay(s.down)}${s.gate !== null ? `, ${formatGate(s.gate)}` : ''}${s.gapUs > 0 ? `, gap ${formatDurationUs(s.gapUs)}` : ''}${s.order === 'random' ? ', random order' : ''}`,
    start: (ctx, s) => new RestartRun(s, ctx),
    namedServers: (s) => (s.target.kind === 'servers' ? s.target.ids : []),
  };
}

/** Stop, swap the package, start: 30 s unless the plan says (an assumption, not a measurement). */
const DEFAULT_DOWN: Distribution = { dist: 'constant', value: 30_000_000 };

interface WaitStep extends PlanStepBase {
  readonly kind: 'wait';
  readonly delay: Distribution;
}

const WAIT: StepKindEntry<WaitStep> = {
  kind: 'wait',
  keys: [],
  help: 'wait: DELAY — an operator delay (a duration, or a distribution such as { dist: lognormal, median: 2m, sigma: 0.5 })',
  parse(r, { path, value }) {
    const delay = r.delay(value, `${path}.wait`);
    return delay === undefined ? undefined : { kind: 'wait', delay };
  },
  describe: (s) => `wait ${formatDelay(s.delay)}`,
  start: (ctx, s) => doneAt(ctx, ctx.nowUs + drawDelayUs(s.delay, ctx.rng)),
  namedServers: () => [],
};

interface GateStep extends PlanStepBase {
  readonly kind: 'gate';
  readonly timeoutUs: number;
  readonly onTimeout: 'rollback' | 'abort' | 'continue';
}

const GATE: StepKindEntry<GateStep> = {
  kind: 'gate',
  keys: ['timeout', 'onTimeout'],
  help: 'gate: healthy, timeout: DURATION [onTimeout: rollback|abort|continue] — wait until mntr shows every voter synced and every observer serving',
  parse(r, { path, value, fields }) {
    const what = r.choice(value, `${path}.gate`, ['healthy'] as const);
    const gate = r.gateFrom(fields, path);
    return what === undefined || gate === undefined ? undefined : { kind: 'gate', timeoutUs: gate.timeoutUs, onTimeout: gate.onTimeout };
  },
  describe: (s) => `gate healthy, ${formatGate({ timeoutUs: s.timeoutUs, onTimeout: s.onTimeout })}`,
  start(ctx, s) {
    const deadlineUs = ctx.nowUs + s.timeoutUs;
    ctx.wakeAt(deadlineUs);
    return {
      touched: [],
      poll(c): StepStatus {
        if (c.health.healthy([])) return DONE;
        return c.nowUs >= deadlineUs ? { state: 'failed', reason: `gate timed out: ${unhealthyText(c.health, [])}`, onFail: s.onTimeout } : RUNNING;
      },
    };
  },
  namedServers: () => [],
};

interface ServersStep extends PlanStepBase {
  readonly kind: 'stop' | 'start' | 'stopAll' | 'startAll';
  readonly servers: readonly ServerId[] | null;
}

/**
 * stop / stopAll: kill the processes and keep them down (held by the plan) until a start /
 * startAll; start / startAll: start what the plan holds down, or a server held back at t = 0
 * (a `start:` fault: a new server). Immediate steps: done once the processes are told.
 */
function serversEntry(kind: ServersStep['kind']): StepKindEntry<ServersStep> {
  const all = kind === 'stopAll' || kind === 'startAll';
  const stopping = kind === 'stop' || kind === 'stopAll';
  return {
    kind,
    keys: [],
    help: all ? `${kind}: true — ${stopping ? 'stop every server (big-bang cut-over)' : 'start every server the plan stopped'}` : `${kind}: ID | [IDS] — ${stopping ? 'stop these servers for good' : 'start these servers'}`,
    parse(r, { path, value }) {
      if (all) return r.yes(value, `${path}.${kind}`) === undefined ? undefined : { kind, servers: null };
      const t = r.target(value, `${path}.${kind}`);
      if (t === undefined) return undefined;
      if (t.kind !== 'servers') return r.error(`${path}.${kind}`, value, `expected server ids, found "${t.kind}"`), undefined;
      return { kind, servers: t.ids };
    },
    describe: (s) => (s.servers === null ? kind : `${kind} ${formatTarget({ kind: 'servers', ids: s.servers })}`),
    start(ctx, s) {
      const ids = s.servers ?? (stopping ? ctx.topology.servers.map((x) => x.id) : [...ctx.heldDown]);
      for (const id of ids) {
        if (stopping && !ctx.heldDown.has(id)) {
          ctx.heldDown.add(id);
          ctx.faults.killProcess(id, `stopped by the operator (plan ${kind})`);
        } else if (!stopping) {
          if (ctx.heldDown.delete(id)) ctx.faults.restartProcess(id);
          else ctx.faults.startLate(id);
        }
      }
      ctx.note(`${stopping ? 'stopped' : 'started'} ${ids.join(', ')}`);
      return { touched: [], poll: () => DONE };
    },
    namedServers: (s) => s.servers ?? [],
  };
}

interface CopyStep extends PlanStepBase {
  readonly kind: 'copyData';
  /** data to copy, MB (null: the topology's snapshot size) */
  readonly dataMB: number | null;
  /** copy rate, MB/s (null: the topology's bandwidthMbps / 8) */
  readonly rateMBps: number | null;
}

const COPY_DATA: StepKindEntry<CopyStep> = {
  kind: 'copyData',
  keys: ['dataMB', 'rateMBps'],
  help: 'copyData: auto [dataMB: N] [rateMBps: N] — copy the data directory to the new hosts: dataMB / rateMBps (defaults: the topology\'s snapshotMB and bandwidthMbps / 8)',
  parse(r, { path, value, fields }) {
    const ok = r.choice(value, `${path}.copyData`, ['auto'] as const);
    const num = (key: string): number | null | undefined => {
      const node = fields.get(key);
      if (node === undefined) return null;
      const n = r.int(node, `${path}.${key}`);
      if (n !== undefined && n <= 0) return r.error(`${path}.${key}`, node, `expected a positive integer, found ${n}`), undefined;
      return n;
    };
    const dataMB = num('dataMB');
    const rateMBps = num('rateMBps');
    return ok === undefined || dataMB === undefined || rateMBps === undefined ? undefined : { kind: 'copyData', dataMB, rateMBps };
  },
  describe: (s) => `copyData ${s.dataMB ?? 'snapshot'} MB at ${s.rateMBps ?? 'link'} MB/s`,
  start(ctx, s): StepRun {
    const dataMB = s.dataMB ?? ctx.topology.storage.snapshotMB;
    const rateMBps = s.rateMBps ?? ctx.topology.storage.bandwidthMbps / 8;
    const us = Math.max(1, Math.ceil((dataMB / rateMBps) * 1e6));
    ctx.note(`copying ${dataMB} MB at ${rateMBps} MB/s: ${formatDurationUs(us)}`);
    return doneAt(ctx, ctx.nowUs + us);
  },
  namedServers: () => [],
};

/** Every built-in step kind, in `zksim plan --help` order. */
export const PLAN_STEP_KINDS: readonly StepKindEntry<any>[] = [
  restartEntry('upgrade', 'stop, install the new version, start'),
  restartEntry('restart', 'stop and start'),
  WAIT,
  GATE,
  RECONFIG_STEP,
  serversEntry('stop'),
  serversEntry('start'),
  serversEntry('stopAll'),
  serversEntry('startAll'),
  COPY_DATA,
  // the DR failover runbook's detectLoss, promote, switchClients (scenario/dr-steps.ts)
  ...DR_STEP_KINDS,
];

/** The built-in table with more kinds (a test's, the DR runbook's); a kind named twice is an error. */
export function withPlanSteps(extra: readonly StepKindEntry<any>[], base: readonly StepKindEntry<any>[] = PLAN_STEP_KINDS): StepKindEntry<any>[] {
  const names = new Set(base.map((k) => k.kind));
  for (const k of extra) {
    if (names.has(k.kind)) throw new Error(`plan step kind "${k.kind}" is registered twice`);
    names.add(k.kind);
  }
  return [...base, ...extra];
}

export type { PlanTarget };

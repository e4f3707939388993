/**
 * The DR failover runbook's step kinds (issue 14 §2), registered in the plan step table
 * (scenario/plan-kinds.ts PLAN_STEP_KINDS): a runbook is a plan file such as
 * experiments/plans/dr-failover.yaml, run by `zksim plan` or `zksim dr`.
 *
 *   - detectLoss: [6, 7]        # servers a monitor probes with a canary write through each
 *     every: 10s                #   one probe of each per period, from the step's start
 *     timeout: 10s              #   a probe fails when its write is not acknowledged this long after
 *     missed: 3                 #   lost after this many consecutive failed checks
 *   - wait: { dist: lognormal, median: 5m, sigma: 0.5 }   # decide (config/plan.ts `wait`)
 *   - promote: [6, 7]           # rewrite their dynamic config to a voting ensemble, restart them
 *     timeout: 5m
 *   - switchClients: [6, 7]     # the application moves its connect string to the DR site
 *     after: { dist: lognormal, median: 2m, sigma: 0.5 }
 *
 * Why `promote` rewrites the config instead of reconfiguring: a `reconfig` is a write to
 * /zookeeper/config that needs a leader, and zookeeperReconfig.md (release-3.8.6, "Progress
 * guarantees") says "a quorum of the old configuration is required to be available and connected
 * for ZooKeeper to be able to make progress. Once reconfig is invoked, a quorum of both the old
 * and of the new configurations must be available" (Leader.java: a proposal carrying a newer
 * last-seen verifier is acked by a quorum of each, SyncedLearnerTracker.hasAllQuorums). With the
 * primary region gone there is no leader and no old quorum, and even with one, turning an observer
 * into a voter fails unless the new config's majority is synced ("Changing an observer into a
 * follower": observers do not count). So the operator edits zoo.cfg.dynamic on the DR servers
 * offline and restarts them (FaultHost.rewriteConfig) — which the same document warns against
 * ("Manipulating it manually can result in data loss and inconsistency"): it bypasses Zab and is
 * safe only when the old primary is truly gone or fenced. `detectLoss` cannot tell a lost region
 * from a cut link, which is what the unsafe variant (dr-promote-unsafe.yaml) shows.
 */
import type { PlanStepBase, StepReader } from '../config/plan.js';
import { formatDelay } from '../config/plan.js';
import type { Distribution } from '../model/distribution.js';
import { formatDurationUs, formatSecondsFixed } from '../model/duration.js';
import type { ServerId } from '../model/index.js';
import { drawDelayUs } from '../net/index.js';
import { DONE, doneAt, RUNNING, type StepContext, type StepKindEntry, type StepRun, type StepStatus } from './plan-steps.js';

/** `standby`: design (b), the topology's `dr:` ensemble (model/dr.ts); else the DR servers of design (a) */
export type DrSite = { readonly kind: 'servers'; readonly ids: readonly ServerId[] } | { readonly kind: 'standby' };

export interface DetectLossStep extends PlanStepBase {
  readonly kind: 'detectLoss';
  readonly servers: readonly ServerId[];
  readonly everyUs: number;
  /** a probe's write unacknowledged this long after the check fails it (an assumption: the monitor's client timeout) */
  readonly timeoutUs: number;
  readonly missed: number;
}

export interface PromoteStep extends PlanStepBase {
  readonly kind: 'promote';
  readonly site: DrSite;
  /** servers: give up (abort) when no promoted server leads by then; standby: how long lifting read-only takes */
  readonly timeoutUs: number;
}

export interface SwitchClientsStep extends PlanStepBase {
  readonly kind: 'switchClients';
  readonly site: DrSite;
  readonly after: Distribution;
}

const DEFAULT_EVERY_US = 10_000_000;
const DEFAULT_MISSED = 3;
/** A monitor's canary write gives up after 10 s: an assumption (no ZooKeeper default; a client's own request timeout is its session's). */
const DEFAULT_PROBE_TIMEOUT_US = 10_000_000;
const DEFAULT_PROMOTE_TIMEOUT_US = 300_000_000;

function readSite(r: StepReader, value: unknown, path: string): DrSite | undefined {
  const word = (value as { value?: unknown } | null)?.value;
  if (word === 'standby') return { kind: 'standby' };
  if (typeof word === 'string') return r.error(path, value, `expected server ids (e.g. [6, 7]) or "standby", found "${word}"`), undefined;
  const t = r.target(value, path);
  if (t === undefined) return undefined;
  if (t.kind !== 'servers') return r.error(path, value, `expected server ids or "standby", found "${t.kind}"`), undefined;
  return { kind: 'servers', ids: t.ids };
}

const siteText = (s: DrSite): string => (s.kind === 'standby' ? 'the standby ensemble' : s.ids.join(', '));

function positive(r: StepReader, fields: ReadonlyMap<string, unknown>, key: string, path: string, fallback: number, read: 'duration' | 'int'): number | undefined {
  const node = fields.get(key);
  if (node === undefined) return fallback;
  const n = read === 'duration' ? r.duration(node, `${path}.${key}`) : r.int(node, `${path}.${key}`);
  if (n !== undefined && !(n > 0)) return r.error(`${path}.${key}`, node, `expected a positive ${read === 'int' ? 'count' : 'duration'}, found ${n}`), undefined;
  return n;
}

/**
 * detectLoss: the primary counts as lost when the `missed`-th consecutive check fails for every
 * server. A check at instant g writes through each probed server; it fails at g + timeout when the
 * write was not acknowledged, i.e. when the server was not serving (PlanHealth.serving: an
 * established leader with the server synced to it) from g on. A cut-off observer still answers
 * stale reads, so a probe does not fail at the cut but `timeout` later. Lazy: the runner polls
 * after every trial event, so the step sees the instant the last server stops serving and wakes
 * only when the count completes (no event per probe). A server serving again in between starts
 * the count over.
 */
class DetectLossRun implements StepRun {
  readonly touched = [];
  private failingSinceUs: number | null = null;
  private readonly gridStartUs: number;

  constructor(ctx: StepContext, private readonly s: DetectLossStep) {
    this.gridStartUs = ctx.nowUs;
  }

  poll(ctx: StepContext): StepStatus {
    if (this.s.servers.some((id) => ctx.health.serving(id))) {
      this.failingSinceUs = null;
      return RUNNING;
    }
    if (this.failingSinceUs === null) {
      this.failingSinceUs = ctx.nowUs;
      ctx.note(`${this.s.servers.join(', ')} stop acknowledging writes: probes from now on time out after ${formatDurationUs(this.s.timeoutUs)}`);
      ctx.wakeAt(this.detectedAtUs(this.failingSinceUs));
    }
    if (ctx.nowUs < this.detectedAtUs(this.failingSinceUs)) return RUNNING;
    ctx.note(`primary declared lost: ${this.s.missed} probe writes in a row unacknowledged within ${formatDurationUs(this.s.timeoutUs)}`);
    return DONE;
  }

  /** the first check at or after `sinceUs`, missed − 1 periods more, and that probe's timeout */
  private detectedAtUs(sinceUs: number): number {
    const every = this.s.everyUs;
    const first = this.gridStartUs + Math.ceil((sinceUs - this.gridStartUs) / every) * every;
    return first + (this.s.missed - 1) * every + this.s.timeoutUs;
  }
}

export const DETECT_LOSS_STEP: StepKindEntry<DetectLossStep> = {
  kind: 'detectLoss',
  keys: ['every', 'timeout', 'missed'],
  help: 'detectLoss: [IDS] [every: DURATION] [timeout: DURATION] [missed: N] — wait until N consecutive checks (every 10s, N = 3 by default) fail for all these servers: a check\'s canary write through a server unacknowledged within timeout (10s by default, an assumption)',
  parse(r, { path, value, fields }) {
    const site = readSite(r, value, `${path}.detectLoss`);
    const everyUs = positive(r, fields, 'every', path, DEFAULT_EVERY_US, 'duration');
    const timeoutUs = positive(r, fields, 'timeout', path, DEFAULT_PROBE_TIMEOUT_US, 'duration');
    const missed = positive(r, fields, 'missed', path, DEFAULT_MISSED, 'int');
    if (site === undefined || everyUs === undefined || timeoutUs === undefined || missed === undefined) return undefined;
    if (site.kind !== 'servers') return r.error(`${path}.detectLoss`, value, 'expected the server ids to probe, found "standby"'), undefined;
    return { kind: 'detectLoss', servers: site.ids, everyUs, timeoutUs, missed };
  },
  describe: (s) => `detectLoss ${s.servers.join(', ')}: ${s.missed} missed checks every ${formatDurationUs(s.everyUs)} (probe timeout ${formatDurationUs(s.timeoutUs)})`,
  start: (ctx, s) => new DetectLossRun(ctx, s),
  namedServers: (s) => s.servers,
};

/** Design (a): rewrite the DR servers' config to a voting ensemble of themselves; done when one of them is established leader. */
function promoteServers(ctx: StepContext, ids: readonly ServerId[], timeoutUs: number): StepRun {
  ctx.faults.rewriteConfig(ids, ids.map((id) => ({ id, role: 'voter' as const })));
  ctx.note(`config rewritten: ${ids.join(', ')} voters; restarted`);
  const deadlineUs = ctx.nowUs + timeoutUs;
  ctx.wakeAt(deadlineUs);
  let led = false;
  return {
    touched: [],
    onEvent(c, e) {
      if (e.type === 'established' && ids.includes(e.server) && !led) {
        led = true;
        c.note(`${e.server} leads the promoted ensemble (epoch ${e.epoch})`);
      }
    },
    poll: (c) => (led ? DONE : c.nowUs >= deadlineUs ? { state: 'failed', reason: `no promoted server led within ${formatDurationUs(timeoutUs)}`, onFail: 'abort' } : RUNNING),
  };
}

export const PROMOTE_STEP: StepKindEntry<PromoteStep> = {
  kind: 'promote',
  keys: ['timeout'],
  help: 'promote: [IDS] | standby [timeout: DURATION] — make the DR site the ensemble: rewrite these servers\' config to voters of their own (a reconfig needs the lost quorum), or open the standby ensemble for writes (timeout: how long that takes)',
  parse(r, { path, value, fields }) {
    const site = readSite(r, value, `${path}.promote`);
    const timeoutUs = positive(r, fields, 'timeout', path, site?.kind === 'standby' ? 1 : DEFAULT_PROMOTE_TIMEOUT_US, 'duration');
    return site === undefined || timeoutUs === undefined ? undefined : { kind: 'promote', site, timeoutUs };
  },
  describe: (s) => `promote ${siteText(s.site)}${s.site.kind === 'standby' ? `, taking ${formatDurationUs(s.timeoutUs)}` : `, timeout ${formatDurationUs(s.timeoutUs)}`}`,
  start(ctx, s) {
    if (s.site.kind === 'servers') return promoteServers(ctx, s.site.ids, s.timeoutUs);
    if (ctx.topology.dr === undefined) {
      return { touched: [], poll: () => ({ state: 'failed', reason: `topology ${ctx.topology.name} has no dr: section (no standby ensemble)`, onFail: 'abort' }) };
    }
    ctx.note('replication stopped; the standby ensemble takes writes');
    return doneAt(ctx, ctx.nowUs + s.timeoutUs);
  },
  namedServers: (s) => (s.site.kind === 'servers' ? s.site.ids : []),
  checkServers(s, servers) {
    const voters = s.site.kind === 'servers' ? s.site.ids.filter((id) => servers.voters?.includes(id)) : [];
    if (voters.length === 0) return null;
    return `expected DR servers (outside the primary's voters ${servers.voters?.join(', ')}, e.g. observers in another region), found voter ${voters.join(', ')}: promoting the primary's own voters splits the ensemble it is failing over from`;
  },
};

export const SWITCH_CLIENTS_STEP: StepKindEntry<SwitchClientsStep> = {
  kind: 'switchClients',
  keys: ['after'],
  help: 'switchClients: [IDS] | standby [after: DELAY] — the application points its clients at the DR site (DNS, config push, redeploy) after DELAY',
  parse(r, { path, value, fields }) {
    const site = readSite(r, value, `${path}.switchClients`);
    const node = fields.get('after');
    const after = node === undefined ? ({ dist: 'constant', value: 0 } as const) : r.delay(node, `${path}.after`);
    return site === undefined || after === undefined ? undefined : { kind: 'switchClients', site, after };
  },
  describe: (s) => `switchClients to ${siteText(s.site)} after ${formatDelay(s.after)}`,
  start(ctx, s) {
    const atUs = ctx.nowUs + (s.after.dist === 'constant' && s.after.value === 0 ? 0 : drawDelayUs(s.after, ctx.rng));
    ctx.note(`clients switch to ${siteText(s.site)} in ${formatSecondsFixed(atUs - ctx.nowUs, 1)} s`);
    return doneAt(ctx, atUs);
  },
  namedServers: (s) => (s.site.kind === 'servers' ? s.site.ids : []),
};

/** The runbook's kinds, appended to the plan step table. */
export const DR_STEP_KINDS: readonly StepKindEntry<any>[] = [DETECT_LOSS_STEP, PROMOTE_STEP, SWITCH_CLIENTS_STEP];

export { DONE };

/**
 * What an operator's automation does about a digest mismatch (issue 15), since ZooKeeper 3.8 only
 * logs and counts it (DataTree.reportDigestMismatch): poll every server's digests (the admin
 * `hash` command, Commands.DigestCommand → DataTree.getDigestLog; or the `digest_mismatches_count`
 * metric) every `pollUs`; at the first poll that shows a mismatch, name the odd one out, remove it
 * by reconfig (zookeeperReconfig.md: `reconfig -remove`), replace its data directory (stop, empty
 * disk, start: it joins as a non-member and the leader sends it a SNAP — its peers' snapshot), and
 * once it is synced add it back by reconfig. Then it watches again.
 *
 * The odd one out: each server compares the digest its leader carried with its own tree, so when
 * the leader's tree is the wrong one every follower mismatches. The automation therefore blames
 * the leader when a majority of the voters reported a mismatch since the last poll, else the
 * servers that reported (the lowest id first). A simplification of comparing the `hash` outputs
 * at a common zxid, which would give the same answer here.
 *
 * With `audit` set it also polls every serving server's digest log (`hash`) on its own fixed grid
 * and remembers them (observe/digest-audit.ts): a `digestDiverged` event for each divergence it
 * finds, and — when `act` — the same quarantine of the server to blame: for a `conflict` the
 * server(s) whose digest a quorum did not report, for `rewritten` the leader at that poll (its
 * history is the one the TRUNC came from). `act: false` only watches, mismatches included (the
 * detection without the remedy, to measure the remedy against).
 *
 * It is a plan step (scenario/plan-steps.ts): it runs in the trial's simulated time through the
 * `FaultHost` and the plan runner's wake-ups, with no event per poll while nothing mismatches
 * (the next poll instant is computed when a mismatch is reported: ARCHITECTURE.md "Time scales
 * without waste").
 */
import type { Plan, PlanStepBase } from '../config/plan.js';
import { formatDurationUs } from '../model/duration.js';
import type { ByzantineEvent, ServerId, TrialEvent } from '../model/index.js';
import { DigestLogAudit, type Divergence } from '../observe/digest-audit.js';
import { digestOf, type DigestMonitor, type Recorder } from '../observe/index.js';
import { RUNNING, type StepContext, type StepKindEntry, type StepRun, type StepStatus } from './plan-steps.js';
import type { PlanSpec } from './plan-runner.js';

/** The interval a monitoring system scrapes at: 30 s. */
export const DEFAULT_DIGEST_POLL_US = 30_000_000;

/** One quarantine, in µs of simulated time (null: not reached by the end of the run). */
export interface Quarantine {
  readonly server: ServerId;
  /** the first digestMismatch the poll saw, or the audit's poll that found the divergence */
  readonly mismatchAtUs: number;
  /** the poll that saw it: the automation's detection */
  readonly detectedAtUs: number;
  /** the reconfig removing it committed */
  removedAtUs: number | null;
  /** its process started again with an empty disk */
  restartedAtUs: number | null;
  /** the reconfig adding it back committed */
  readmittedAtUs: number | null;
}

interface AutomationStep extends PlanStepBase {
  readonly kind: 'digest-automation';
  readonly pollUs: number;
}

type Stage = 'watching' | 'removing' | 'restoring' | 'adding';

/** The digest-log audit's settings: its poll interval (µs) and whether the automation acts on what it finds. */
export interface AuditOptions {
  readonly pollUs: number;
  readonly act: boolean;
}

/**
 * The automation and what it did. `spec` is the plan to pass as `TrialOptions.plan`; `attach` the
 * trial's event sink (its recorder's events) so `quarantined` / `readmitted` join the timeline.
 */
export class DigestAutomation {
  readonly quarantines: Quarantine[] = [];
  readonly spec: PlanSpec;
  /** the digest-log audit (null without `audit`); its `divergences` are what it found */
  readonly audit: DigestLogAudit | null;
  private sink: ((e: ByzantineEvent) => void) | null = null;
  /** the trial's digest monitor, whose logs the audit polls */
  monitor: DigestMonitor | null = null;

  /** `pollUs`: the mismatch poll; `audit`: also audit the digest logs (RangeError on a bad interval). */
  constructor(readonly pollUs: number = DEFAULT_DIGEST_POLL_US, readonly auditOptions: AuditOptions | null = null) {
    for (const us of [pollUs, auditOptions?.pollUs ?? 1]) if (!Number.isInteger(us) || us <= 0) throw new RangeError(`the digest poll interval must be a positive whole number of µs, got ${us}`);
    this.audit = auditOptions === null ? null : new DigestLogAudit();
    const plan: Plan = {
      name: 'digest-automation',
      description: `poll the data-tree digests every ${formatDurationUs(pollUs)}; quarantine and restore a server that disagrees`,
      startUs: 0,
      steps: [{ kind: 'digest-automation', pollUs } as AutomationStep],
    };
    this.spec = { plan, kinds: [this.entry()] };
  }

  /** The trial's recorder: its events receive ours, its digest monitor (a DigestRecorder's) feeds the audit. */
  attach(sink: Recorder): void {
    this.sink = (e) => void sink.events.push(e);
    this.monitor = digestOf(sink);
  }

  private entry(): StepKindEntry<AutomationStep> {
    return {
      kind: 'digest-automation',
      keys: [],
      help: 'digest-automation: POLL — poll the data-tree digests every POLL; quarantine, restore and re-add a server that disagrees (never ends)',
      parse: (r, { path, value }) => {
        const pollUs = r.duration(value, `${path}.digest-automation`);
        return pollUs === undefined ? undefined : { kind: 'digest-automation', pollUs };
      },
      describe: (s) => `digest automation, polling every ${formatDurationUs(s.pollUs)}`,
      namedServers: () => [],
      start: () => new AutomationRun(this, (e) => this.sink?.(e)),
    };
  }
}

class AutomationRun implements StepRun {
  readonly touched = [];
  private stage: Stage = 'watching';
  /** servers that reported a mismatch since the last poll, with their first (when, which zxid) */
  private readonly reported = new Map<ServerId, { atUs: number; zxid: number }>();
  private nextPollUs: number | null = null;
  private current: Quarantine | null = null;
  /** the poll interval a refused reconfig waits for: that of the poll that detected */
  private retryUs: number;
  /** the audit's next poll (its grid starts at t = 0); null without an audit */
  private nextAuditUs: number | null;

  constructor(private readonly auto: DigestAutomation, private readonly emit: (e: ByzantineEvent) => void) {
    this.nextAuditUs = auto.audit === null ? null : 0;
    this.retryUs = auto.pollUs;
  }


  onEvent(ctx: StepContext, e: TrialEvent): void {
    if (e.type === 'digestMismatch' && this.stage === 'watching') {
      if (!this.reported.has(e.server)) this.reported.set(e.server, { atUs: e.atUs, zxid: e.zxid });
      if (this.nextPollUs === null) {
        // the poll grid starts at t = 0: the first scrape at or after the mismatch sees it
        this.nextPollUs = Math.ceil(e.atUs / this.auto.pollUs) * this.auto.pollUs;
        ctx.wakeAt(this.nextPollUs);
      }
    } else if (e.type === 'reconfigCommitted' && this.current !== null) {
      const member = e.members.some((m) => m.id === this.current?.server);
      if (this.stage === 'removing' && !member) this.restore(ctx, e.atUs);
      else if (this.stage === 'adding' && member) this.readmitted(e.atUs);
    } else if (e.type === 'reconfigRefused' && (this.stage === 'removing' || this.stage === 'adding')) {
      // a reconfig refused (no leader, one in progress, no quorum of the new config up): submit it again at the next poll
      this.nextPollUs = Math.ceil((e.atUs + 1) / this.retryUs) * this.retryUs;
      ctx.wakeAt(this.nextPollUs);
    }
  }

  poll(ctx: StepContext): StepStatus {
    if (this.nextAuditUs !== null && ctx.nowUs >= this.nextAuditUs) this.auditPoll(ctx);
    const due = this.nextPollUs !== null && ctx.nowUs >= this.nextPollUs;
    if (this.stage === 'watching' && due) this.detect(ctx);
    else if (due && this.current !== null && (this.stage === 'removing' || this.stage === 'adding')) this.submit(ctx);
    if (this.stage === 'restoring' && this.current !== null && ctx.health.serving(this.current.server)) {
      this.stage = 'adding';
      this.submit(ctx);
    }
    return RUNNING;
  }

  /** One poll of every serving server's `hash`; a divergence is reported, and acted on when asked. */
  private auditPoll(ctx: StepContext): void {
    const audit = this.auto.audit as DigestLogAudit;
    const monitor = this.auto.monitor;
    const step = (this.auto.auditOptions as AuditOptions).pollUs;
    this.nextAuditUs = (Math.floor(ctx.nowUs / step) + 1) * step;
    ctx.wakeAt(this.nextAuditUs);
    if (monitor === null) return;
    const answers = ctx.topology.servers.filter((s) => ctx.health.serving(s.id)).map((s) => ({ server: s.id, log: monitor.digestLog(s.id), rebuilds: monitor.rebuildsOf(s.id) }));
    const found = audit.poll(ctx.nowUs, answers, ctx.health.voters());
    for (const d of found) this.emit({ type: 'digestDiverged', atUs: d.atUs, how: d.how, zxid: d.zxid, servers: d.servers, expected: d.expected, actual: d.actual });
    const first = found[0];
    if (first === undefined || !(this.auto.auditOptions as AuditOptions).act || this.stage !== 'watching') return;
    const blamed = first.how === 'rewritten' ? (ctx.health.leader() ?? (first.servers[0] as ServerId)) : (first.servers[0] as ServerId);
    this.quarantine(ctx, blamed, first.atUs, first.zxid, first);
  }

  private detect(ctx: StepContext): void {
    if (this.auto.auditOptions?.act === false) {
      // watching only: the metric's mismatches are in the trial's events already
      this.reported.clear();
      this.nextPollUs = null;
      return;
    }
    const voters = ctx.health.voters();
    const reporters = [...this.reported.keys()].sort((a, b) => a - b);
    const leader = ctx.health.leader();
    const blamed = reporters.filter((id) => voters.includes(id)).length * 2 > voters.length && leader !== null ? leader : (reporters[0] as ServerId);
    const first = [...this.reported.values()].reduce((a, b) => (b.atUs < a.atUs ? b : a));
    this.reported.clear();
    this.quarantine(ctx, blamed, first.atUs, first.zxid, null);
  }

  private quarantine(ctx: StepContext, blamed: ServerId, seenAtUs: number, zxid: number, divergence: Divergence | null): void {
    this.current = { server: blamed, mismatchAtUs: seenAtUs, detectedAtUs: ctx.nowUs, removedAtUs: null, restartedAtUs: null, readmittedAtUs: null };
    this.auto.quarantines.push(this.current);
    this.retryUs = divergence ? (this.auto.auditOptions as AuditOptions).pollUs : this.auto.pollUs;
    this.emit({ type: 'quarantined', atUs: ctx.nowUs, server: blamed, zxid, ...(divergence ? { cause: divergence.how } : {}) });
    ctx.note(`${divergence ? `digest-log audit: ${divergence.how === 'conflict' ? 'digests disagree' : 'committed history rewritten'}` : 'digest mismatch seen by the poll'}: quarantining server ${blamed}`);
    this.stage = 'removing';
    this.submit(ctx);
  }

  private submit(ctx: StepContext): void {
    const id = (this.current as Quarantine).server;
    this.nextPollUs = null;
    if (this.stage === 'removing') ctx.faults.reconfig({ kind: 'incremental', add: [], remove: [id] });
    else ctx.faults.reconfig({ kind: 'incremental', add: [{ id, role: 'voter' }], remove: [] });
  }

  /** Replace its data directory: stop it, empty disk, start it (it fetches a SNAP as a non-member). */
  private restore(ctx: StepContext, atUs: number): void {
    const q = this.current as Quarantine;
    q.removedAtUs = atUs;
    this.stage = 'restoring';
    const host = ctx.faults.hostOf(q.server);
    // stop first: an operator's stop resets its clients' connections (a lost disk under a running
    // process is a silent failure, whose clients wait out their read timeout); then replace the disk
    ctx.faults.hostsDown([host], 'stopped for restore');
    ctx.faults.loseDisk(q.server);
    ctx.faults.hostsUp([host]);
    q.restartedAtUs = atUs;
    ctx.note(`server ${q.server} removed; data directory replaced, restarting to fetch a snapshot`);
  }

  private readmitted(atUs: number): void {
    const q = this.current as Quarantine;
    q.readmittedAtUs = atUs;
    this.emit({ type: 'readmitted', atUs, server: q.server });
    this.current = null;
    this.stage = 'watching';
  }
}

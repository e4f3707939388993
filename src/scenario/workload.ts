import { exponential, usToMs, type Rng } from '../core/index.js';
import { sessionTimeoutBoundsUs, type ClientEvent, type ServerId, type Topology, type TrialEvent } from '../model/index.js';
import { Histogram, type HistogramJSON } from '../stats/index.js';

/** What clients ask of the ensemble: rates over the whole ensemble, per second. */
export interface WorkloadSpec {
  readonly writesPerSec: number;
  readonly readsPerSec: number;
  /** requested session timeout in µs, clamped into [minSessionTimeout, maxSessionTimeout] (default [2, 20] × tickTime) as the server negotiates it */
  readonly sessionTimeoutUs: number;
  /**
   * Lazy workload (alert studies): issue requests only while writes are unavailable and for this
   * long (µs) after each change of the ensemble — any trial event (model/events.ts TrialEvent: a
   * fault applied or repaired, a role decided, a learner synced or lost, a process stopped or
   * started, writes lost or back); idle otherwise (no arrival events). Between changes the
   * ensemble, and so the write latency's distribution, stays as it was: the signals hold the
   * latency a settled window measured (observe/metrics.ts MetricsOptions.holdLatency). Absent:
   * requests all the time.
   */
  readonly onlyWhileDisturbedSettleUs?: number;
}

/** 30 s in µs: what a client requests unless told otherwise (the scenario file's default too). */
export { DEFAULT_SESSION_TIMEOUT_US } from '../config/scenario.js';

export interface ClientView {
  readonly writes: {
    attempted: number;
    committed: number;
    failed: number;
    timedOut: number;
    latencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
    /** commit latency in µs as a mergeable histogram (sparse buckets), for CDF charts */
    latencyHistogramUs: HistogramJSON;
  };
  /** servedByZone: reads answered by servers of each zone */
  readonly reads: { served: number; stale: number; failed: number; servedByZone: Record<string, number> };
  readonly sessions: { expired: number; moved: number; timeoutMs: number };
}

/** What the workload needs from the trial it runs in. */
export interface WorkloadHost {
  readonly nowUs: number;
  scheduleAt(atUs: number, ev: WorkloadEvent): void;
  /** hand a write to a server (arrives there now) */
  submitWrite(node: ServerId, writeId: number): void;
  serving(node: ServerId): boolean;
  /** how many txns this server has applied, and the most any server has */
  appliedBy(node: ServerId): number;
  appliedMost(): number;
  clientDelayUs(): number;
  /** last instant a leader became established (sessions get a fresh timeout then) */
  readonly lastEstablishedUs: number;
  /**
   * Optional sink for each request's outcome (model/events.ts ClientEvent), e.g. the trial's
   * Recorder.record; when absent no event object is built.
   */
  readonly onClientEvent?: (e: ClientEvent) => void;
}

export type WorkloadEvent =
  | { readonly kind: 'wl.write' }
  | { readonly kind: 'wl.read' }
  | { readonly kind: 'wl.timeout'; readonly writeId: number }
  | { readonly kind: 'wl.reply'; readonly writeId: number; readonly ok: boolean }
  /** the lazy workload's settle margin ended: idle unless disturbed since (`epoch` is still current) */
  | { readonly kind: 'wl.idle'; readonly epoch: number };

interface Client {
  readonly zone: string;
  /** connect string: every server, own zone first */
  readonly servers: readonly ServerId[];
  server: ServerId;
  connected: boolean;
  disconnectedSinceUs: number;
  /** a silent server failure is only noticed after the read timeout */
  noticeAfterUs: number;
}

interface Pending {
  readonly client: Client;
  /** the server the write was handed to */
  readonly server: ServerId;
  readonly issuedUs: number;
}

/**
 * Clients with sessions, one per server to start with (placed in its zone and region), issuing Poisson
 * streams of writes and reads. A write goes to the client's server, is forwarded to the leader
 * and answered once that server applies it; a read is served locally and is stale when that
 * server has applied less than some other server. A client whose server stops serving moves to
 * the next one of its connect string; disconnected longer than its session timeout (counted from
 * the last leader establishment, since a new leader re-registers every session) it has expired.
 */
export class Workload {
  private readonly clients: Client[];
  private readonly pending = new Map<number, Pending>();
  private nextWriteId = 1;
  private readonly latency = new Histogram();
  private attempted = 0;
  private committed = 0;
  private failed = 0;
  private timedOut = 0;
  private served = 0;
  private stale = 0;
  private readsFailed = 0;
  private readonly servedByZone = new Map<string, number>();
  private readonly zoneOf = new Map<ServerId, string>();
  private expired = 0;
  private moved = 0;
  readonly sessionTimeoutUs: number;
  private readonly readTimeoutUs: number;
  /** lazy mode (spec.onlyWhileDisturbedSettleUs): issuing or idle; arrivals still scheduled; writes down */
  private issuing = true;
  private readonly arrivals = { 'wl.write': false, 'wl.read': false };
  private writesDown = true;
  private idleEpoch = 0;

  constructor(
    private readonly spec: WorkloadSpec,
    topology: Topology,
    private readonly rng: Rng,
    private readonly host: WorkloadHost,
  ) {
    // ZooKeeper clamps the negotiated session timeout to [minSessionTimeout, maxSessionTimeout], by default [2, 20] ticks.
    const [minUs, maxUs] = sessionTimeoutBoundsUs(topology.zk);
    this.sessionTimeoutUs = Math.min(Math.max(spec.sessionTimeoutUs, minUs), maxUs);
    this.readTimeoutUs = Math.round((this.sessionTimeoutUs * 2) / 3);
    for (const s of topology.servers) this.zoneOf.set(s.id, s.zone);
    this.clients = topology.servers.map((s) => ({
      zone: s.zone,
      // A client lists the servers of its own region, its own zone first (a DR site's clients
      // list the DR observers); it fails over inside that list.
      servers: [
        ...topology.servers.filter((o) => o.zone === s.zone),
        ...topology.servers.filter((o) => o.zone !== s.zone && o.region === s.region),
      ].map((o) => o.id),
      server: s.id,
      connected: false,
      disconnectedSinceUs: 0,
      noticeAfterUs: 0,
    }));
  }

  start(): void {
    this.scheduleArrivals();
  }

  private scheduleArrivals(): void {
    if (this.spec.writesPerSec > 0 && !this.arrivals['wl.write']) this.scheduleArrival({ kind: 'wl.write' });
    if (this.spec.readsPerSec > 0 && !this.arrivals['wl.read']) this.scheduleArrival({ kind: 'wl.read' });
  }

  private scheduleArrival(ev: { readonly kind: 'wl.write' | 'wl.read' }): void {
    this.arrivals[ev.kind] = true;
    this.host.scheduleAt(this.nextArrival(ev.kind === 'wl.write' ? this.spec.writesPerSec : this.spec.readsPerSec), ev);
  }

  /**
   * A trial event, for the lazy mode (spec.onlyWhileDisturbedSettleUs; otherwise ignored): every
   * event (a change of the ensemble) resumes the arrivals at once; they idle once writes are
   * available and the settle margin has passed since the last event.
   */
  onTrialEvent(e: TrialEvent): void {
    const settleUs = this.spec.onlyWhileDisturbedSettleUs;
    if (settleUs === undefined || !CHANGES.has(e.type)) return;
    if (e.type === 'writesUnavailable' || e.type === 'writesAvailable') this.writesDown = e.type === 'writesUnavailable';
    this.idleEpoch++;
    this.issuing = true;
    this.scheduleArrivals();
    if (!this.writesDown) this.host.scheduleAt(this.host.nowUs + settleUs, { kind: 'wl.idle', epoch: this.idleEpoch });
  }

  handle(ev: WorkloadEvent): void {
    switch (ev.kind) {
      case 'wl.write':
      case 'wl.read':
        this.arrivals[ev.kind] = false;
        if (!this.issuing) break;
        if (ev.kind === 'wl.write') this.issueWrite();
        else this.issueRead();
        this.scheduleArrival(ev);
        break;
      case 'wl.idle':
        if (ev.epoch === this.idleEpoch) this.issuing = false;
        break;
      case 'wl.timeout': {
        const p = this.pending.get(ev.writeId);
        if (!p) return;
        this.pending.delete(ev.writeId);
        this.timedOut++;
        this.failed++;
        this.host.onClientEvent?.({ type: 'writeFailed', atUs: this.host.nowUs, server: p.server, writeId: ev.writeId, reason: 'timed out' });
        this.disconnect(p.client, this.host.nowUs);
        break;
      }
      case 'wl.reply': {
        const p = this.pending.get(ev.writeId);
        if (!p) return; // answered after the client gave up
        this.pending.delete(ev.writeId);
        if (ev.ok) {
          this.committed++;
          this.latency.record(this.host.nowUs - p.issuedUs);
          this.host.onClientEvent?.({ type: 'writeCommitted', atUs: this.host.nowUs, server: p.server, writeId: ev.writeId, latencyUs: this.host.nowUs - p.issuedUs });
        } else {
          this.failed++;
          this.host.onClientEvent?.({ type: 'writeFailed', atUs: this.host.nowUs, server: p.server, writeId: ev.writeId, reason: 'rejected' });
          this.disconnect(p.client, this.host.nowUs);
        }
        break;
      }
    }
  }

  /** A server answered: the reply travels back to the client. */
  onReply(writeId: number, ok: boolean): void {
    if (!this.pending.has(writeId)) return;
    this.host.scheduleAt(this.host.nowUs + this.host.clientDelayUs(), { kind: 'wl.reply', writeId, ok });
  }

  /** A server process went away: killed (clients see a reset) or silently (they time out). */
  onServerStopped(node: ServerId, silent: boolean): void {
    const now = this.host.nowUs;
    for (const c of this.clients) {
      if (c.server !== node || !c.connected) continue;
      this.disconnect(c, now);
      if (silent) c.noticeAfterUs = now + this.readTimeoutUs;
    }
  }

  private nextArrival(ratePerSec: number): number {
    return this.host.nowUs + Math.max(1, Math.round(exponential(this.rng, 1e6 / ratePerSec)));
  }

  private pickClient(): Client {
    return this.rng.pick(this.clients);
  }

  /** Find a serving server for the client, counting a session expiry if it was away too long. */
  private ensureConnected(c: Client): boolean {
    const now = this.host.nowUs;
    if (c.connected && this.host.serving(c.server)) return true;
    if (c.connected) this.disconnect(c, now);
    if (now < c.noticeAfterUs) return false;
    const start = c.servers.indexOf(c.server);
    for (let k = 0; k < c.servers.length; k++) {
      const s = c.servers[(start + k) % c.servers.length] as ServerId;
      if (!this.host.serving(s)) continue;
      const awayUs = now - Math.max(c.disconnectedSinceUs, this.host.lastEstablishedUs);
      if (c.disconnectedSinceUs > 0 && awayUs > this.sessionTimeoutUs) this.expired++;
      if (s !== c.server) this.moved++;
      c.server = s;
      c.connected = true;
      c.disconnectedSinceUs = 0;
      return true;
    }
    return false;
  }

  private disconnect(c: Client, now: number): void {
    if (!c.connected) return;
    c.connected = false;
    c.disconnectedSinceUs = Math.max(1, now);
  }

  private issueWrite(): void {
    const c = this.pickClient();
    this.attempted++;
    if (!this.ensureConnected(c)) {
      this.failed++;
      this.host.onClientEvent?.({ type: 'writeFailed', atUs: this.host.nowUs, server: null, writeId: null, reason: 'no server' });
      return;
    }
    const writeId = this.nextWriteId++;
    this.pending.set(writeId, { client: c, server: c.server, issuedUs: this.host.nowUs });
    this.host.onClientEvent?.({ type: 'writeIssued', atUs: this.host.nowUs, server: c.server, writeId });
    this.host.submitWrite(c.server, writeId);
    this.host.scheduleAt(this.host.nowUs + this.readTimeoutUs, { kind: 'wl.timeout', writeId });
  }

  private issueRead(): void {
    const c = this.pickClient();
    if (!this.ensureConnected(c)) {
      this.readsFailed++;
      this.host.onClientEvent?.({ type: 'readFailed', atUs: this.host.nowUs });
      return;
    }
    this.served++;
    const zone = this.zoneOf.get(c.server) ?? '';
    this.servedByZone.set(zone, (this.servedByZone.get(zone) ?? 0) + 1);
    const stale = this.host.appliedBy(c.server) < this.host.appliedMost();
    if (stale) this.stale++;
    this.host.onClientEvent?.({ type: 'readServed', atUs: this.host.nowUs, server: c.server, stale });
  }

  /** A session still stranded at the end counts as expired once its timeout has run out. */
  private strandedExpired(): number {
    const now = this.host.nowUs;
    let n = 0;
    for (const c of this.clients) {
      if (c.connected || c.disconnectedSinceUs === 0) continue;
      if (now - Math.max(c.disconnectedSinceUs, this.host.lastEstablishedUs) > this.sessionTimeoutUs) n++;
    }
    return n;
  }

  view(): ClientView {
    const q = (p: number): number | null => (this.latency.count === 0 ? null : usToMs(this.latency.quantile(p)));
    return {
      writes: {
        attempted: this.attempted,
        committed: this.committed,
        failed: this.failed,
        timedOut: this.timedOut,
        latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: this.latency.count === 0 ? null : usToMs(this.latency.max) },
        latencyHistogramUs: this.latency.toJSON(),
      },
      reads: { served: this.served, stale: this.stale, failed: this.readsFailed, servedByZone: Object.fromEntries(this.servedByZone) },
      sessions: { expired: this.expired + this.strandedExpired(), moved: this.moved, timeoutMs: usToMs(this.sessionTimeoutUs) },
    };
  }
}

/**
 * The trial events that restart the lazy workload's sampling (WorkloadSpec.onlyWhileDisturbedSettleUs):
 * every kind that can change the ensemble's state. Left out: the events writes themselves cause
 * or that change nothing a write meets (digest checks, safety reports, skipped faults, election
 * notifications and ZAB phases inside an election that a role decision ends anyway).
 */
const CHANGES: ReadonlySet<TrialEvent['type']> = new Set<TrialEvent['type']>([
  'faultApplied', 'faultRepaired', 'looking', 'roleDecided', 'established', 'synced', 'learnerLost', 'leaderLost', 'steppedDown',
  'processStopped', 'stepDone', 'writesUnavailable', 'writesAvailable', 'reconfigCommitted', 'configRewritten', 'quarantined', 'readmitted', 'restoreDone',
]);

/**
 * The trial's event hook with a lazy workload (WorkloadSpec.onlyWhileDisturbedSettleUs) fed
 * first; the hook unchanged otherwise, so a trial without one hands no event over at all.
 */
export function withLazyWorkload(hook: ((e: TrialEvent) => void) | null, spec: WorkloadSpec | undefined, workload: () => Workload | null): ((e: TrialEvent) => void) | null {
  if (spec?.onlyWhileDisturbedSettleUs === undefined) return hook;
  return (e) => {
    workload()?.onTrialEvent(e);
    hook?.(e);
  };
}

/** The most txns any live server has applied (WorkloadHost.appliedMost). */
export function mostDelivered(peers: ReadonlyMap<ServerId, { readonly log: { readonly delivered: number } } | null>): number {
  let most = 0;
  for (const p of peers.values()) if (p) most = Math.max(most, p.log.delivered);
  return most;
}

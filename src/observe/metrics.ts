/**
 * The signals a real deployment scrapes from each ZooKeeper server, derived from a trial's typed
 * events (model/events.ts TrialEvent) as piecewise-constant functions of simulated time: nothing
 * is sampled per scrape here; observe/alerts.ts reads the value a scrape at time t would see.
 *
 * Names are mntr's (`echo mntr`, Commands.MonitorCommand in ZooKeeper 3.8.6, which prefixes
 * every metric with `zk_`), plus Prometheus's own `up`:
 * - `up`: 1 while the server's process runs and answers: from the end of its JVM start
 *   (QuorumPeerMain.runFromConfig starts the metrics provider before loadDataBase) until it stops;
 *   a stop-the-world paused process fails its scrape (0). Every other signal is absent then, as a down server
 *   exports nothing. The monitoring network is assumed to reach every server (a partition or an
 *   isolation between servers does not cut the scrapes).
 * - `zk_server_state` (leader | follower | observer; ZooKeeperServer's getState via
 *   QuorumPeer.getServerState): one 0/1 series per state, `zk_server_state{state="leader"}`.
 * Every zk_* signal is absent while the server is not *serving*: the four-letter mntr
 * (server/command/MonitorCommand.commandRun in 3.8.6) prints only "This ZooKeeper instance is
 * not currently serving requests" unless zkServer.isRunning() (state RUNNING). A leader's
 * ZooKeeperServer starts once it is established (Leader.lead → startZkServer, after a quorum acked
 * NEWLEADER), a learner's at UPTODATE (Learner.syncWithLeader → zk.startServing()); it shuts down
 * when the role ends. So an mntr-based exporter exports nothing but `up` for a LOOKING or syncing
 * server, `zk_server_state{state="looking"}` is never 1 (always absent), and `leader` appears only
 * once the leader is established.
 * - `zk_synced_followers` (leader only; Commands.MonitorCommand → LeaderZooKeeperServer via
 *   Leader.getForwardingFollowers): voters synced with an established leader, itself excluded.
 * - `zk_cnt_election_time` (ServerMetrics.ELECTION_TIME, a summary whose count mntr prints as
 *   cnt_; added in Leader.lead / Follower.followLeader / Observer.observeLeader when the server
 *   leaves LOOKING): elections this server took part in. A counter; resets on restart are
 *   corrected here as Prometheus's increase() corrects them, so the series is the monotone total.
 * - `zk_snap_count` (ServerMetrics.SNAP_COUNT, LearnerHandler.syncFollower on a SNAP sync): on the leader.
 * - `zk_p99_updatelatency` (ServerMetrics.UPDATE_LATENCY's 99th percentile, ms): the p99 of the
 *   writes this server completed in the last LATENCY_WINDOW_US, recomputed at its events at most
 *   once per simulated second (ZooKeeper's reservoir is not time-windowed; the window is our simplification), from
 *   the workload's writeCommitted events. With no write in the window it is absent, unless
 *   `steadyLatencyMs` gives the value of a quiet window (Monte Carlo studies, whose workload runs
 *   only while something is wrong: montecarlo/alert-study.ts).
 *   With `holdLatency` (studies whose workload samples only after each change: scenario/workload.ts
 *   WorkloadSpec.onlyWhileDisturbedSettleUs) a window left empty keeps the last p99 the server
 *   measured: the ensemble has not changed since, so neither has the latency's distribution.
 * - `zk_digest_mismatches_count` (ServerMetrics.DIGEST_MISMATCHES_COUNT, ZOOKEEPER-3150): one more
 *   at each `digestMismatch` event (DataTree.compareDigest), on the server that saw it.
 * - `zk_outstanding_requests` (ServerStats.getOutstandingRequests → ZooKeeperServer.getInProcess:
 *   incremented in submitRequestNow, decremented in FinalRequestProcessor.processRequest): the
 *   writes clients handed to this server (`writeIssued`) not yet answered (`writeCommitted` /
 *   `writeFailed`), counted from the client's send to its reply (two client hops more than the
 *   server's count). Starts at 0 in each role: a role's ZooKeeperServer is new.
 * - `zk_approximate_data_size` (DataTree.cachedApproximateDataSize, bytes: paths plus data of every
 *   znode): the topology's data tree (storage.snapshotMB MiB) plus storage.txnBytes per committed
 *   write this server has applied: the ensemble's count while it follows an established leader
 *   (or is it), frozen from when it leaves it until it syncs again. Updated at most once per
 *   simulated second. Without `storage` it is absent.
 */
import type { ServerId, TrialEvent } from '../model/index.js';
import { SERVER_STATES, SIGNAL_KIND, SIGNAL_NAMES, type ServerStateName, type SignalName } from '../config/alerts.js';

export { SERVER_STATES, SIGNAL_KIND, SIGNAL_NAMES, type ServerStateName, type SignalName };

/** The window of completed writes `zk_p99_updatelatency` summarizes (µs). */
export const LATENCY_WINDOW_US = 60_000_000;

/**
 * A step function of time: `v[i]` holds on [t[i], t[i+1]) (the last to the trial's end); NaN is
 * absent (no sample). Before t[0] the series is absent. Times ascending, µs.
 */
export interface Series {
  readonly t: number[];
  readonly v: number[];
}

/** One server's series, keyed `up`, `zk_server_state{state="leader"}`, `zk_synced_followers`, … */
export interface ServerSignals {
  readonly server: ServerId;
  readonly voter: boolean;
  readonly series: ReadonlyMap<string, Series>;
}

/** The key of a signal's series (the state label for zk_server_state). */
export function seriesKey(signal: SignalName, state?: ServerStateName): string {
  return signal === 'zk_server_state' ? `zk_server_state{state="${state ?? 'leader'}"}` : signal;
}

/** The value of `s` at `atUs` (NaN when absent). Binary search: O(log n). */
export function valueAt(s: Series, atUs: number): number {
  let lo = 0;
  let hi = s.t.length - 1;
  if (hi < 0 || (s.t[0] as number) > atUs) return Number.NaN;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((s.t[mid] as number) <= atUs) lo = mid;
    else hi = mid - 1;
  }
  return s.v[lo] as number;
}

class SeriesBuilder {
  readonly t: number[] = [];
  readonly v: number[] = [];
  set(atUs: number, value: number): void {
    const n = this.v.length;
    if (n > 0 && Object.is(this.v[n - 1], value)) return;
    if (n > 0 && this.t[n - 1] === atUs) {
      this.v[n - 1] = value;
      if (n > 1 && Object.is(this.v[n - 2], value)) (this.t.pop(), this.v.pop());
      return;
    }
    this.t.push(atUs);
    this.v.push(value);
  }
}

/** Per-server state while the events are read. */
class ServerTrack {
  running = false;
  paused = false;
  state: ServerStateName | null = null;
  established = false;
  readonly synced = new Set<ServerId>();
  elections = 0;
  snaps = 0;
  digestMismatches = 0;
  readonly latencies: { atUs: number; ms: number }[] = [];
  /** the p99 last measured over a non-empty window (MetricsOptions.holdLatency) */
  heldP99Ms = Number.NaN;
  /** writeIds handed to this server and not yet answered (zk_outstanding_requests) */
  readonly outstanding = new Set<number>();
  /** committed writes in this server's data tree; `inSync`: it follows the ensemble's count */
  appliedWrites = 0;
  inSync = false;
  /** first of `latencies` still in the window; the p99 cached for the simulated second `p99Second` */
  latencyStart = 0;
  p99Second = -1;
  p99Ms = Number.NaN;
  readonly out = new Map<string, SeriesBuilder>();
  constructor(readonly voter: boolean) {
    for (const key of [...SIGNAL_NAMES.filter((s) => s !== 'zk_server_state'), ...SERVER_STATES.map((st) => seriesKey('zk_server_state', st))]) this.out.set(key, new SeriesBuilder());
  }
}

export interface MetricsOptions {
  /** which servers are voters (the `servers: voters` selector) */
  readonly voters: ReadonlySet<ServerId>;
  readonly servers: readonly ServerId[];
  /** zk_p99_updatelatency (ms) while a server is up and has completed no write in the window; null: absent then */
  readonly steadyLatencyMs?: number | null;
  /** keep a server's last measured p99 while its window is empty (see the file header) */
  readonly holdLatency?: boolean;
  /** the topology's data tree (MiB) and one txn's size (bytes), for zk_approximate_data_size; absent: the signal is absent */
  readonly storage?: { readonly snapshotMB: number; readonly txnBytes: number } | null;
}

/**
 * The signals of every server over a trial, from its events in order (see the file header).
 * Cost: O(events) plus, with a workload, O(writes × writes per window) for the latency p99.
 */
export function signalsFromEvents(events: readonly TrialEvent[], opts: MetricsOptions): ServerSignals[] {
  const b = new SignalsBuilder(opts);
  for (const e of events) b.add(e);
  return b.finish();
}

/**
 * signalsFromEvents fed one event at a time, as a trial hands them over (TrialHooks.onEvent and
 * onClientEvent), so a study need not keep a year of events. Events in time order.
 */
export class SignalsBuilder {
  private readonly tracks = new Map<ServerId, ServerTrack>();
  private readonly pub: Publishing;
  /** writes the ensemble committed; the simulated second zk_approximate_data_size was last published in */
  private committed = 0;
  private sizeSecond = -1;
  constructor(private readonly opts: MetricsOptions) {
    for (const id of opts.servers) this.tracks.set(id, new ServerTrack(opts.voters.has(id)));
    const storage = opts.storage ?? null;
    this.pub = { steadyLatencyMs: opts.steadyLatencyMs ?? null, hold: opts.holdLatency === true, baseBytes: storage === null ? Number.NaN : storage.snapshotMB * MIB, txnBytes: storage?.txnBytes ?? 0 };
  }
  add(e: TrialEvent): void {
    if (e.type === 'writeCommitted') this.committed++;
    applyEvent(e, this.tracks, this.opts.voters, this.committed);
    if (applyClientEvent(e, this.tracks)) {
      const tr = this.tracks.get(e.server as ServerId);
      if (tr) publishClient(tr, e.atUs, this.pub);
    } else publishTouched(e, this.tracks, this.pub);
    // the ensemble's data tree grew: every server in sync holds it (at most once per simulated second)
    const second = Math.floor(e.atUs / 1_000_000);
    if (e.type === 'writeCommitted' && second !== this.sizeSecond) {
      this.sizeSecond = second;
      for (const tr of this.tracks.values()) {
        if (!tr.inSync) continue;
        tr.appliedWrites = this.committed;
        publishClient(tr, e.atUs, this.pub);
      }
    }
  }
  finish(): ServerSignals[] {
    return this.opts.servers.map((id) => {
      const tr = this.tracks.get(id) as ServerTrack;
      const series = new Map<string, Series>();
      for (const [key, b] of tr.out) series.set(key, { t: b.t, v: b.v });
      return { server: id, voter: tr.voter, series };
    });
  }
}

const MIB = 1024 * 1024;

/** What publish needs besides a server's track. */
interface Publishing {
  readonly steadyLatencyMs: number | null;
  readonly hold: boolean;
  /** the data tree before any simulated write (bytes; NaN: zk_approximate_data_size absent) */
  readonly baseBytes: number;
  readonly txnBytes: number;
}

/**
 * The client events' share of the signals: outstanding requests (the latency is applyEvent's).
 * True when `e` is a request event on a server: only that server's request-driven series change.
 */
function applyClientEvent(e: TrialEvent, tracks: Map<ServerId, ServerTrack>): e is TrialEvent & { readonly server: ServerId } {
  if (e.type === 'writeIssued') tracks.get(e.server)?.outstanding.add(e.writeId);
  else if ((e.type === 'writeCommitted' || e.type === 'writeFailed') && e.server !== null && e.writeId !== null) tracks.get(e.server)?.outstanding.delete(e.writeId);
  else return e.type === 'readServed';
  return e.server !== null;
}

/** `committed`: the writes the ensemble has committed (a server leaving it keeps that many). */
function applyEvent(e: TrialEvent, tracks: Map<ServerId, ServerTrack>, voters: ReadonlySet<ServerId>, committed: number): void {
  const tr = 'server' in e && e.server !== null ? tracks.get(e.server) : undefined;
  switch (e.type) {
    case 'looking':
      if (tr) reset(tr, true, 'looking', committed);
      break;
    case 'roleDecided':
      if (!tr) break;
      tr.running = true;
      tr.state = e.role === 'LEADING' ? 'leader' : e.role === 'FOLLOWING' ? 'follower' : 'observer';
      if (e.designated !== true) tr.elections++;
      break;
    case 'established':
      if (!tr) break;
      tr.established = true;
      tr.inSync = true;
      tr.appliedWrites = committed;
      for (const q of e.quorum) if (q !== e.server && voters.has(q)) tr.synced.add(q);
      break;
    case 'synced': {
      const leader = tracks.get(e.leader);
      if (leader?.established && voters.has(e.server)) leader.synced.add(e.server);
      if (leader && e.mode === 'SNAP') leader.snaps++;
      if (tr) (tr.inSync = true), (tr.appliedWrites = committed);
      break;
    }
    case 'learnerLost':
      tr?.synced.delete(e.learner);
      break;
    case 'steppedDown':
      if (tr) reset(tr, tr.running, tr.state, committed);
      break;
    case 'processStopped':
      if (tr) reset(tr, false, null, committed);
      break;
    case 'faultApplied':
    case 'faultRepaired':
      if (e.type === 'faultApplied' ? e.effect === 'paused' : e.effect === 'resumed') {
        for (const s of e.servers) {
          const t = tracks.get(s);
          if (t) t.paused = e.type === 'faultApplied';
        }
      }
      break;
    case 'stepDone':
      // the metrics endpoint answers once the JVM is up: QuorumPeerMain.runFromConfig starts the
      // metrics provider before loadDataBase and the election
      if (tr && e.step === 'jvmStart') tr.running = true;
      break;
    case 'writeCommitted':
      tr?.latencies.push({ atUs: e.atUs, ms: e.latencyUs / 1000 });
      break;
    case 'digestMismatch':
      // DataTree.compareDigest: one more in ServerMetrics.DIGEST_MISMATCHES_COUNT
      if (tr) tr.digestMismatches++;
      break;
    default:
      break;
  }
}

/** A role is over (LOOKING again, stepped down, stopped): its following, its in-process requests; the data tree stays as applied. */
function reset(tr: ServerTrack, running: boolean, state: ServerStateName | null, committed: number): void {
  tr.running = running;
  tr.state = state;
  tr.established = false;
  tr.synced.clear();
  tr.outstanding.clear();
  if (!running) tr.heldP99Ms = Number.NaN; // a new JVM's ServerMetrics start empty
  if (tr.inSync) tr.appliedWrites = committed;
  tr.inSync = false;
}

/** Re-publish the series of the servers an event may have changed (all, for fault events). */
function publishTouched(e: TrialEvent, tracks: Map<ServerId, ServerTrack>, pub: Publishing): void {
  const touched = new Set<ServerId>();
  if ('server' in e && e.server !== null) touched.add(e.server);
  if (e.type === 'synced') touched.add(e.leader);
  if (e.type === 'faultApplied' || e.type === 'faultRepaired') for (const s of e.servers) touched.add(s);
  for (const id of touched) {
    const tr = tracks.get(id);
    if (tr) publish(tr, e.atUs, pub);
  }
}

/** mntr answers with metrics: the process answers and its role's ZooKeeperServer is RUNNING (file header). */
function serving(tr: ServerTrack): boolean {
  return tr.running && !tr.paused && tr.inSync && tr.state !== null && tr.state !== 'looking';
}

function publish(tr: ServerTrack, atUs: number, pub: Publishing): void {
  const up = serving(tr);
  const put = (key: string, value: number): void => (tr.out.get(key) as SeriesBuilder).set(atUs, up ? value : Number.NaN);
  (tr.out.get('up') as SeriesBuilder).set(atUs, tr.running && !tr.paused ? 1 : 0);
  for (const st of SERVER_STATES) put(seriesKey('zk_server_state', st), st === 'looking' ? Number.NaN : tr.state === st ? 1 : 0);
  if (tr.state === 'leader' && tr.established) put('zk_synced_followers', tr.synced.size);
  else (tr.out.get('zk_synced_followers') as SeriesBuilder).set(atUs, Number.NaN);
  // counters: the reset-corrected total, sampled only while the server answers
  put('zk_cnt_election_time', tr.elections);
  put('zk_snap_count', tr.snaps);
  put('zk_digest_mismatches_count', tr.digestMismatches);
  publishClient(tr, atUs, pub);
}

/** The series requests move: the latency p99, outstanding requests, the data tree's size. */
function publishClient(tr: ServerTrack, atUs: number, pub: Publishing): void {
  const up = serving(tr);
  const put = (key: string, value: number): void => (tr.out.get(key) as SeriesBuilder).set(atUs, up ? value : Number.NaN);
  const p99 = p99At(tr, atUs);
  if (!Number.isNaN(p99)) tr.heldP99Ms = p99;
  const quiet = pub.hold && !Number.isNaN(tr.heldP99Ms) ? tr.heldP99Ms : (pub.steadyLatencyMs ?? Number.NaN);
  put('zk_p99_updatelatency', Number.isNaN(p99) ? quiet : p99);
  put('zk_outstanding_requests', tr.outstanding.size);
  put('zk_approximate_data_size', pub.baseBytes + pub.txnBytes * tr.appliedWrites);
}

/**
 * p99 (ms) of the writes the server completed in the LATENCY_WINDOW_US before `atUs` (NaN with
 * none: the summary has no sample). Recomputed at most once per simulated second per server — a
 * scrape every few seconds cannot tell — so a run with hundreds of writes a second stays cheap.
 */
function p99At(tr: ServerTrack, atUs: number): number {
  const second = Math.floor(atUs / 1_000_000);
  if (second === tr.p99Second) return tr.p99Ms;
  const l = tr.latencies;
  while (tr.latencyStart < l.length && (l[tr.latencyStart] as { atUs: number }).atUs <= atUs - LATENCY_WINDOW_US) tr.latencyStart++;
  if (tr.latencyStart > 4096 && tr.latencyStart * 2 > l.length) tr.latencyStart -= l.splice(0, tr.latencyStart).length;
  tr.p99Second = second;
  tr.p99Ms = upperQuantile(l, tr.latencyStart, 0.99);
  return tr.p99Ms;
}

/**
 * The type-7 quantile `q` (stats/quantiles.ts `quantile`, the same value) of `l[from..].ms`, high
 * q only: it keeps the n − ⌊(n−1)q⌋ largest values instead of sorting (a p99 of 600 keeps 7).
 * NaN for none.
 */
export function upperQuantile(l: readonly { readonly ms: number }[], from: number, q: number): number {
  const n = l.length - from;
  if (n <= 0) return Number.NaN;
  const h = (n - 1) * q;
  const i = Math.floor(h);
  const k = n - i;
  const top: number[] = []; // the k largest so far, descending
  for (let j = from; j < l.length; j++) {
    const v = (l[j] as { ms: number }).ms;
    if (top.length === k && v <= (top[k - 1] as number)) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1] as number) < v) at--;
    top.splice(at, 0, v);
    if (top.length > k) top.pop();
  }
  const lo = top[k - 1] as number;
  const frac = h - i;
  return frac === 0 || k < 2 ? lo : lo + frac * ((top[k - 2] as number) - lo);
}

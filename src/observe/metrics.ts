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
 * - `zk_server_state` (leader | follower | observer | looking; ZooKeeperServer's getState via
 *   QuorumPeer.getServerState): one 0/1 series per state, `zk_server_state{state="leader"}`;
 *   LEADING from FLE's decision (QuorumPeer sets LEADING before Leader.lead), as mntr shows it.
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
 * - `zk_digest_mismatches_count` (ServerMetrics.DIGEST_MISMATCHES_COUNT, ZOOKEEPER-3150): one more
 *   at each `digestMismatch` event (DataTree.compareDigest), on the server that saw it.
 */
import type { ServerId, TrialEvent } from '../model/index.js';
import { quantile, sortedCopy } from '../stats/index.js';
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
  private readonly steady: number | null;
  constructor(private readonly opts: MetricsOptions) {
    for (const id of opts.servers) this.tracks.set(id, new ServerTrack(opts.voters.has(id)));
    this.steady = opts.steadyLatencyMs ?? null;
  }
  add(e: TrialEvent): void {
    applyEvent(e, this.tracks, this.opts.voters);
    publishTouched(e, this.tracks, this.steady);
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

function applyEvent(e: TrialEvent, tracks: Map<ServerId, ServerTrack>, voters: ReadonlySet<ServerId>): void {
  const tr = 'server' in e && e.server !== null ? tracks.get(e.server) : undefined;
  switch (e.type) {
    case 'looking':
      if (tr) reset(tr, true, 'looking');
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
      for (const q of e.quorum) if (q !== e.server && voters.has(q)) tr.synced.add(q);
      break;
    case 'synced': {
      const leader = tracks.get(e.leader);
      if (leader?.established && voters.has(e.server)) leader.synced.add(e.server);
      if (leader && e.mode === 'SNAP') leader.snaps++;
      break;
    }
    case 'learnerLost':
      tr?.synced.delete(e.learner);
      break;
    case 'steppedDown':
      if (tr) reset(tr, tr.running, tr.state);
      break;
    case 'processStopped':
      if (tr) reset(tr, false, null);
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

/** A leader's following is gone (LOOKING again, stepped down, stopped). */
function reset(tr: ServerTrack, running: boolean, state: ServerStateName | null): void {
  tr.running = running;
  tr.state = state;
  tr.established = false;
  tr.synced.clear();
}

/** Re-publish the series of the servers an event may have changed (all, for fault events). */
function publishTouched(e: TrialEvent, tracks: Map<ServerId, ServerTrack>, steadyLatencyMs: number | null): void {
  const touched = new Set<ServerId>();
  if ('server' in e && e.server !== null) touched.add(e.server);
  if (e.type === 'synced') touched.add(e.leader);
  if (e.type === 'faultApplied' || e.type === 'faultRepaired') for (const s of e.servers) touched.add(s);
  for (const id of touched) {
    const tr = tracks.get(id);
    if (tr) publish(tr, e.atUs, steadyLatencyMs);
  }
}

function publish(tr: ServerTrack, atUs: number, steadyLatencyMs: number | null): void {
  const up = tr.running && !tr.paused;
  const put = (key: string, value: number): void => (tr.out.get(key) as SeriesBuilder).set(atUs, up ? value : Number.NaN);
  (tr.out.get('up') as SeriesBuilder).set(atUs, up ? 1 : 0);
  for (const st of SERVER_STATES) put(seriesKey('zk_server_state', st), tr.state === st ? 1 : 0);
  if (tr.state === 'leader' && tr.established) put('zk_synced_followers', tr.synced.size);
  else (tr.out.get('zk_synced_followers') as SeriesBuilder).set(atUs, Number.NaN);
  // counters: the reset-corrected total, sampled only while the server answers
  put('zk_cnt_election_time', tr.elections);
  put('zk_snap_count', tr.snaps);
  put('zk_digest_mismatches_count', tr.digestMismatches);
  const p99 = p99At(tr, atUs);
  put('zk_p99_updatelatency', Number.isNaN(p99) ? (steadyLatencyMs ?? Number.NaN) : p99);
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
  tr.p99Ms = tr.latencyStart === l.length ? Number.NaN : quantile(sortedCopy(l.slice(tr.latencyStart).map((x) => x.ms)), 0.99);
  return tr.p99Ms;
}

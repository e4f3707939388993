/**
 * Monte Carlo over alert rules (issue 15 §1): trial i of seed deriveSeed(seed, i) runs the
 * topology under the failure model exactly as `zksim availability` runs it (montecarlo/plan.ts
 * runNaive: the same faults, so the same outages), its events become the servers' signals
 * (observe/metrics.ts), and the rules are evaluated on them (observe/alerts.ts). The scrape grid's
 * phase is drawn per trial from its own stream (`alerts` fork of the trial seed): uniform in
 * [0, scrape_interval), so detection delays average over where an outage falls between scrapes.
 *
 * Definitions (README "Alerts"):
 * - a *write outage* is a maximal interval without a write-available leader (writesUnavailable →
 *   writesAvailable), after the trial's first one (the cold start) ended;
 * - an outage is *caught* when some page-severity alert episode starts firing within
 *   [outage start, outage end + grace]; its *time to detect* is the first such firing instant
 *   minus the outage's start. A page already firing when the outage starts does not catch it: it
 *   says nothing about this outage (an always-true rule would otherwise catch every outage in 0 s);
 * - a *false page* is a page-severity episode that starts firing outside every [outage start,
 *   outage end + grace]: one that fires with no outage near, or one firing before an outage began
 *   and through it. So every page episode is either a detection or a false page;
 * - *false paging time*: the union of the false pages' firing intervals [fired, resolved (or the
 *   trial's end)], less the outages' windows: how long someone is paged for nothing.
 *
 * Without `workload` no client writes are simulated (a year of writes is ~10⁹ of them):
 * zk_p99_updatelatency is held at `steadyLatencyMs`, the p99 measured in a quiet window
 * (quietUpdateLatencyMs), so latency rules cannot fire, and zk_outstanding_requests stays 0. With
 * it (alert-study-workload.ts) the trials write while writes are down and for a settle after each
 * change of the ensemble, and each server's p99 holds between changes. Runs go inline on this
 * thread, in index order (no worker pool): the result is a function of the inputs alone.
 */
import { deriveSeed, Rng } from '../core/index.js';
import { quorumOf, type AlertRule, type AlertRules } from '../config/alerts.js';
import type { Experiment, Topology, TrialEvent, WriteDowntimeCause } from '../model/index.js';
import { isInitialVoter } from '../model/topology.js';
import { sampleFaults } from '../faults/index.js';
import { evaluateRule, scrapePhaseUs, type AlertEpisode } from '../observe/alerts.js';
import { SignalsBuilder, valueAt, type Series, type ServerSignals } from '../observe/metrics.js';
import { runTrial, type WorkloadSpec } from '../scenario/index.js';
import { quantile, sortedCopy } from '../stats/index.js';

export interface AlertStudyInput {
  readonly topology: Topology;
  readonly experiment: Experiment;
  readonly rules: AlertRules;
  readonly runs: number;
  readonly seed: string | number;
  readonly horizonUs: number;
  /** how long after an outage's end a page still counts as catching it (µs) */
  readonly graceUs: number;
  /** zk_p99_updatelatency's value while a server is up with no write in its window (ms); null: absent */
  readonly steadyLatencyMs: number | null;
  /** the lazy workload the trials run (alert-study-workload.ts studyWorkload); absent or null: none (latency holds at steadyLatencyMs) */
  readonly workload?: WorkloadSpec | null;
  readonly onProgress?: (done: number, total: number) => void;
}

/** A write outage (µs), with the cause it started with. */
export interface Outage {
  readonly startUs: number;
  readonly endUs: number;
  readonly cause: WriteDowntimeCause;
}

/** What one trial gives the rules: its signals, outages and quorum losses, and where its grid sits. */
export interface AlertTrial {
  readonly index: number;
  readonly phaseUs: number;
  /** the cold start's end: evaluation and outages count from here (µs) */
  readonly startUs: number;
  readonly endUs: number;
  readonly voters: number;
  readonly signals: readonly ServerSignals[];
  readonly outages: readonly Outage[];
  /** [start, end) of each quorum-loss episode after the cold start (observe/availability.ts DowntimeMeter) */
  readonly quorumLosses: readonly (readonly [number, number])[];
  /** of `quorumLosses`, those no evaluation of `sum(up{voters}) < quorum` can count apart (unobservedQuorumLosses) */
  readonly unobservedQuorumLosses: UnobservedLosses;
}

/** Trial `index` of the study, run and turned into signals (see the file header). */
export function runAlertTrial(input: Omit<AlertStudyInput, 'runs' | 'onProgress' | 'graceUs'>, index: number): AlertTrial {
  const seed = deriveSeed(input.seed, index);
  const faults = sampleFaults(input.experiment, input.topology, new Rng(seed).fork('faults'), input.horizonUs);
  const voterIds = input.topology.servers.filter(isInitialVoter).map((s) => s.id);
  const metrics = new SignalsBuilder({ servers: input.topology.servers.map((s) => s.id), voters: new Set(voterIds), steadyLatencyMs: input.steadyLatencyMs, holdLatency: input.workload != null, storage: input.topology.storage });
  const add = (e: TrialEvent): void => metrics.add(e);
  const workload = input.workload ? { workload: input.workload } : {};
  const r = runTrial({ topology: input.topology, seed, durationUs: input.horizonUs, faults, ...workload, hooks: { onEvent: add, onClientEvent: add } });
  const phaseUs = scrapePhaseUs(seed, input.rules.scrapeIntervalUs);
  const signals = metrics.finish();
  const { startUs, outages } = outagesOf(r.recorder.events, input.horizonUs);
  const quorumLosses = r.meter.quorumLossIntervals.filter(([s]) => s >= startUs).map(([s, e]) => [s, e ?? input.horizonUs] as const);
  const grid = { phaseUs, stepUs: input.rules.evaluationIntervalUs, fromUs: startUs };
  const unobserved = unobservedQuorumLosses(quorumLosses, answeringVoters(signals), quorumOf(voterIds.length), grid);
  return { index, phaseUs, startUs, endUs: input.horizonUs, voters: voterIds.length, signals, outages, quorumLosses, unobservedQuorumLosses: unobserved };
}

/** How many voters answer their scrape (`up` = 1) from each change on: [instant µs, count], ascending. */
export function answeringVoters(signals: readonly ServerSignals[]): [number, number][] {
  const ups = signals.filter((s) => s.voter).map((s) => s.series.get('up')).filter((s): s is Series => s !== undefined);
  const times = [...new Set(ups.flatMap((s) => s.t))].sort((a, b) => a - b);
  return times.map((t) => [t, ups.reduce((n, s) => n + (valueAt(s, t) === 1 ? 1 : 0), 0)]);
}

/**
 * The quorum losses a rule `sum(up{voters}) < quorum` cannot count, computed from the losses, the
 * `up` signal and the evaluation grid alone (not from the alert evaluator):
 * - a loss is seen by the scrapes while fewer than a quorum of voters answer: its end as
 *   the scrapes see it is the first instant at or after the meter's end with a quorum answering.
 *   The two differ by design: the meter counts a restarting voter for the quorum from the start of
 *   its process (a cold start is not a quorum loss), while its metrics endpoint answers only once
 *   the JVM is up (QuorumPeerMain.runFromConfig starts the metrics provider before
 *   QuorumPeer.start's loadDataBase; 3.8.6), at the end of its jvmStart step;
 * - a loss without an evaluation instant inside [start, end as seen) is *shorter than a scrape*;
 * - a seen loss with no evaluation between the previous seen loss's end and its start is the
 *   same alert as that one (*merged*).
 * `grid`: evaluations at phaseUs + k × stepUs, none before fromUs (µs).
 */
export interface UnobservedLosses {
  /** no evaluation instant inside the loss as the scrapes see it */
  readonly shorterThanScrape: number;
  /** seen, but no evaluation since the previous seen loss: one alert with it */
  readonly merged: number;
}

export function unobservedQuorumLosses(losses: readonly (readonly [number, number])[], answering: readonly [number, number][], quorum: number, grid: { phaseUs: number; stepUs: number; fromUs: number }): UnobservedLosses {
  const next = (atUs: number): number => grid.phaseUs + Math.max(0, Math.ceil((Math.max(atUs, grid.fromUs) - grid.phaseUs) / grid.stepUs)) * grid.stepUs;
  let shorterThanScrape = 0;
  let merged = 0;
  let prevSeenEnd: number | null = null;
  for (const [s, e] of losses) {
    // the count in force at e (the last change at or before it), then on to the first with a quorum
    let i = answering.findIndex(([t]) => t > e);
    i = (i < 0 ? answering.length : i) - 1;
    if (i < 0 || (answering[i] as [number, number])[1] < quorum) do i++; while (i < answering.length && (answering[i] as [number, number])[1] < quorum);
    const seenEnd = i >= answering.length ? Infinity : Math.max(e, (answering[i] as [number, number])[0]);
    if (next(s) >= seenEnd) shorterThanScrape++;
    else {
      if (prevSeenEnd !== null && next(prevSeenEnd) >= s) merged++;
      prevSeenEnd = Math.max(prevSeenEnd ?? 0, seenEnd);
    }
  }
  return { shorterThanScrape, merged };
}

/** The write outages after the cold start (the first writesAvailable; the trial's end if none). */
export function outagesOf(events: readonly TrialEvent[], endUs: number): { startUs: number; outages: Outage[] } {
  let startUs: number | null = null;
  let open: { startUs: number; cause: WriteDowntimeCause } | null = null;
  const outages: Outage[] = [];
  for (const e of events) {
    if (e.type === 'writesAvailable') {
      if (startUs === null) startUs = e.atUs;
      else if (open) outages.push({ ...open, endUs: e.atUs });
      open = null;
    } else if (e.type === 'writesUnavailable' && startUs !== null) open = { startUs: e.atUs, cause: e.cause };
  }
  if (open) outages.push({ ...open, endUs });
  return { startUs: startUs ?? endUs, outages };
}

/** One rule's episodes in a trial. */
export function trialEpisodes(trial: AlertTrial, rule: AlertRule, rules: AlertRules): AlertEpisode[] {
  return evaluateRule(rule, rules, trial.signals, { phaseUs: trial.phaseUs, startUs: trial.startUs, endUs: trial.endUs, voters: trial.voters });
}

/** How the pages of a trial met its outages (the file header's definitions). */
export interface Matching {
  /** per outage in order: time to detect (µs), null when not caught */
  readonly detectUs: readonly (number | null)[];
  /** per outage in order: a page that started firing before the outage was still firing at its start */
  readonly alreadyPaging: readonly boolean[];
  readonly falsePages: number;
  /** the false pages' firing time outside every outage's [start, end + grace] (µs; overlaps counted once) */
  readonly falsePagingUs: number;
}

/**
 * Matches a trial's page episodes to its write outages (the file header's definitions).
 * `pages` in any order; `graceUs` ≥ 0; `endUs`: the trial's end, where a page still firing stops.
 */
export function matchPages(outages: readonly Outage[], pages: readonly AlertEpisode[], graceUs: number, endUs: number): Matching {
  const within = (t: number, o: Outage): boolean => t >= o.startUs && t <= o.endUs + graceUs;
  const detectUs = outages.map((o) => {
    const fired = pages.filter((p) => within(p.firedAtUs, o)).map((p) => p.firedAtUs - o.startUs);
    return fired.length === 0 ? null : Math.min(...fired);
  });
  const alreadyPaging = outages.map((o) => pages.some((p) => p.firedAtUs < o.startUs && (p.resolvedAtUs ?? endUs) > o.startUs));
  const falses = pages.filter((p) => !outages.some((o) => within(p.firedAtUs, o)));
  const firing = union(falses.map((p) => [p.firedAtUs, p.resolvedAtUs ?? endUs] as const));
  const windows = union(outages.map((o) => [o.startUs, o.endUs + graceUs] as const));
  return { detectUs, alreadyPaging, falsePages: falses.length, falsePagingUs: length(firing) - overlap(firing, windows) };
}

/** Disjoint, ascending intervals covering the same instants as `xs`. */
function union(xs: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of [...xs].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else if (e > s) out.push([s, e]);
  }
  return out;
}

function length(xs: readonly (readonly [number, number])[]): number {
  return xs.reduce((a, [s, e]) => a + (e - s), 0);
}

/** The length of the intersection of two disjoint ascending interval lists. */
function overlap(a: readonly (readonly [number, number])[], b: readonly (readonly [number, number])[]): number {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < a.length && j < b.length) {
    const [as, ae] = a[i] as readonly [number, number];
    const [bs, be] = b[j] as readonly [number, number];
    total += Math.max(0, Math.min(ae, be) - Math.max(as, bs));
    if (ae < be) i++;
    else j++;
  }
  return total;
}

/**
 * The p99 write latency (ms) of a quiet minute: 50 writes/s on the healthy ensemble, after its
 * first leader is established (+5 s), seed `alerts-quiet`. What the study holds
 * zk_p99_updatelatency at.
 */
export function quietUpdateLatencyMs(topology: Topology): number {
  const r = runTrial({ topology, seed: 'alerts-quiet', durationUs: 70_000_000, faults: [], workload: { writesPerSec: 50, readsPerSec: 0, sessionTimeoutUs: 30_000_000 }, clientEventLimit: Number.MAX_SAFE_INTEGER });
  const events = r.recorder.events;
  const established = events.find((e) => e.type === 'established')?.atUs ?? 0;
  const latencies = events.flatMap((e) => (e.type === 'writeCommitted' && e.atUs > established + 5_000_000 ? [e.latencyUs / 1000] : []));
  return latencies.length === 0 ? 0 : quantile(sortedCopy(latencies), 0.99);
}

/**
 * Issue 15's second must-hold, "detection time of a quorum-loss page is within one scrape
 * interval plus `for:`", made exact for the signals a real scrape sees.
 *
 * A *quorum-loss rule* is a page that fires when the ensemble has lost its quorum, in one of the
 * two shapes a rules file can say it:
 * - *no leader*: `sum|max(zk_server_state{state="leader"}) < 1` (absent counted as 0), as
 *   alerts/production.yaml's ZooKeeperQuorumLost. In ZooKeeper 3.8.6 a leader whose followers
 *   are gone keeps reporting `leader` until Leader.lead's loop steps down: it checks once per tick
 *   (the `tickSkip` half-ticks) that a quorum of learners is `synced()`, and
 *   LearnerHandler.synced() is `isAlive() && tick <= tickOfNextAckDeadline`, the deadline set to
 *   tick + syncLimit at each packet the learner sends (a silent learner's read also times out after
 *   syncLimit × tickTime, which ends its handler). A follower last heard just after a tick began
 *   is therefore dropped at the check (syncLimit + 1) ticks later: the leader's *step-down delay*
 *   is at most (syncLimit + 1) × tickTime after the quorum is lost (src/zk/leader.ts models the
 *   same). zk_synced_followers (LeaderZooKeeperServer: Leader.getForwardingFollowers) drops with
 *   the handler, no sooner.
 * - *voters down*: `sum(up{role="voter"}) < quorum`: a quorum loss (fewer than a quorum of voter
 *   processes running: observe/availability.ts) is fewer than a quorum answering their scrape at
 *   that instant, so there is no step-down delay.
 *
 * The bound on such a rule's time to detect a write outage that started as a quorum loss
 * (cause `quorumLost`), measured from the outage's start: the signal changes within the step-down
 * delay; the first evaluation reading it comes less than one evaluation interval later (= the
 * scrape interval when they are equal); the alert fires `for:` later, rounded up to the
 * evaluation grid. Only outages the rule pages for before they end are held to it: a shorter
 * outage may end before the rule can fire, and a page fired in the grace after it belongs to
 * whatever came next.
 */
import { quorumOf, type AlertRule, type AlertRules } from '../config/alerts.js';
import type { ZkSettings } from '../model/topology.js';
import type { AlertEpisode } from '../observe/alerts.js';
import type { Outage } from './alert-study.js';

export type QuorumLossRuleShape = 'no leader' | 'voters down';

/** The bound's terms (µs): boundUs = evaluationUs + forUs + stepDownUs. */
export interface DetectionBound {
  /** the evaluation interval: the most a change waits for the evaluation that reads it */
  readonly evaluationUs: number;
  /** `for:`, rounded up to a multiple of the evaluation interval */
  readonly forUs: number;
  /** the leader's step-down delay, (syncLimit + 1) × tickTime; 0 for a voters-down rule */
  readonly stepDownUs: number;
  readonly boundUs: number;
}

const holds = (v: number, op: AlertRule['expr']['op'], x: number): boolean =>
  op === '<' ? v < x : op === '<=' ? v <= x : op === '>' ? v > x : op === '>=' ? v >= x : op === '==' ? v === x : v !== x;

/**
 * The rule's quorum-loss shape (file header), or null when it is not a quorum-loss page.
 * `hierarchical`: the topology's quorums are hierarchical (QuorumHierarchical), where no count of
 * voters up is a quorum loss, so a voters-down rule is not one.
 */
export function quorumLossRuleShape(rule: AlertRule, voters: number, hierarchical = false): QuorumLossRuleShape | null {
  const e = rule.expr;
  if (rule.severity !== 'page' || e.function !== 'last') return null;
  if (e.signal === 'zk_server_state' && e.state === 'leader' && (e.aggregate === 'sum' || e.aggregate === 'max')) {
    const x = e.threshold === 'quorum' ? quorumOf(voters) : e.threshold;
    return e.absent !== null && holds(e.absent, e.op, x) && holds(0, e.op, x) && !holds(1, e.op, x) ? 'no leader' : null;
  }
  if (e.signal === 'up' && e.servers === 'voters' && e.aggregate === 'sum' && !hierarchical) {
    const q = quorumOf(voters);
    const x = e.threshold === 'quorum' ? q : e.threshold;
    return holds(q - 1, e.op, x) && !holds(q, e.op, x) ? 'voters down' : null;
  }
  return null;
}

/** The detection bound of a quorum-loss rule of `shape` under `rules` on a topology with `zk`. */
export function detectionBound(rule: AlertRule, shape: QuorumLossRuleShape, rules: AlertRules, zk: Pick<ZkSettings, 'tickTimeUs' | 'syncLimit'>): DetectionBound {
  const evaluationUs = rules.evaluationIntervalUs;
  const forUs = Math.ceil(rule.forUs / evaluationUs) * evaluationUs;
  const stepDownUs = shape === 'no leader' ? (zk.syncLimit + 1) * zk.tickTimeUs : 0;
  return { evaluationUs, forUs, stepDownUs, boundUs: evaluationUs + forUs + stepDownUs };
}

/** A quorum-loss outage the rule paged for before it ended: its start and time to detect (µs). */
export interface QuorumLossDetection {
  readonly startUs: number;
  readonly detectUs: number;
}

/**
 * The rule's detections of the outages that started as quorum losses: the first of its episodes
 * that starts firing within [start, end] of each (outages it did not page for while they lasted
 * are left out). `episodes`: the rule's, in any order.
 */
export function quorumLossDetections(outages: readonly Outage[], episodes: readonly AlertEpisode[]): { outages: number; detections: QuorumLossDetection[] } {
  const lost = outages.filter((o) => o.cause === 'quorumLost');
  const detections: QuorumLossDetection[] = [];
  for (const o of lost) {
    const fired = episodes.filter((p) => p.firedAtUs >= o.startUs && p.firedAtUs <= o.endUs).map((p) => p.firedAtUs);
    if (fired.length > 0) detections.push({ startUs: o.startUs, detectUs: Math.min(...fired) - o.startUs });
  }
  return { outages: lost.length, detections };
}

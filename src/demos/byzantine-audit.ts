// byzantine-audit: the part of `zksim demo byzantine` that audits the digest logs (the admin `hash`
// command, observe/digest-audit.ts) in the inflated-zxid runs: when it detects the rewritten
// history at each poll interval, and what acting on it (quarantine, restore, re-add) changes.
import { usToMs } from '../core/index.js';
import type { Table } from '../report/html/index.js';
import type { AuditOptions } from '../scenario/byzantine-ops.js';
import { INFLATE_AGAIN_FAULTS, INFLATE_AGAIN_RUN_US, INFLATE_FAULTS, INFLATE_RUN_US, type ByzantineStory } from './byzantine-scenes.js';
import { plural, secs, span } from './common.js';

/** The audit's poll interval in the demo's main runs: 10 s (a poll between a 128th zxid and a TRUNC). */
export const AUDIT_POLL_US = 10_000_000;
/** The intervals the detection table compares (µs). */
const INTERVALS_US = [5_000_000, AUDIT_POLL_US, 30_000_000];

type Run = (faults: readonly string[], us: number, audit: AuditOptions | null) => ByzantineStory;

/** The audit's runs: the scene-1 run watched at each interval, acted on, and the 120 s run where the liar falls behind again. */
export interface AuditRuns {
  /** scene 1 watched at each of INTERVALS_US (the AUDIT_POLL_US one is the demo's scene-1 run) */
  readonly watched: readonly { readonly pollUs: number; readonly story: ByzantineStory }[];
  /** scene 1 with the automation acting on the audit */
  readonly acted: ByzantineStory;
  /** INFLATE_AGAIN_FAULTS, watched / acted on */
  readonly againWatched: ByzantineStory;
  readonly againActed: ByzantineStory;
}

export function auditRuns(run: Run): AuditRuns {
  const watched = INTERVALS_US.map((pollUs) => ({ pollUs, story: run(INFLATE_FAULTS, INFLATE_RUN_US, { pollUs, act: false }) }));
  const acted = run(INFLATE_FAULTS, INFLATE_RUN_US, { pollUs: AUDIT_POLL_US, act: true });
  const againWatched = run(INFLATE_AGAIN_FAULTS, INFLATE_AGAIN_RUN_US, { pollUs: AUDIT_POLL_US, act: false });
  const againActed = run(INFLATE_AGAIN_FAULTS, INFLATE_AGAIN_RUN_US, { pollUs: AUDIT_POLL_US, act: true });
  return { watched, acted, againWatched, againActed };
}

/** The scene-1 run the demo narrates: the one watched at AUDIT_POLL_US. */
export function mainRun(r: AuditRuns): ByzantineStory {
  return (r.watched.find((w) => w.pollUs === AUDIT_POLL_US) as AuditRuns['watched'][number]).story;
}

const zx = (z: number): string => `0x${z.toString(16)}`;
const at = (us: number | null | undefined): string => (us === null || us === undefined ? 'never' : secs(usToMs(us)));

function detection(s: ByzantineStory): string {
  const first = s.divergences[0];
  if (first === undefined) return 'no poll saw a divergence';
  const same = s.divergences.filter((d) => d.atUs === first.atUs);
  const after = s.truncatedAtUs === null ? '' : `, ${span(usToMs(first.atUs - s.truncatedAtUs))} after the truncation at ${at(s.truncatedAtUs)}`;
  const servers = [...new Set(same.flatMap((d) => d.servers))].join(', ');
  return `the poll at ${at(first.atUs)}${after} found ${same.map((d) => `zxid ${zx(d.zxid)}`).join(' and ')} (${same[0]?.how === 'rewritten' ? 'committed: a quorum had reported the same digest for it' : 'two digests for one zxid'}) gone from server ${servers}'s hash, although it had neither restarted nor fetched a snapshot`;
}

/** The run's longest write outage, read off its writesAvailable events (null: none). */
function longestOutage(s: ByzantineStory): { fromMs: number; toMs: number } | null {
  let best: { fromMs: number; toMs: number } | null = null;
  for (const e of s.doc.eventLog) if (e.type === 'writesAvailable' && e.atMs > 1000 && (best === null || e.downForMs > best.toMs - best.fromMs)) best = { fromMs: e.atMs - e.downForMs, toMs: e.atMs };
  return best;
}

const outage = (o: { fromMs: number; toMs: number } | null): string => (o === null ? 'none' : `${span(o.toMs - o.fromMs)} (${secs(o.fromMs)} to ${secs(o.toMs)})`);

/** Why the Durability count exceeds the writes lost: the checker also counts each server truncated below a committed txn. */
function durabilityNote(s: ByzantineStory): string {
  const n = s.violations.Durability ?? 0;
  return n > s.ackedLost ? `The Durability checker counts ${n} for those ${s.ackedLost}: one violation per acknowledged write missing and one per server whose history was truncated below a committed txn. ` : '';
}

/** The paragraph after scene 1: the digest log and the audit that remembers it. */
export function auditText(r: AuditRuns): string {
  const main = mainRun(r);
  const q = r.acted.quarantines[0];
  const qa = r.againActed.quarantines[0];
  const again = INFLATE_AGAIN_FAULTS.slice(INFLATE_FAULTS.length).join(', ');
  return (
    `What 3.8 keeps besides the per-txn check: every server's DataTree logs its digest at every 128th zxid (digestLog, DIGEST_LOG_INTERVAL 128, the newest 1024), and the admin \`hash\` command returns that list. A new DataTree starts an empty one: a restart, a SNAP and a TRUNC (ZKDatabase.truncateLog: clear, then reload) all rebuild it. ` +
    `No single poll of \`hash\` shows the loss either, but an audit that polls every server's \`hash\` every ${span(usToMs(AUDIT_POLL_US))} and remembers what it saw does: ${detection(main)}. In 3.8 only a TRUNC empties a running server's digest log otherwise, and a TRUNC below a committed zxid is a rewritten history. ` +
    `It needs a poll between a 128th zxid reaching a quorum and the truncation (table below: at 30 s no poll caught one). It detects; it cannot give the writes back: they were lost at the truncation, before any poll could see it. ` +
    `With the automation acting on it (blame the leader whose history the TRUNC came from; remove it by reconfig, replace its disk, re-add it after its SNAP) ${plural(r.acted.ackedLost, 'acknowledged write')} of ${r.acted.acked} are lost, against ${plural(main.ackedLost, 'acknowledged write')} of ${main.acked} watching only${r.acted.acked < main.acked ? ` (the quarantine itself cost ${main.acked - r.acted.acked} acknowledgements: writes that failed while the quarantined leader was replaced)` : ''}` +
    (q === undefined ? '. ' : `: server ${q.server} quarantined at ${at(q.detectedAtUs)}, removed at ${at(q.removedAtUs)}, re-added at ${at(q.readmittedAtUs)}. `) +
    durabilityNote(main) +
    `What it buys is the next time. In ${span(usToMs(INFLATE_AGAIN_RUN_US))} with ${again} added, the liar, still lying, rejoins the current epoch as a follower, misses writes behind a cut and competes again when the leader dies: watching only, leaders in order ${r.againWatched.leaders.join(' then ')}, ${plural(r.againWatched.ackedLost, 'acknowledged write')} of ${r.againWatched.acked} are lost and the audit flags ${plural(r.againWatched.divergences.length, 'rewritten entry', 'rewritten entries')} (the last at ${at(r.againWatched.divergences.at(-1)?.atUs)}); ` +
    `acting, server ${qa?.server ?? 'n/a'} comes back from its SNAP with an honest disk at ${at(qa?.readmittedAtUs)} and ${plural(r.againActed.ackedLost, 'acknowledged write')} of ${r.againActed.acked} are lost (leaders in order: ${r.againActed.leaders.join(' then ')}). ` +
    `Acting has its own cost: the longest write outage is ${outage(longestOutage(r.againActed))} acting, against ${outage(longestOutage(r.againWatched))} watching only — ` +
    `after the leader's kill one survivor follows the other before that one leads, gives up after 5 connection attempts 100 ms apart (Learner.connectToLeader, leaderConnectDelayDuringRetryMs) and elects again, and the would-be leader finds no quorum of followers until the killed server is back.`
  );
}

export function auditTable(r: AuditRuns): Table {
  return {
    caption: 'Inflated zxid: when the digest-log audit detects the rewritten history, by poll interval',
    columns: ['poll every', 'polls', 'truncated at', 'detected at', 'after the truncation', 'zxids flagged', 'acked lost'],
    numeric: [true, true, true, true, true, true, true],
    rows: r.watched.map(({ pollUs, story: s }) => {
      const first = s.divergences[0];
      return [
        span(usToMs(pollUs)),
        String(s.auditPolls),
        at(s.truncatedAtUs),
        at(first?.atUs),
        first && s.truncatedAtUs !== null ? span(usToMs(first.atUs - s.truncatedAtUs)) : 'n/a',
        String(s.divergences.length),
        String(s.ackedLost),
      ];
    }),
  };
}

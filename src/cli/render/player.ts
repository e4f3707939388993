// cli/render/player — player.html: one offline page that steps through one run (issue 16 §1).
import type { FaultBase, FaultSpec, Topology } from '../../model/index.js';
import { subtitle } from '../../report/charts/index.js';
import { escapeHtml } from '../../report/html/index.js';
import { selfContainedHtml } from '../../report/html/self-contained.js';
import { messageSampler, playerData, PLAYER_TXNS_PER_SECOND, type MessageSampler, type PlayerCut } from '../../report/player/data.js';
import { CLUSTER_VIEW_CSS } from '../../report/player/view.js';
import type { RunJson } from '../../report/run-json.js';
import { cutLinks } from '../../scenario/faults.js';
import { withReconfigServers } from '../../scenario/reconfig-kind.js';
import { readBundle } from './bundle.js';
import type { OutputFile } from './write.js';


/** The sampler to pass as the trial's `trace` hook (TrialOptions.trace) of a run that gets a player. */
export function playerSampler(): MessageSampler {
  return messageSampler(PLAYER_TXNS_PER_SECOND);
}

/** The links each partition or one-way cut severs, by its index in the trial's fault list. */
export function playerCuts(faults: readonly (FaultSpec | FaultBase)[], topology: Topology): PlayerCut[] {
  const cuts: PlayerCut[] = [];
  faults.forEach((f, faultIndex) => {
    if (f.kind === 'partition' || f.kind === 'oneway') cuts.push({ faultIndex, links: cutLinks(f as Extract<FaultSpec, { kind: 'partition' | 'oneway' }>, null, topology), oneWay: f.kind === 'oneway' });
  });
  return cuts;
}

const PAGE_CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 1rem auto; max-width: 1400px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.4rem; margin: 0.2rem 0; }
h2 { font-size: 1.1rem; margin: 1rem 0 0.3rem; }
.meta { color: #555; margin: 0 0 0.6rem; font-size: 0.9rem; }
.controls { display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; margin: 0.4rem 0; }
.controls button, .controls select { font-size: 0.95rem; padding: 0.25rem 0.7rem; }
.clock { font-variant-numeric: tabular-nums; font-size: 1rem; font-weight: bold; }
input.slider { width: 100%; margin: 0.3rem 0; }
.status { min-height: 1.2em; margin: 0.2rem 0; color: #555; font-size: 0.9rem; }
.stage { overflow-x: auto; border: 1px solid #e5e7eb; border-radius: 8px; padding: 0.3rem; }
.strip-legend { display: flex; flex-wrap: wrap; gap: 0.9rem; font-size: 0.85rem; margin: 0.4rem 0; }
.strip-legend .item { display: inline-flex; align-items: center; gap: 0.3rem; }
.strip-title { font-size: 0.9rem; margin-top: 0.6rem; }
.strip { position: relative; height: 26px; background: #16a34a; border: 1px solid #555; cursor: pointer; }
.strip .outage { position: absolute; top: 0; bottom: 0; }
.strip .playhead { position: absolute; top: -4px; bottom: -4px; width: 2px; background: #111; }
ol.events { max-height: 320px; overflow-y: auto; border: 1px solid #e5e7eb; padding: 0.3rem 0.3rem 0.3rem 3rem; font-size: 0.85rem; margin: 0; position: relative; }
ol.events li { cursor: pointer; padding: 0.1rem 0.2rem; }
ol.events li:hover { background: #f1f5f9; }
ol.events li.current { background: #fde68a; }
ol.events .at { display: inline-block; min-width: 8.5em; font-variant-numeric: tabular-nums; color: #555; }
ol.events .who { display: inline-block; min-width: 6em; font-weight: bold; }
.notes { font-size: 0.85rem; color: #444; }
`;

export interface PlayerPageInput {
  readonly doc: RunJson;
  readonly topology: Topology;
  /** the trial's fault list, in its order (its indices are the events' faultIndex) */
  readonly faults: readonly (FaultSpec | FaultBase)[];
  readonly sampler: MessageSampler;
}

function notes(sampled: ReturnType<MessageSampler['messages']>, leftOut: number): string[] {
  const { delivered, kept } = sampled.counts;
  const out = [
    'A message leaves its sender at its send instant (estimated as the sender\'s last step before the delivery, so never before its cause) and arrives at its delivery; one that took less than 0.4 s of playback is drawn for 0.4 s (it then lands a little after its delivery). Heartbeats (PING) are not drawn: the simulation sends none, it computes the instant a silent peer would time out instead.',
    `Messages delivered: ${delivered.election} election notifications, ${delivered.learner} learner packets (FOLLOWERINFO, LEADERINFO, ACKEPOCH, DIFF/TRUNC/SNAP, NEWLEADER, UPTODATE), ${delivered.broadcast} broadcast packets (REQUEST forwarded to the leader, PROPOSAL, ACK, COMMIT, INFORM).`,
  ];
  if (kept.broadcast < delivered.broadcast) out.push(`Sampled: broadcast packets are drawn for the first ${PLAYER_TXNS_PER_SECOND} transactions of each simulated second (${kept.broadcast} of ${delivered.broadcast}); election and learner messages are all drawn.`);
  if (leftOut > 0) out.push(`${leftOut} client request outcomes are not listed (see run.json).`);
  return out;
}

/** player.html for a run: the page, its data and the inlined bundle (dist/bundles/player.js). */
export function playerHtml(input: PlayerPageInput): string {
  const { doc } = input;
  const sampled = input.sampler.messages();
  // the servers a reconfig adds run from t = 0 as non-members (Trial does the same)
  const topology = withReconfigServers(input.topology, input.faults as readonly FaultBase[]);
  const data = playerData({
    doc,
    topology,
    cuts: playerCuts(input.faults, topology),
    sampled,
    txnsPerSecond: PLAYER_TXNS_PER_SECOND,
    subtitle: subtitle({ seed: doc.seed, topology: doc.topology, version: doc.version, details: doc.faults.length ? [`faults ${doc.faults.join(', ')}`] : ['no faults'] }),
  });
  const noteItems = notes(sampled, data.clientEventsLeftOut).map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  return selfContainedHtml({
    title: `player: ${data.title}`,
    body: `<main id="player"><noscript>The player needs JavaScript; report.html shows the same run without it.</noscript></main>\n<section class="notes"><h2>How to read it</h2><ul>${noteItems}</ul></section>`,
    styles: [PAGE_CSS, CLUSTER_VIEW_CSS],
    scripts: [readBundle('player')],
    data: [{ id: 'player-data', value: data }],
  });
}

/** player.html as one file of an --out batch (cli/render/write.ts). */
export function playerFile(input: PlayerPageInput): OutputFile {
  return { name: 'player.html', data: playerHtml(input) };
}

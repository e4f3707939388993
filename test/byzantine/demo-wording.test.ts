/**
 * The byzantine demo's flipped-txn and bit-flip paragraphs at seed 1, read against their runs: the
 * corrupted server (the flip's faultApplied target) is never listed among the honest ones, and the
 * failed load is told as 3.8 orders it (loadDataBase before either port opens).
 */
import { describe, expect, it } from 'vitest';
import { byzantine } from '../../src/demos/byzantine.js';
import type { ByzantineStory } from '../../src/demos/byzantine-scenes.js';
import type { RunJson } from '../../src/report/run-json.js';
import { experiment, topology } from '../helpers/topologies.js';

type Facts = Pick<ByzantineStory, 'leaders' | 'mismatches' | 'checksumFailed'>;
const secs = (us: number): string => `${(us / 1e6).toFixed(3)} s`;

describe('demo byzantine wording', () => {
  const out = byzantine.build({ seed: '1', version: 'test', topology, experiment }, new Map());
  const f = out.facts as { flip: Facts; bitFlip: Facts };
  const text = out.text.replaceAll('\n', ' ');
  const doc = out.runs.find((r) => r.name === 'flip-txn')?.doc as RunJson;

  it('lists as honest only the servers whose disk was not flipped, and the corrupted one apart', () => {
    const flip = doc.eventLog.find((e) => e.type === 'faultApplied' && e.effect === 'txn flipped');
    const corrupted = flip?.type === 'faultApplied' ? flip.target : null;
    expect(corrupted).toBe(2);
    expect(f.flip.leaders.at(-1)).toBe(corrupted);
    const honest = f.flip.mismatches.filter((m) => m.server !== corrupted);
    const own = f.flip.mismatches.find((m) => m.server === corrupted)?.count;
    const list = honest.map((m) => `server ${m.server} ${m.count}`).join(', ');
    expect(text).toContain(`the honest servers (${honest.map((m) => m.server).join(' and ')}) count a mismatch on each: ${list}; server ${corrupted} itself counted ${own} while it followed`);
    expect(text).not.toMatch(/honest servers[^.;]*server 2 \d/);
    expect(text).toContain(`At ${secs((flip?.atMs ?? 0) * 1000)} a bit flips in the newest txn on server ${corrupted}'s disk`);
  });

  it('reads the quarantine\'s cost and the acting run\'s write outage off the runs, and says why Durability exceeds the writes lost', () => {
    const audit = out.facts as { inflateAudit: { acted: { acked: number } } };
    // the restore stops the server as an operator does: its clients see a reset, not a silent host (124 acknowledgements cost before)
    expect(audit.inflateAudit.acted.acked).toBe(1038);
    expect(text).toContain('(the quarantine itself cost 3 acknowledgements');
    expect(text).toMatch(/the longest write outage is 11\.4 s \(89\.000 s to 100\.427 s\) acting, against [\d.]+ s \([\d.]+ s to [\d.]+ s\) watching only/);
    expect(text).toContain('The Durability checker counts 351 for those 350: one violation per acknowledged write missing and one per server whose history was truncated below a committed txn.');
  });

  it('tells the failed load before either port opens, at the time of the run\'s logChecksumFailed', () => {
    const c = f.bitFlip.checksumFailed;
    expect(c).not.toBeNull();
    expect(text).toContain(`at ${secs(c?.atUs ?? 0)}, as it loads its database, "CRC check failed" on zxid 0x${c?.zxid.toString(16)}: QuorumPeer.start loads before it opens the client or election port`);
  });
});

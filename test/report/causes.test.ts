/**
 * One name per write-downtime cause everywhere a person reads it (issue 16 §4): the table, the
 * run text and timeline, the chart legends and report.html take model/downtime-causes.ts's
 * labels, and no output prints one of the names used before (or a JSON key) for a cause.
 */
import { describe, expect, it } from 'vitest';
import { DOWNTIME_CAUSE_LABELS } from '../../src/model/downtime-causes.js';
import { DOWNTIME_CAUSES } from '../../src/observe/index.js';
import { CAUSE_LABELS } from '../../src/report/charts/index.js';
import { zksim } from '../helpers/cli.js';

/** The names the causes had before one table named them (run text, chart legends), and the JSON keys. */
const OLD_NAMES = [
  'leader gone, not yet detected',
  'synchronising',
  'quorum lost (servers down)',
  'leader isolated (detection delay)',
  'electing a leader',
  'synchronising followers',
  '(leaderIsolated)',
  '(quorumLost)',
];

describe('downtime causes: one label each', () => {
  it('a label per cause, none repeated; the chart legends are the same labels in the same order', () => {
    const labels = DOWNTIME_CAUSES.map((c) => DOWNTIME_CAUSE_LABELS[c]);
    expect(new Set(labels).size).toBe(DOWNTIME_CAUSES.length);
    expect(CAUSE_LABELS).toEqual(DOWNTIME_CAUSES.map((c) => [c, DOWNTIME_CAUSE_LABELS[c]]));
  });

  it('a run (the README example: kill the leader of n3-1az) prints the labels, never an old name', async () => {
    const r = await zksim(['run', 'topologies/n3-1az.yaml', '--seed', '7', '--duration', '60s', '--fault', 'kill:leader@10s']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('writes unavailable (electing)');
    expect(r.stdout).toMatch(/Without a write-available leader: .*\((leader isolated|electing) /);
    for (const old of OLD_NAMES) expect(r.stdout, old).not.toContain(old);
  }, 60_000);
});

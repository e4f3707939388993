/**
 * Rolling maintenance runs the rolling-upgrade plan's restart step (scenario/maintenance-kind.ts):
 * leader-last for real (one election), gated on health, and never a second voter down while one
 * is out — the old fixed-gap schedule restarted the next server whatever the state.
 */
import { describe, expect, it } from 'vitest';
import { formatFault, parseFault } from '../../src/config/faults.js';
import { Trial, type TrialResult } from '../../src/scenario/index.js';
import { faults, S, topology } from '../helpers/topologies.js';

function run(topo: string, ...texts: string[]): TrialResult {
  const t = topology(topo);
  return new Trial({ topology: t, seed: 5, durationUs: 3600 * S, faults: faults(t, ...texts) }).run();
}

const stops = (r: TrialResult): number[] => r.recorder.events.filter((e) => e.type === 'processStopped').map((e) => (e as { server: number }).server);

describe('a rolling-maintenance round', () => {
  it('leader-last: the followers, then whoever leads at that moment; one election', () => {
    const r = run('n5-3az', 'maintenance:leader-last/20s/5s@30s');
    const leader = r.recorder.leaders[0]!.node;
    const order = stops(r);
    expect(order).toHaveLength(5);
    expect(order[4]).toBe(leader);
    expect(r.recorder.elections.length - 1).toBe(1);
    expect(r.recorder.events.filter((e) => e.type === 'faultRepaired').map((e) => (e as { effect: string }).effect)).toEqual(['maintenance done']);
  });

  it('does not begin while a voter is out, and stops after the gate timeout (10 min): no quorum loss', () => {
    // n3: server 1's host is down for the whole trial; the old schedule would have restarted 2 and 3 anyway
    const r = run('n3-3az', 'crash:1@10s', 'maintenance:leader-last/20s/5s@30s');
    expect(stops(r)).toEqual([1]); // the crash itself; no maintenance restart
    const done = r.recorder.events.find((e) => e.type === 'faultRepaired' && (e as { effect: string }).effect === 'maintenance done')!;
    expect(done.atUs).toBe(30 * S + 10 * 60 * S);
    expect(r.meter.current?.writeAvailable).toBe(true);
  });

  it('reads and writes back as text, with or without its window (+DUR)', () => {
    const t = topology('n5-3az');
    for (const text of ['maintenance:leader-last/2m/5m@1h+30m', 'maintenance:any/30s/0@10m']) {
      const p = parseFault(text, t);
      expect(p.ok && formatFault(p.fault)).toBe(text);
    }
    const bad = parseFault('maintenance:first/2m/5m@1h', t);
    expect(bad.ok ? null : bad.error).toBe('expected ORDER/DOWN/GAP with ORDER leader-last or any, found "first/2m/5m" in "maintenance:first/2m/5m@1h" (e.g. maintenance:leader-last/2m/5m@1h)');
  });
});

/**
 * The playground's run is `zksim run`'s run (issue 16 §2): the topology a layout writes, the seed,
 * the writes and the actions as `--fault` specs give the same typed events and the same leader, in
 * the browser's session (stepped, rebuilt at each action) and in the CLI. Share links round-trip.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultTexts, heldState, runCommand, type PlaygroundAction } from '../../src/playground/actions.js';
import { layoutProblem, layoutTopology, topologyYaml } from '../../src/playground/layout.js';
import { PlaygroundSession } from '../../src/playground/session.js';
import { decodeShare, encodeShare } from '../../src/playground/share.js';
import { newRunProblem } from '../../src/playground/ui/controls.js';
import { eventJson, type RunJson } from '../../src/report/run-json.js';
import { zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const S = 1_000_000;
const LAYOUT = { voters: 4, zones: 2, observers: 1, writesPerSec: 2 };

/** A 2|2 cut for 25 s, healed (a new leader by 48 s: the notification backoff grew meanwhile), then whoever leads is killed and restarted 7.5 s later. */
function scriptedSession(): PlaygroundSession {
  const s = new PlaygroundSession({ layout: LAYOUT, seed: '3', actions: [] });
  s.advanceTo(10 * S);
  expect(s.act({ kind: 'cut', atUs: 0, sides: [['az1'], ['az2']] })).toBeNull();
  s.advanceTo(35 * S);
  expect(s.leader()).toBeNull();
  expect(s.act({ kind: 'heal', atUs: 0 })).toBeNull();
  s.advanceTo(50 * S);
  const leader = s.leader();
  expect(leader).not.toBeNull();
  expect(s.act({ kind: 'kill', atUs: 0, node: leader as number })).toBeNull();
  s.advanceTo(57_500_000);
  expect(s.act({ kind: 'restart', atUs: 0, node: leader as number })).toBeNull();
  s.advanceTo(60 * S);
  return s;
}

describe('playground session', () => {
  it('equals `zksim run` of the same topology, seed, writes and faults: events and final leader', async () => {
    const s = scriptedSession();
    const cmd = runCommand('pg.yaml', LAYOUT, '3', s.run.actions, s.nowUs);
    expect(cmd).toBe("zksim run pg.yaml --seed 3 --duration 1m --writes 2 --fault 'partition:az1|az2@10s+25s' --fault 'kill:4@50s+7.5s'");
    const dir = tempDir('zksim-playground-');
    writeFileSync(join(dir, 'pg.yaml'), topologyYaml(LAYOUT));
    const faults = faultTexts(s.run.actions).flatMap((f) => ['--fault', f]);
    const out = await zksim(['run', join(dir, 'pg.yaml'), '--seed', '3', '--duration', '60s', '--writes', '2', ...faults, '--json']);
    expect(out.status, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout) as RunJson;
    // the CLI's log ends at the run's end; the session's trial runs on past it (the horizon)
    expect(s.events.filter((e) => e.atUs <= 60 * S).map(eventJson)).toEqual(doc.eventLog.filter((e) => e.atMs <= 60_000));
    const current = doc.leaders.filter((l) => l.endedAtMs === null && l.establishedAtMs !== null).map((l) => l.node);
    expect(current).toEqual([s.leader()]);
    expect(s.servers().map((x) => x.role)).toContain('LEADING');
  }, 60_000);

  it('rebuilding at each action shows what stepping showed: state at an instant does not depend on later actions', () => {
    const s = new PlaygroundSession({ layout: LAYOUT, seed: '5', actions: [] });
    s.advanceTo(20 * S);
    const before = JSON.stringify([s.servers(), s.events]);
    expect(s.act({ kind: 'pause', atUs: 0, node: 2 })).toBeNull();
    expect(JSON.stringify([s.servers().map((x) => ({ ...x, paused: false })), s.events.filter((e) => e.type !== 'faultApplied')])).toBe(before);
    expect(s.servers()[1]?.paused).toBe(true);
  });

  it('animates the messages the trial delivered: notifications with their sender, learner and broadcast packets by connection', () => {
    const s = new PlaygroundSession({ layout: { voters: 3, zones: 3, observers: 0, writesPerSec: 5 }, seed: '2', actions: [] });
    s.advanceTo(5 * S);
    const seen = s.messages.between(0, s.nowUs);
    const kinds = new Set(seen.map((m) => `${m.family}:${m.label}`));
    for (const k of ['election:NOTIFICATION', 'learner:FOLLOWERINFO', 'learner:NEWLEADER', 'broadcast:PROPOSAL', 'broadcast:ACK', 'broadcast:COMMIT']) expect(kinds).toContain(k);
    for (const m of seen) {
      expect([1, 2, 3]).toContain(m.from);
      expect(m.to).not.toBe(m.from);
    }
    const leader = s.leader();
    expect(seen.filter((m) => m.label === 'PROPOSAL').every((m) => m.from === leader)).toBe(true);
    expect(s.messages.between(4 * S, 5 * S).every((m) => m.atUs > 4 * S && m.atUs <= 5 * S)).toBe(true);
  });

  it('refuses actions that do not apply, and says why', () => {
    const s = new PlaygroundSession({ layout: LAYOUT, seed: '1', actions: [] });
    s.advanceTo(5 * S);
    expect(s.act({ kind: 'restart', atUs: 0, node: 1 })).toMatch(/nothing holds server 1/);
    expect(s.act({ kind: 'heal', atUs: 0 })).toMatch(/no cut to heal/);
    expect(s.act({ kind: 'kill', atUs: 0, node: 1 })).toBeNull();
    expect(s.act({ kind: 'pause', atUs: 0, node: 1 })).toMatch(/already killed/);
    expect(s.act({ kind: 'restart', atUs: 0, node: 1 })).toMatch(/at the instant it began/);
    expect(heldState(s.run.actions).held.get(1)).toBe('kill');
    expect(s.act({ kind: 'cut', atUs: 0, sides: [['az1'], ['az1']] })).toBe('cut: zone az1 is on both sides; a zone cannot be cut from itself (pick two different zones)');
    expect(s.run.actions.map((a) => a.kind)).toEqual(['kill']);
    expect(() => new PlaygroundSession({ layout: LAYOUT, seed: '1', actions: [{ kind: 'cut', atUs: 1000, sides: [['az1'], ['az1', 'az2']] }] })).toThrow(/zone az1 is on both sides/);
    expect(() => new PlaygroundSession({ layout: LAYOUT, seed: '1', actions: [{ kind: 'kill', atUs: 1000, node: 9 }] })).toThrow(/9/);
    expect(layoutProblem({ ...LAYOUT, voters: 8 })).toBe('voters: expected a whole number from 1 to 7, found 8');
    expect(layoutProblem({ voters: 1, zones: 3, observers: 0, writesPerSec: 0 })).toMatch(/^zones: 3 zones need at least 3 servers/);
    expect(layoutTopology(LAYOUT).servers.map((x) => `${x.id}${x.zone}${x.role[0]}`)).toEqual(['1az1v', '2az1v', '3az2v', '4az2v', '5az1o']);
  });

  it('share links round-trip, and a bad one names the field', () => {
    const actions: PlaygroundAction[] = [
      { kind: 'cut', atUs: 10_000_000, sides: [['az1'], ['az2', 'az3']] },
      { kind: 'kill', atUs: 12_345_000, node: 3 },
      { kind: 'heal', atUs: 20_000_000 },
      { kind: 'restart', atUs: 21_000_000, node: 3 },
    ];
    const state = { run: { layout: { voters: 5, zones: 3, observers: 2, writesPerSec: 0.5 }, seed: 'a:b', actions }, atUs: 25_000_000 };
    const hash = encodeShare(state);
    expect(hash).toBe('#v1;l=5.3.2;w=0.5;s=a%3Ab;t=25000;a=c1.23@10000,k3@12345,h@20000,r3@21000');
    expect(decodeShare(hash)).toEqual({ ok: true, state });
    expect(decodeShare('#v2')).toEqual({ ok: false, error: "share link: expected it to start with #v1, found '#v2'" });
    expect(decodeShare('#v1;l=9.1.0')).toEqual({ ok: false, error: 'share link: l=9.1.0: voters: expected a whole number from 1 to 7, found 9' });
    expect(decodeShare('#v1;l=3.1.0;s=a%20b')).toEqual({ ok: false, error: 'share link: s=a%20b: expected a number or a short word (letters, digits, _ . : -)' });
    expect(newRunProblem('abc', '1')).toBe('client writes/s "abc": expected a rate from 0 to 20 per second');
    expect(newRunProblem('100', '1')).toMatch(/^client writes\/s "100": expected a rate from 0 to 20/);
    expect(newRunProblem('-1', '1')).toMatch(/^client writes\/s "-1": expected/);
    expect(newRunProblem('2', 'a b')).toBe('seed "a b": expected a number or a short word (letters, digits, _ . : -)');
    expect(newRunProblem('0.5', 'x-1')).toBeNull();
    expect(decodeShare('#v1;l=3.1.0;a=x1@5')).toMatchObject({ ok: false, error: expect.stringMatching(/^share link: action 'x1@5': expected/) });
  });
});

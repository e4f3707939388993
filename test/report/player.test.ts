/**
 * player.html's parts in Node (issue 16 §1): the self-contained page's CSP, the bundle step's
 * refusal of Node APIs, the layout, and the player's state folded from a real run's events.
 * The browser test (test/e2e/player-browser.test.ts) opens the page itself.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, jsonForScript, selfContainedHtml } from '../../src/report/html/self-contained.js';
import { layoutCluster } from '../../src/report/player/layout.js';
import { labelledMessages } from '../../src/report/player/view.js';
import { messageSampler, playerData, playerServers } from '../../src/report/player/data.js';
import { withReconfigServers } from '../../src/scenario/reconfig-kind.js';
import { PlayerTimeline } from '../../src/report/player/state.js';
import { runJson } from '../../src/report/run-json.js';
import { runTrial } from '../../src/scenario/index.js';
import { faults, topology as shipped } from '../helpers/topologies.js';
import { tempDir } from '../helpers/tmp.js';
import { rolesAt } from './player.fixtures.js';

describe('self-contained page', () => {
  it('lets its inline script and style run only by their sha256, and fetches nothing', () => {
    const html = selfContainedHtml({ title: 'a <b>', body: '<main></main>', scripts: ['console.log(1)'], styles: ['body{}'], data: [{ id: 'd', value: { x: '</script><script>alert(1)</script>' } }] });
    const sha = (t: string): string => createHash('sha256').update(t).digest('base64');
    expect(html).toContain(`default-src 'none'; script-src 'sha256-${sha('console.log(1)')}'; style-src 'sha256-${sha('body{}')}'; img-src data:`);
    expect(html).toContain('<title>a &lt;b&gt;</title>');
    // the data cannot close its block: one </script> per real script element
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(JSON.parse(jsonForScript({ x: '</script>\u2028' }))).toEqual({ x: '</script>\u2028' });
  });

  it('says none when there is no script, and refuses a script that would close its own element', () => {
    expect(contentSecurityPolicy([], [])).toBe("default-src 'none'; script-src 'none'; style-src 'none'; img-src data:");
    expect(() => selfContainedHtml({ title: '', body: '', scripts: ['a("</SCRIPT>")'], styles: [] })).toThrow(/contains '<\/script'/);
    expect(() => selfContainedHtml({ title: '', body: '', scripts: [], styles: [], data: [{ id: 'x y', value: 1 }] })).toThrow(/not \[A-Za-z\]/);
  });
});

describe('scripts/bundle.mjs', () => {
  it('fails the build when browser code imports a Node module, naming the module and the file', () => {
    const dir = tempDir('zksim-bundle-');
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync);\n");
    const r = spawnSync(process.execPath, ['scripts/bundle.mjs', entry, join(dir, 'out')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/imports the Node module 'node:fs' \(from .*entry\.ts\): browser code may not use Node APIs/);
  });
});

describe('layout', () => {
  it('puts every server inside its zone, every zone inside its region', () => {
    const servers = [1, 2, 3, 4, 5].map((id) => ({ id, zone: `az${id % 3}`, region: id < 5 ? 'eu' : 'us', voter: id !== 5 }));
    const l = layoutCluster(servers);
    for (const s of l.servers) {
      const zone = l.zones.find((z) => z.label === s.zone && s.x > z.x && s.x < z.x + z.w)!;
      expect(zone, `server ${s.id}`).toBeDefined();
      expect(s.y - l.radius).toBeGreaterThan(zone.y);
      const region = l.regions.find((r) => r.label === s.region)!;
      expect(zone.x).toBeGreaterThanOrEqual(region.x);
      expect(zone.x + zone.w).toBeLessThanOrEqual(region.x + region.w);
    }
    expect(l.regions.map((r) => r.label)).toEqual(['eu', 'us']);
  });

  it('spreads a crowded zone wide: 10 servers in one zone in two rows of five', () => {
    const l = layoutCluster(Array.from({ length: 10 }, (_, i) => ({ id: i + 1, zone: 'az1', region: 'r', voter: i < 7 })));
    expect(new Set(l.servers.map((s) => s.y)).size).toBe(2);
    expect(new Set(l.servers.map((s) => s.x)).size).toBe(5);
  });

  it('labels only the newest two messages per receiver, and at most the newest `max` in all', () => {
    const msgs = [0.9, 0.1, 0.5, 0.3, 0.2].map((progress, i) => ({ to: i < 4 ? 1 : 2, progress }));
    expect([...labelledMessages(msgs, 2)].sort()).toEqual([1, 3, 4]);
    expect([...labelledMessages(msgs, 2, 2)].sort()).toEqual([1, 4]);
  });
});

describe('player state from a real run (n3-1az, leader killed at 10 s for 5 s, seed 1)', () => {
  const topology = shipped('n3-1az');
  const sampler = messageSampler(3);
  const doc = runJson(runTrial({ topology, seed: '1', durationUs: 30e6, faults: faults(topology, 'kill:leader@10s+5s'), trace: sampler.trace }), topology, 'test');
  const data = playerData({ doc, topology, cuts: [], sampled: sampler.messages(), txnsPerSecond: 3, subtitle: '' });
  const timeline = new PlayerTimeline(data);
  const ids = topology.servers.map((s) => s.id);

  it('shows at every event instant (and between) the roles the events say', () => {
    for (const t of [...timeline.eventTimesMs, 5000, 12_000, 29_999]) {
      const shown = Object.fromEntries(timeline.frameAt(t).servers.map((s) => [s.id, s.role]));
      expect(shown, `t=${t}`).toEqual(rolesAt(doc.eventLog, ids, t));
    }
  });

  it('shows the leader DOWN while killed, a new leader in epoch 2 after, and writes unavailable during the election', () => {
    const killed = doc.leaders[0]!.node;
    expect(timeline.frameAt(10_001).servers.find((s) => s.id === killed)!.role).toBe('DOWN');
    const after = timeline.frameAt(29_000).servers;
    expect(after.filter((s) => s.role === 'LEADING').map((s) => [s.id, s.epoch])).toEqual([[doc.leaders[1]!.node, 2]]);
    expect(timeline.writableAt(10_100)).toBe(false);
    expect(timeline.writableAt(20_000)).toBe(true);
  });

  it('draws election and learner messages between real servers, in flight only in their window', () => {
    const labels = new Set(data.messages.map((m) => m.label));
    for (const l of ['FOLLOWERINFO', 'LEADERINFO', 'ACKEPOCH', 'NEWLEADER', 'UPTODATE']) expect(labels, l).toContain(l);
    expect(data.messages.some((m) => m.family === 'election')).toBe(true);
    for (const m of data.messages) expect(m.from).not.toBe(m.to);
    for (const m of data.messages) expect(m.sentMs).toBeLessThanOrEqual(m.atMs);
    const first = data.messages[0]!;
    const inFlight = timeline.messagesAt(first.sentMs + 0.001, 5);
    expect(inFlight.length).toBeGreaterThan(0);
    for (const m of inFlight) expect(m.progress).toBeGreaterThanOrEqual(0);
    expect(timeline.messagesAt(first.sentMs - 0.001, 5)).toEqual([]);
    expect(timeline.messagesAt(29_999, 0.001)).toEqual([]);
  });

  it('samples broadcast traffic: at most 3 transactions a second under 200 writes/s, election traffic whole', () => {
    const s = messageSampler(3);
    runTrial({ topology, seed: '1', durationUs: 5e6, faults: [], trace: s.trace, workload: { writesPerSec: 200, readsPerSec: 0, sessionTimeoutUs: 30e6 } });
    const { messages, counts } = s.messages();
    expect(counts.delivered.broadcast).toBeGreaterThan(3000);
    // 3 transactions × (2 PROPOSALs + 2 ACKs + 2 COMMITs, or a REQUEST) per second, 5 seconds
    expect(counts.kept.broadcast).toBeLessThanOrEqual(5 * 3 * 6);
    expect(counts.kept.election).toBe(counts.delivered.election);
    expect(messages.filter((m) => m.family === 'broadcast').length).toBe(counts.kept.broadcast);
  });
});

describe('player state: an isolated leader and a paused follower (n5-3az, seed 1)', () => {
  const topology = shipped('n5-3az');
  const doc = runJson(runTrial({ topology, seed: '1', durationUs: 20e6, faults: faults(topology, 'isolate:leader@5s+10s', 'pause:2@8s+3s') }), topology, 'test');
  const timeline = new PlayerTimeline(playerData({ doc, topology, cuts: [], sampled: messageSampler(3).messages(), txnsPerSecond: 3, subtitle: '' }));
  const at = (t: number, id: number) => timeline.frameAt(t).servers.find((s) => s.id === id)!;

  it('rings the isolated server while the cut lasts and fades the paused one while paused', () => {
    const leader = doc.leaders[0]!.node;
    expect(at(4_999, leader).isolated).toBe(false);
    expect(at(9_000, leader)).toMatchObject({ isolated: true, role: 'LEADING' });
    expect(at(15_001, leader).isolated).toBe(false);
    expect(at(9_000, 2)).toMatchObject({ paused: true, role: 'FOLLOWING' });
    expect(at(11_001, 2).paused).toBe(false);
  });
});

describe('player state: servers a reconfig adds (n3-3az, +4 and +5 at 20 s, seed 1)', () => {
  const topology = shipped('n3-3az');
  const fs = faults(topology, 'reconfig:+4=az1/voter,+5=az2/voter@20s');
  const doc = runJson(runTrial({ topology, seed: '1', durationUs: 40e6, faults: fs }), topology, 'test');
  const at = (timeline: PlayerTimeline, t: number, id: number) => timeline.frameAt(t).servers.find((s) => s.id === id);

  it('draws them from the start, not a member until the reconfig commits, then voting followers', () => {
    const data = playerData({ doc, topology: withReconfigServers(topology, fs), cuts: [], sampled: messageSampler(3).messages(), txnsPerSecond: 3, subtitle: '' });
    expect(data.servers.map((s) => [s.id, s.zone, s.member])).toEqual([[1, 'az1', true], [2, 'az2', true], [3, 'az3', true], [4, 'az1', false], [5, 'az2', false]]);
    const timeline = new PlayerTimeline(data);
    expect(at(timeline, 10_000, 4)).toMatchObject({ role: 'FOLLOWING', member: false });
    expect(at(timeline, 30_000, 4)).toMatchObject({ role: 'FOLLOWING', member: true, voter: true });
    expect(at(timeline, 30_000, 5)).toMatchObject({ role: 'FOLLOWING', member: true, voter: true });
  });

  it('still draws a server the events name but the topology lacks, in a zone of its own', () => {
    const servers = playerServers(topology, doc.eventLog);
    expect(servers.map((s) => s.id)).toEqual([1, 2, 3, 4, 5]);
    expect(servers[3]).toMatchObject({ zone: 'not in the topology', member: false });
  });
});

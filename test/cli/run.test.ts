import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('zksim run', () => {
  test('the same command prints byte-identical output (text and JSON)', async () => {
    const args = ['run', 'topologies/n3-1az.yaml', '--seed', '7', '--duration', '60s', '--fault', 'kill:leader@10s'];
    const a = await zksim(args);
    const b = await zksim(args);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('server 3 process killed');
    const j1 = await zksim([...args, '--json']);
    const j2 = await zksim([...args, '--json']);
    expect(j1.stdout).toBe(j2.stdout);
    const other = await zksim(['run', 'topologies/n3-1az.yaml', '--seed', '8', '--duration', '60s', '--fault', 'kill:leader@10s', '--json']);
    expect(other.stdout).not.toBe(j1.stdout);
  });

  test('--json follows the contract: seed, topology, durationMs, leaders, elections, writeUnavailableMs, events', async () => {
    const r = await zksim(['run', 'topologies/n5-3az.yaml', '--fault', 'isolate:leader@20s+30s', '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ seed: '1', topology: 'n5-3az', durationMs: 60000 });
    expect(doc.leaders[0]).toMatchObject({ node: 5, epoch: 1, endedAtMs: expect.any(Number) });
    expect(Object.keys(doc.leaders[0])).toEqual(expect.arrayContaining(['node', 'epoch', 'electedAtMs', 'establishedAtMs', 'endedAtMs']));
    expect(doc.leaders[1]).toMatchObject({ epoch: 2, endedAtMs: null });
    expect(doc.elections[1]).toMatchObject({ leader: doc.leaders[1].node, epoch: 2 });
    expect(Object.keys(doc.elections[0])).toEqual(expect.arrayContaining(['startedAtMs', 'endedAtMs', 'durationMs', 'leader', 'epoch', 'phasesMs']));
    const p = doc.elections[1].phasesMs;
    expect(p.electing + p.discovery + p.sync).toBeCloseTo(doc.elections[1].durationMs, 2);
    // the cold start (processes starting, then the first election: ~0.9 s), then isolated at 20 s,
    // detected 9–10 s later, then a ~0.35 s election: ~10.5–11.5 s without writes
    expect(doc.writeUnavailableMs).toBeGreaterThan(9500);
    expect(doc.writeUnavailableMs).toBeLessThan(12500);
    expect(doc.events).toBeGreaterThan(0);
    expect(doc.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.config.servers).toHaveLength(5);
  });

  test('--trace writes every event as JSON Lines, and nothing half-written on failure', async () => {
    const dir = tempDir('zksim-trace-');
    const file = join(dir, 'trace.jsonl');
    const r = await zksim(['run', 'topologies/n3-1az.yaml', '--duration', '5s', '--trace', file]);
    expect(r.status).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const records = lines.map((l) => JSON.parse(l));
    expect(records.some((x) => x.type === 'sim' && x.event.kind === 'vote')).toBe(true);
    expect(records.some((x) => x.type === 'peer' && x.event.type === 'established')).toBe(true);
    expect(readdirSync(dir)).toEqual(['trace.jsonl']);
    const bad = await zksim(['run', 'topologies/n3-1az.yaml', '--fault', 'kill:9@1s', '--trace', join(dir, 'bad.jsonl')]);
    expect(bad.status).toBe(2);
    expect(readdirSync(dir)).toEqual(['trace.jsonl']);
  });

  test('bad input: clear message, exit code 2, never a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['run', 'topologies/nope.yaml'], /topologies\/nope\.yaml: no such topology file/],
      [['run', 'topologies/n3-1az.yaml', '--fault', 'kill:9@10s'], /unknown server 9/],
      [['run', 'topologies/n3-1az.yaml', '--fault', 'kill:1'], /missing @TIME/],
      [['run', 'topologies/n3-1az.yaml', '--duration', '10'], /expected a positive duration with a unit/],
      [['run', 'topologies/n3-1az.yaml', '--fault', 'kill:1@2m'], /after the end of the run/],
      [['run', 'topologies/n3-1az.yaml', '--bogus'], /unknown option/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const r = await zksim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(hasStackTrace(r.stderr + r.stdout), args.join(' ')).toBe(false);
    }
  });

  test('a broken topology file is reported with file, field path, line and column', async () => {
    const dir = tempDir('zksim-bad-');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'servers:\n  - { id: 1, zone: az1 }\n  - { id: 1, zoen: az2 }\nzookeeper:\n  tickTime: -5\n');
    const r = await zksim(['run', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file}:3:\\d+: servers\\[1\\]`));
    expect(r.stderr).toMatch(/zoen.*did you mean "?zone"?/i);
    expect(r.stderr).toMatch(new RegExp(`${file}:5:\\d+: zookeeper\\.tickTime`));
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('zksim validate', () => {
  test('every shipped topology is valid', async () => {
    const files = readdirSync('topologies').filter((f) => f.endsWith('.yaml')).map((f) => `topologies/${f}`);
    expect(files.length).toBeGreaterThanOrEqual(7);
    const r = await zksim(['validate', ...files]);
    expect(r.status).toBe(0);
    // one "ok" line per file; placement warnings (test/cli/validate.test.ts) are indented under it
    expect(r.stdout.split('\n').filter((l) => l.startsWith('ok  '))).toHaveLength(files.length);
  });

  test('reports every problem of every file and exits 2', async () => {
    const dir = tempDir('zksim-val-');
    writeFileSync(join(dir, 'a.yaml'), 'servers:\n  - { id: 0, zone: az1 }\n  - { id: 2, role: leader, zone: az1 }\n');
    writeFileSync(join(dir, 'b.yaml'), 'servers: [\n');
    const r = await zksim(['validate', 'topologies/n3-1az.yaml', join(dir, 'a.yaml'), join(dir, 'b.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('ok  topologies/n3-1az.yaml');
    expect(r.stderr).toMatch(/a\.yaml:2:\d+: servers\[0\]\.id/);
    expect(r.stderr).toMatch(/a\.yaml:3:\d+: servers\[1\]\.role/);
    expect(r.stderr).toMatch(/b\.yaml:\d+:\d+/);
    expect(r.stderr).toContain('2 of 3 file(s) invalid');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('zksim check', () => {
  test('the naive quorum rule: exit 1, the invariant, a shrunk scenario file and the run command that replays it', async () => {
    const out = tempDir('zksim-check-');
    // seed 3 finds it in schedule 8 and shrinks it in 13 steps (~3 s; seed 1 takes ~20 s to shrink)
    const args = ['check', '--topology', 'topologies/n4-2az.yaml', '--quorum-rule', 'naive', '--runs', '50', '--seed', '3', '--out', out];
    const r = await zksim(args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/VIOLATION in schedule \d+, shrunk in \d+ steps: .*(Leadership|PrefixConsistency)/);
    const file = join(out, 'counterexample.yaml');
    const replay = `zksim run topologies/n4-2az.yaml --scenario ${file}`;
    expect(r.stdout).toContain(replay);
    const scenario = readFileSync(file, 'utf8');
    expect(scenario).toContain('quorumRule: naive');
    expect(scenario).toContain(`# replay: ${replay}`);
    // Same seed, same exploration, same bytes.
    const again = await zksim(args);
    expect(again.stdout).toBe(r.stdout);
    expect(readFileSync(file, 'utf8')).toBe(scenario);
    // The replay shows the violation the check reported.
    const run = await zksim(['run', 'topologies/n4-2az.yaml', '--scenario', file, '--json']);
    expect(run.status).toBe(0);
    const invariants = (JSON.parse(run.stdout).safety.violations as { invariant: string }[]).map((v) => v.invariant);
    expect(invariants.some((i) => i === 'Leadership' || i === 'PrefixConsistency')).toBe(true);
    // ... and the same run under ZooKeeper's rule is clean.
    const safe = await zksim(['run', 'topologies/n4-2az.yaml', '--scenario', file, '--quorum-rule', 'majority', '--json']);
    expect(JSON.parse(safe.stdout).safety.violations).toEqual([]);
  }, 120_000);

  test('ZooKeeper rules: exit 0 and nothing written', async () => {
    const out = tempDir('zksim-check-');
    const r = await zksim(['check', '--topology', 'topologies/n3-1az.yaml', '--topology', 'topologies/n5-3az.yaml', '--runs', '8', '--seed', '3', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no violation in 8 schedules');
    expect(existsSync(join(out, 'counterexample.yaml'))).toBe(false);
  }, 120_000);

  test('bad input exits 2 with a message, never a stack trace', async () => {
    for (const args of [
      ['check', '--runs', 'many'],
      ['check', '--quorum-rule', 'minority'],
      ['check', '--unsafe', 'ack-early'],
      ['check', '--topology', 'no/such.yaml'],
    ]) {
      const r = await zksim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^zksim: /);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
    const dir = tempDir('zksim-check-');
    writeFileSync(join(dir, 'bad.yaml'), 'faults:\n  - kill:9@1s\n');
    const r = await zksim(['run', 'topologies/n3-1az.yaml', '--scenario', join(dir, 'bad.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad.yaml:2:5: faults[0]: unknown server 9');
  });
});

describe('zksim check: inputs the engine cannot represent', () => {
  test('a topology whose timeouts leave the clock is refused before exploring: exit 2, the field and the limit, no counterexample', async () => {
    const dir = tempDir('zksim-check-limit-');
    const file = join(dir, 'huge-tick.yaml');
    writeFileSync(file, 'zookeeper: { tickTime: 9007199254740991 }\nservers:\n  - { id: 1, zone: a }\n  - { id: 2, zone: b }\n  - { id: 3, zone: c }\n');
    const r = await zksim(['check', '--topology', file, '--runs', '3', '--out', dir]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('zookeeper.tickTime: expected at most 1 day (86400000 ms), found 9007199254740991 ms');
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(join(dir, 'counterexample.yaml'))).toBe(false);
  });
});

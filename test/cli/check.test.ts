import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('zksim check', () => {
  test('the naive quorum rule: exit 1, the invariant, a shrunk scenario file and the run command that replays it', async () => {
    const out = tempDir('zksim-check-');
    const args = ['check', '--topology', 'topologies/n4-2az.yaml', '--quorum-rule', 'naive', '--runs', '50', '--out', out];
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

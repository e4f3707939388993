/**
 * `zksim availability / sweep / merge` as a user runs them (the built CLI), including the one
 * check that needs real worker threads: --workers 1 and --workers 2 print byte-identical JSON.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const MODEL = ['--node-mttf', '5d', '--node-mttr', '1d', '--horizon', '10d'];
/** Plumbing checks: one chunk of trials is enough to compare bytes. */
const SMALL = [...MODEL, '--runs', '16'];
/** Several chunks per topology (16 trials each), so the two workers interleave within a topology. */
const CHUNKED = [...MODEL, '--runs', '40'];

// dist/ is built once for the whole suite by test/global-setup.ts.

let single: ReturnType<typeof zksim> | undefined;
/** `availability n3-1az SMALL --json`, run once and shared by the tests that compare against it. */
function singleRun(): ReturnType<typeof zksim> {
  single ??= zksim(['availability', 'topologies/n3-1az.yaml', ...SMALL, '--json', '--workers', '1']);
  return single;
}

describe('zksim availability (built CLI)', () => {
  it('--workers 1 and --workers 2 give byte-identical JSON', async () => {
    const args = ['availability', 'topologies/n3-1az.yaml', 'topologies/n5-3az.yaml', ...CHUNKED, '--json'];
    const one = await zksim([...args, '--workers', '1']);
    const two = await zksim([...args, '--workers', '2']);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const doc = JSON.parse(one.stdout);
    expect(doc.results.map((r: { topology: string }) => r.topology)).toEqual(['n3-1az', 'n5-3az']);
  });

  it('prints a side-by-side table stating its assumptions', async () => {
    const r = await zksim(['availability', 'topologies/n3-1az.yaml', 'topologies/n4-2az.yaml', ...SMALL, '--workers', '1']);
    expect(r.status, r.stderr).toBe(0);
    // the model actually used (--node-mttf replaces the experiment's), its processes, runs, horizon, seed
    expect(r.stdout).toContain('experiment independent crash/repair (node MTTF 5d, MTTR 1d, exponential) · seed 1 · runs 16 · horizon 10 d per trial\n');
    expect(r.stdout).toContain('\n  hostFailures, per host: mttf exponential, mean 5d; mttr exponential, mean 1d\n');
    expect(r.stdout).toMatch(/P\(quorum lost in a year\)/);
    expect(r.stdout).toMatch(/P\(write outage > 30 s in a year\)/);
    expect(r.stdout).toContain('closed form covers hostFailures');
    expect(r.stdout).toMatch(/n3-1az\s+n4-2az/);
    expect(r.stdout).toMatch(/closed form \(quorum\)/);
    expect(r.stderr).toBe(''); // no progress bar when stderr is not a terminal
  });

  it('shards run by separate processes merge into exactly the single-run JSON', async () => {
    const dir = tempDir('zksim-merge-');
    const single = await singleRun();
    const files: string[] = [];
    for (const k of [1, 2]) {
      const r = await zksim(['availability', 'topologies/n3-1az.yaml', ...SMALL, '--json', '--workers', '1', '--shard', `${k}/2`]);
      expect(r.status, r.stderr).toBe(0);
      const f = join(dir, `s${k}.json`);
      writeFileSync(f, r.stdout);
      files.push(f);
    }
    const merged = await zksim(['merge', ...files, '--json']);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(single.stdout);
    const missing = await zksim(['merge', files[0]!]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing shard 2\/2/);
  });

  it('a checkpoint of another run is refused; a finished one is reused', async () => {
    const dir = tempDir('zksim-cp-');
    const cp = join(dir, 'cp.json');
    const a = await zksim(['availability', 'topologies/n3-1az.yaml', ...SMALL, '--json', '--workers', '1', '--checkpoint', cp]);
    expect(a.status, a.stderr).toBe(0);
    // writing a checkpoint does not change the result
    expect(a.stdout).toBe((await singleRun()).stdout);
    const again = await zksim(['availability', 'topologies/n3-1az.yaml', ...SMALL, '--json', '--workers', '1', '--checkpoint', cp]);
    expect(again.stdout).toBe(a.stdout);
    const other = await zksim(['availability', 'topologies/n3-1az.yaml', ...SMALL, '--seed', '5', '--checkpoint', cp]);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/checkpoint belongs to another run: seed "1" in the checkpoint, "5" now/);
  });

  it('sweep makes one row per value', async () => {
    const r = await zksim(['sweep', 'topologies/n3-1az.yaml', '--vary', 'node-mttr=6h,1d', '--node-mttf', '5d', '--horizon', '10d', '--runs', '16', '--workers', '1', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { variant: { value: string } }) => x.variant.value)).toEqual(['6h', '1d']);
    expect(doc.results[0].quorumAvailability).toBeGreaterThan(doc.results[1].quorumAvailability);
  });

  it.each([
    [['availability', 'topologies/n3-1az.yaml', '--shard', '3/2'], /--shard "3\/2": expected K\/N/],
    [['availability', 'topologies/n3-1az.yaml', '--shard', '1/2', '--precision', '0.1'], /cannot be combined with --shard/],
    [['availability', 'topologies/n3-1az.yaml', '--precision', '2'], /--precision "2"/],
    [['availability', 'topologies/n3-1az.yaml', '--runs', '0'], /--runs "0"/],
    [['availability', 'topologies/n3-1az.yaml', '--node-mttf', '5d'], /go together/],
    [['availability', 'topologies/n3-1az.yaml', '--set', 'failures.nope=1'], /--set failures.nope=1/],
    [['sweep', 'topologies/n3-1az.yaml', '--vary', 'node-mttr'], /--vary "node-mttr": expected KEY=V1,V2/],
    [['merge', 'topologies/n3-1az.yaml'], /not a JSON file|not valid JSON|not a zksim/],
  ])('bad input %j exits 2 with a clear message', async (args, message) => {
    const r = await zksim(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

/**
 * Issue 16 §5: a study spread over GNU parallel merges into exactly the result of one run. The
 * shard and merge commands come from deploy/k8s/generate.mjs (deploy/shard-command.json), the same
 * strings the Kubernetes Indexed Job runs, so this test is the engine-independent check of the Job.
 * GNU parallel is Debian's (/usr/bin/parallel, installed by .ci/install-debian.sh); under CI a
 * missing parallel fails, elsewhere the test is skipped with a warning.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { loadSpec, mergeCommand, shardCommand } from '../../deploy/k8s/generate.mjs';
import { runProcess, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const PARALLEL = '/usr/bin/parallel';
const haveParallel = existsSync(PARALLEL);
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (!haveParallel && !inCi) {
  console.warn(`deploy/parallel: SKIPPED — ${PARALLEL} not found (install Debian's parallel: bash .ci/install-debian.sh)`);
}

test.runIf(inCi && !haveParallel)('CI has GNU parallel for the shard test', () => {
  expect.fail(`${PARALLEL} is missing under CI=${process.env.CI}: .ci/install-debian.sh should have installed Debian's parallel`);
});

describe.skipIf(!haveParallel)('a study as shards through GNU parallel', () => {
  // N + 2 CLI processes, two at a time: seconds on an idle machine, a minute on a loaded one.
  it('merges byte for byte into the JSON of one run', { timeout: 180_000 }, async () => {
    const spec = loadSpec();
    const out = tempDir('zksim-parallel-');
    const env = { ...process.env, NO_COLOR: '1', N: String(spec.shards), OUT: out };
    const shards = Array.from({ length: spec.shards }, (_, i) => String(i + 1));
    // Two jobs at a time: the machine (and CI's) has two cores; --halt: one failed shard fails the run.
    const ran = await runProcess(PARALLEL, ['--will-cite', '--halt', 'now,fail=1', '-j', '2', `K={}; ${shardCommand(spec)}`, ':::', ...shards], { env });
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(shards.map((k) => `shard-${k}.json`).sort());

    const merged = await runProcess('sh', ['-c', mergeCommand()], { env });
    expect(merged.status, merged.stderr).toBe(0);
    const one = await zksim([...spec.study, '--json']);
    expect(one.status, one.stderr).toBe(0);
    const mergedJson = readFileSync(join(out, 'merged', 'availability.json'), 'utf8');
    expect(JSON.parse(mergedJson)).toMatchObject({ kind: 'zksim-availability', options: { runs: Number(spec.study[spec.study.indexOf('--runs') + 1]) } });
    expect(mergedJson.trimEnd()).toBe(one.stdout.trimEnd());
  });
});

/**
 * `npm run test:fuzz`: the CLI fuzz property of test/fuzz (issue 10 §6), deeper than the slice in
 * the default suite. Seed and run count come from the environment; without a seed it picks one
 * from the clock and prints it, so every run explores new inputs and any failure replays exactly:
 *
 *   ZKSIM_FUZZ_SEED=123 ZKSIM_FUZZ_RUNS=500 npm run test:fuzz
 *
 * Needs a current build (`npm run build`): it drives dist/cli/main.js as a user would.
 * ZKSIM_FUZZ_TIMEOUT_MS sets the hang bound per invocation (default 60000 ms of wall time).
 */
import fc from 'fast-check';
import { anyCase, checkCase, describeCase, makeFixtures } from '../test/fuzz/cli-property.js';

const env = (name: string, fallback: string): number => {
  const text = process.env[name] ?? fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    process.stderr.write(`test:fuzz: ${name} must be a whole number (got ${JSON.stringify(text)})\n`);
    process.exit(2);
  }
  return n;
};
const seed = env('ZKSIM_FUZZ_SEED', String(Date.now() % 2_147_483_647));
const runs = env('ZKSIM_FUZZ_RUNS', '300');
const timeoutMs = env('ZKSIM_FUZZ_TIMEOUT_MS', '60000');
const root = process.cwd();
process.stdout.write(`test:fuzz: seed ${seed}, ${runs} invocations (ZKSIM_FUZZ_SEED=${seed} ZKSIM_FUZZ_RUNS=${runs} npm run test:fuzz)\n`);

const fixtures = await makeFixtures(root);
const started = Date.now();
let done = 0;
/** exit statuses seen per command: shows how much of the space reached the engine (exit 0/1) */
const seen = new Map<string, Map<string, number>>();
const details = await fc.check(
  fc.asyncProperty(anyCase, async (c) => {
    const r = await checkCase(c, fixtures, { root, timeoutMs });
    const byStatus = seen.get(r.command) ?? new Map<string, number>();
    byStatus.set(String(r.status), (byStatus.get(String(r.status)) ?? 0) + 1);
    seen.set(r.command, byStatus);
    done++;
    if (done % 25 === 0) process.stdout.write(`  ${done} invocations passed (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }),
  { seed, numRuns: runs, endOnFailure: process.env.ZKSIM_FUZZ_SHRINK === '0' },
);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
for (const [command, byStatus] of [...seen].sort()) {
  process.stdout.write(`  ${command}: ${[...byStatus].sort().map(([s, n]) => `exit ${s} ×${n}`).join(', ')}\n`);
}
if (!details.failed) {
  process.stdout.write(`test:fuzz: ${details.numRuns} invocations, no failure (${seconds} s)\n`);
} else {
  const c = details.counterexample?.[0];
  process.stdout.write(`test:fuzz: FAILED with seed ${seed} after ${details.numRuns} invocations, ${details.numShrinks} shrinks (${seconds} s)\n`);
  process.stdout.write(`  ${(details.errorInstance as Error | undefined)?.message}\n`);
  if (c) process.stdout.write(`  on:\n${describeCase(c, fixtures).replace(/^/gm, '    ')}\n`);
  process.stdout.write(`  reproduce: ZKSIM_FUZZ_SEED=${seed} ZKSIM_FUZZ_RUNS=${runs} npm run test:fuzz (counterexample path ${details.counterexamplePath ?? '?'})\n`);
}
process.exitCode = details.failed ? 1 : 0;

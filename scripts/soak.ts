/**
 * `npm run test:soak`: the property suite of test/property, deeper. Seed and run count come from
 * the environment; without a seed it picks one from the clock and prints it, so every soak
 * explores new schedules and any failure can be replayed exactly:
 *
 *   ZKSIM_SOAK_SEED=123 ZKSIM_SOAK_RUNS=5000 npm run test:soak
 */
import fc from 'fast-check';
import { describeCase, livenessProperty, safetyProperty, type ExploreCase } from '../src/scenario/explore.js';
import { formatScenario } from '../src/scenario/scenario-file.js';

const seedText = process.env.ZKSIM_SOAK_SEED ?? String(Date.now() % 2_147_483_647);
const runsText = process.env.ZKSIM_SOAK_RUNS ?? '1000';
const seed = Number(seedText);
const runs = Number(runsText);
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(runs) || runs < 1) {
  process.stderr.write(`test:soak: ZKSIM_SOAK_SEED and ZKSIM_SOAK_RUNS must be whole numbers (got ${JSON.stringify(seedText)}, ${JSON.stringify(runsText)})\n`);
  process.exit(2);
}
process.stdout.write(`test:soak: seed ${seed}, ${runs} runs per property (ZKSIM_SOAK_SEED=${seed} ZKSIM_SOAK_RUNS=${runs} npm run test:soak)\n`);

const settings = { topologies: null, quorumRule: 'majority', unsafe: [] } as const;
let failed = false;
for (const [name, property] of [
  ['safety', safetyProperty(settings)],
  ['liveness', livenessProperty(settings)],
] as const) {
  const started = Date.now();
  const details = fc.check(property, { seed, numRuns: runs });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!details.failed) {
    process.stdout.write(`  ${name}: ${details.numRuns} runs, no failure (${seconds} s)\n`);
    continue;
  }
  failed = true;
  const c = details.counterexample?.[0] as ExploreCase | undefined;
  process.stdout.write(`  ${name}: FAILED with seed ${seed} after ${details.numRuns} runs, ${details.numShrinks} shrinks (${seconds} s)\n`);
  process.stdout.write(`  ${(details.errorInstance as Error | undefined)?.message ?? ''}\n`);
  if (c) process.stdout.write(`  on ${describeCase(c)}:\n${formatScenario(c.scenario).replace(/^/gm, '    ')}`);
  process.stdout.write(`  reproduce: ZKSIM_SOAK_SEED=${seed} ZKSIM_SOAK_RUNS=${runs} npm run test:soak\n`);
}
process.exitCode = failed ? 1 : 0;

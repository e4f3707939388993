import fc from 'fast-check';
import { caseArb, describeCase, livenessFailure, runCase, safetyFailure, type ExploreCase, type ExploreSettings } from '../../src/scenario/explore.js';
import { formatScenario } from '../../src/scenario/scenario-file.js';

export const MAJORITY: ExploreSettings = { topologies: null, quorumRule: 'majority', unsafe: [] };

/**
 * Each case yields to the event loop first: a property run is minutes of synchronous simulation,
 * and a worker that never yields starves vitest's RPC ("Timeout calling onTaskUpdate").
 */
export function asyncProperty(settings: ExploreSettings, mode: 'safety' | 'liveness') {
  return fc.asyncProperty(caseArb(settings, mode), async (c) => {
    await new Promise((resolve) => setImmediate(resolve));
    const outcome = runCase(c);
    const failure = mode === 'safety' ? safetyFailure(outcome) : livenessFailure(c, outcome);
    if (failure !== null) throw new Error(`${failure}\n${explain(c)}`);
  });
}

/** What a failure prints: the topology and the scenario, replayable as a file. */
export function explain(c: ExploreCase): string {
  return `on ${describeCase(c)}\n${formatScenario(c.scenario)}`;
}

/** Runs a property; on failure the message carries the seed to reproduce it with. */
export async function checkProperty(property: fc.IAsyncPropertyWithHooks<[ExploreCase]>, seed: number, numRuns: number) {
  const details = await fc.check(property, { seed, numRuns });
  return details;
}

export async function assertProperty(property: fc.IAsyncPropertyWithHooks<[ExploreCase]>, seed: number, numRuns: number): Promise<void> {
  const details = await checkProperty(property, seed, numRuns);
  if (details.failed) {
    const c = details.counterexample?.[0];
    throw new Error(
      `property failed with seed ${seed} (numRuns ${numRuns}, after ${details.numRuns} runs and ${details.numShrinks} shrinks): ` +
        `${(details.errorInstance as Error | undefined)?.message ?? ''}\n${c ? '' : 'no counterexample'}\nreproduce: fc.check(..., { seed: ${seed}, path: "${details.counterexample ? details.counterexamplePath : ''}" })`,
    );
  }
}

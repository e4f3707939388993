/**
 * Issue 9, "Must hold": observers never change the failures voters see. n5-3az-dr is n5-3az plus
 * two observers in a disaster-recovery region; under the same experiment and seed, its voters
 * 1..5 must see exactly the same faults, so the VOTER quorum availability (a connected quorum of
 * voter processes up) must come out identical, byte for byte: same integer sums, same JSON.
 *
 * Teeth: production.yaml has so few quorum losses for five voters over three zones that two
 * zeros would agree trivially, so the same comparison runs on a stressed variant (zone outages
 * every 20 days, bursts every 10 days per zone) that loses quorum often; the test asserts that it
 * did. Write availability may differ (observers take part in the protocol's traffic), quorum
 * availability may not.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/errors.js';
import { parseExperiment } from '../../src/config/experiment.js';
import { applySet } from '../../src/config/overrides.js';
import type { Experiment } from '../../src/model/experiment.js';
import { availabilityDocument, runStudies, type ResultRow } from '../../src/montecarlo/index.js';
import { configs, options } from './helpers.js';

function production(): Experiment {
  const file = 'experiments/production.yaml';
  const parsed = parseExperiment(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join('\n'));
  return parsed.experiment;
}

function set(e: Experiment, path: string, value: string): Experiment {
  const r = applySet(e, path, value);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** The voter-quorum part of a row: every number the quorum availability is made of. */
function voterQuorum(r: ResultRow): string {
  return JSON.stringify({
    quorumAvailability: r.quorumAvailability,
    quorumAvailabilityCi95: r.quorumAvailabilityCi95,
    quorumDowntimeMinutesPerYear: r.quorumDowntimeMinutesPerYear,
    quorumDowntimeByProcess: r.quorumDowntimeByProcess,
    quorumLossEpisodes: r.quorumLossEpisodes,
    quorumLossEpisodesByProcess: r.quorumLossEpisodesByProcess,
    trialsWithQuorumLoss: r.trialsWithQuorumLoss,
    quorumDown: r.statistics.quorumDown,
    measured: r.statistics.measured,
  });
}

async function rows(experiment: Experiment, runs: number): Promise<[ResultRow, ResultRow]> {
  const opts = options({ horizonUs: experiment.horizonUs, runs, chunkSize: 16 });
  const { studies } = await runStudies(configs(experiment, 'n5-3az', 'n5-3az-dr'), opts, 'test', { workers: 1 });
  const [a, b] = availabilityDocument(opts, studies, 'test').results;
  return [a as ResultRow, b as ResultRow];
}

describe('observers never change the failures the voters see (common random numbers)', () => {
  it('n5-3az and n5-3az-dr: identical voter quorum availability under production.yaml', { timeout: 120_000 }, async () => {
    const [plain, dr] = await rows(production(), 200);
    expect(dr.observers).toBe(2);
    expect(voterQuorum(dr)).toBe(voterQuorum(plain));
  });

  it('and under a stressed variant that loses quorum often', { timeout: 120_000 }, async () => {
    let stressed = set(production(), 'failures.domainOutages[1].every.mean', '20d');
    stressed = set(stressed, 'failures.bursts.every.mean', '10d');
    const [plain, dr] = await rows(stressed, 48);
    expect(plain.quorumLossEpisodes).toBeGreaterThanOrEqual(10);
    expect(voterQuorum(dr)).toBe(voterQuorum(plain));
  });
});

import { describe, expect, it } from 'vitest';
import {
  Accumulator,
  availabilityDocument,
  CheckpointMismatch,
  chunkIndices,
  mergeDocuments,
  runStudies,
  type AvailabilityDocument,
  type Checkpoint,
} from '../../src/montecarlo/index.js';
import type { TrialSummary } from '../../src/scenario/index.js';
import { zeroByProcess } from '../../src/observe/index.js';
import { configs, crashRepair, DAY_US, options, trialSummary } from './helpers.js';

const VERSION = 'test';
const experiment = crashRepair(5, 1, 20);
const study = configs(experiment, 'n3-1az');
const base = options({ horizonUs: 20 * DAY_US, runs: 24 });

async function runJson(opts = base, workers = 1): Promise<string> {
  const { studies } = await runStudies(study, opts, VERSION, { workers });
  return JSON.stringify(availabilityDocument(opts, studies, VERSION));
}

function summary(index: number, writeDownUs: number, electionUs: number[]): TrialSummary {
  const quorumDownUs = Math.floor(writeDownUs / 2);
  const lost = writeDownUs > 0 ? 1 : 0;
  return trialSummary({
    index,
    seed: String(index),
    measuredUs: 1_000_000_000 + index,
    writeDownUs,
    quorumDownUs,
    downByCauseUs: { quorumLost: writeDownUs, partitioned: 0, leaderIsolated: 0, electing: 0, syncing: 0 },
    downByProcessUs: { ...zeroByProcess(), hostFailures: writeDownUs - (index % 5), startup: index % 5 },
    quorumDownByProcessUs: { ...zeroByProcess(), hostFailures: quorumDownUs },
    outageEpisodes: lost + 1,
    outageEpisodesByProcess: { ...zeroByProcess(), startup: 1, hostFailures: lost },
    longestWriteOutageUs: writeDownUs,
    quorumLossEpisodes: lost,
    quorumLossEpisodesByProcess: { ...zeroByProcess(), hostFailures: lost },
    quorumLossDurationsUs: lost ? [quorumDownUs] : [],
    elections: electionUs.length,
    electionDurationsUs: electionUs,
    firstQuorumLossUs: writeDownUs > 0 ? index * 1000 : null,
    faults: 1,
    events: 10,
  });
}

describe('accumulator', () => {
  it('merges exactly: any split and any order give the same JSON', () => {
    const xs = Array.from({ length: 40 }, (_, i) => summary(i, (i * 7919) % 13 === 0 ? 0 : i * 123_456_789, [i * 1000 + 17, 250_000]));
    const whole = new Accumulator();
    for (const s of xs) whole.add(s);
    const parts = [new Accumulator(), new Accumulator(), new Accumulator()];
    xs.forEach((s, i) => parts[i % 3]!.add(s));
    const merged = new Accumulator().merge(parts[2]!).merge(parts[0]!).merge(parts[1]!);
    expect(JSON.stringify(merged.toJSON())).toBe(JSON.stringify(whole.toJSON()));
    expect(JSON.stringify(Accumulator.fromJSON(JSON.parse(JSON.stringify(whole.toJSON()))).toJSON())).toBe(JSON.stringify(whole.toJSON()));
  });

  it('shards take i ≡ k−1 (mod n) and together cover every index once', () => {
    const plan = (index: number) => ({ runs: 10, shard: { index, count: 3 }, chunkSize: 2, precision: null });
    const all = [1, 2, 3].flatMap((k) => [0, 1, 2].flatMap((c) => chunkIndices(plan(k), c)));
    expect(all.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(chunkIndices(plan(2), 0)).toEqual([1, 4]);
  });
});

describe('Monte Carlo runs are exact and reproducible', () => {
  it('same seed ⇒ identical JSON; another seed ⇒ different', async () => {
    const a = await runJson();
    expect(await runJson()).toBe(a);
    expect(await runJson({ ...base, seed: '2' })).not.toBe(a);
    const doc = JSON.parse(a);
    expect(doc).toMatchObject({ seed: '1', experiment: 'test-independent', version: VERSION });
    const row = doc.results[0];
    for (const k of ['topology', 'voters', 'observers', 'runs', 'horizonYears', 'writeAvailability', 'writeAvailabilityCi95', 'quorumAvailability',
      'analyticQuorumAvailability', 'downtimeMinutesPerYear', 'downtimeByCause', 'electionsPerYear', 'electionMsP50', 'electionMsP99',
      'meanYearsToQuorumLoss', 'outageProbabilityPerYear', 'stoppedBy', 'tooFewEpisodes']) {
      expect(row, k).toHaveProperty(k);
    }
    expect(row.runs).toBe(24);
    expect(row.stoppedBy).toBe('runs');
    expect(row.writeAvailability).toBeLessThanOrEqual(row.quorumAvailability);
    const causes = Object.values(row.downtimeByCause as Record<string, number>).reduce((s, x) => s + x, 0);
    expect(causes).toBeCloseTo(row.downtimeMinutesPerYear, 6);
  });

  it('merging the shards gives exactly the JSON of one run', async () => {
    const single = await runJson();
    const shards: AvailabilityDocument[] = [];
    for (const index of [3, 1, 2]) {
      const opts = { ...base, shard: { index, count: 3 } };
      const { studies } = await runStudies(study, opts, VERSION, { workers: 1 });
      shards.push(JSON.parse(JSON.stringify(availabilityDocument(opts, studies, VERSION))));
    }
    expect(JSON.stringify(mergeDocuments(shards))).toBe(single);
    expect(() => mergeDocuments(shards.slice(0, 2))).toThrow(/missing shard 2\/3/);
    expect(() => mergeDocuments([shards[0]!, shards[0]!])).toThrow(/appears twice/);
  });

  it('an interrupted run resumed from its checkpoint equals the uninterrupted run', async () => {
    const full = await runJson();
    const controller = new AbortController();
    let saved: Checkpoint | null = null;
    let merges = 0;
    const first = await runStudies(study, base, VERSION, {
      workers: 1,
      signal: controller.signal,
      onCheckpoint: (cp) => {
        saved = JSON.parse(JSON.stringify(cp));
        if (++merges === 2) controller.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.studies[0]!.stoppedBy).toBe('interrupted');
    expect(first.studies[0]!.acc.trials).toBe(16); // two chunks of 8, in order
    const resumed = await runStudies(study, base, VERSION, { workers: 1, resume: saved });
    expect(resumed.interrupted).toBe(false);
    expect(JSON.stringify(availabilityDocument(base, resumed.studies, VERSION))).toBe(full);
    await expect(runStudies(study, { ...base, seed: '9' }, VERSION, { workers: 1, resume: saved })).rejects.toThrow(CheckpointMismatch);
  });

  it('--precision stops at the same chunk every time and says so', async () => {
    const opts = { ...base, runs: 400, precision: 0.25 };
    const a = await runJson(opts);
    expect(await runJson(opts)).toBe(a);
    const row = JSON.parse(a).results[0];
    expect(row.stoppedBy).toBe('precision');
    expect(row.runs).toBeLessThan(400);
    expect(row.runs % 8).toBe(0);
    expect(row.relativeHalfWidth).toBeLessThanOrEqual(0.25);
  });
});

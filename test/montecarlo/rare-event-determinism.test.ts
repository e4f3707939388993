/**
 * Issue 12, "Determinism is unchanged": failure-biased studies give the same bytes for any worker
 * count, shards merge into exactly the unsharded document, an interrupted run resumes from its
 * checkpoint to the same result, and the weighted statistics (exact fixed-point integers) are part
 * of what merges and what integrity checks refuse when edited. Production failure model, short
 * horizon: every process biased or drawn as it is, cycles with bursts and partitions.
 */
import { describe, expect, it } from 'vitest';
import {
  Accumulator,
  availabilityDocument,
  checkpointProblem,
  mergeDocuments,
  MergeError,
  runStudies,
  type AvailabilityDocument,
  type Checkpoint,
  type StudyOptions,
} from '../../src/montecarlo/index.js';
import { contentDigest } from '../../src/montecarlo/digest.js';
import { experiment } from '../helpers/topologies.js';
import { configs, DAY_US, options } from './helpers.js';

const VERSION = 'test';
const study = configs({ ...experiment('production'), horizonUs: 60 * DAY_US }, 'n5-3az');
const base: StudyOptions = options({ horizonUs: 60 * DAY_US, runs: 24, chunkSize: 8, method: 'failure-biasing' });

async function document(opts: StudyOptions, workers: number): Promise<string> {
  const { studies } = await runStudies(study, opts, VERSION, { workers });
  return JSON.stringify(availabilityDocument(opts, studies, VERSION));
}

describe('failure-biased studies are deterministic and merge exactly', () => {
  it('1 or 2 workers, shards merged, and a resumed checkpoint all give the same document', async () => {
    const one = await document(base, 1);
    const parsed = JSON.parse(one) as AvailabilityDocument;
    expect(parsed.results[0]!.method).toBe('failure-biasing');
    expect(parsed.results[0]!.statistics.weighted).toBeDefined();
    expect(await document(base, 2)).toBe(one);

    const shards: AvailabilityDocument[] = [];
    for (const index of [2, 1, 3]) {
      const o = { ...base, shard: { index, count: 3 } };
      shards.push(JSON.parse(await document(o, 1)) as AvailabilityDocument);
    }
    expect(JSON.stringify(mergeDocuments(shards))).toBe(one);

    const controller = new AbortController();
    let partial: Checkpoint | null = null;
    await runStudies(study, base, VERSION, {
      workers: 1,
      signal: controller.signal,
      onCheckpoint: (cp) => {
        if (partial === null && cp.studies[0]?.acc.trials === 16) {
          partial = JSON.parse(JSON.stringify(cp)) as Checkpoint;
          controller.abort();
        }
      },
    });
    expect(partial).not.toBeNull();
    expect(checkpointProblem(partial!)).toBeNull();
    const { studies } = await runStudies(study, base, VERSION, { workers: 2, resume: partial });
    expect(JSON.stringify(availabilityDocument(base, studies, VERSION))).toBe(one);
  }, 120_000);

  it('refuses to merge a naive shard with a failure-biased one, and an edited weighted sum', async () => {
    const biased = JSON.parse(await document({ ...base, runs: 8, shard: { index: 1, count: 2 } }, 1)) as AvailabilityDocument;
    const naive = JSON.parse(await document({ ...base, runs: 8, method: 'naive', shard: { index: 2, count: 2 } }, 1)) as AvailabilityDocument;
    expect(() => mergeDocuments([biased, naive], ['a.json', 'b.json'])).toThrow(MergeError);
    expect(() => mergeDocuments([biased, naive], ['a.json', 'b.json'])).toThrow(/b\.json: method "?naive"?/);

    const second = JSON.parse(await document({ ...base, runs: 8, shard: { index: 2, count: 2 } }, 1)) as AvailabilityDocument;
    expect(() => mergeDocuments([biased, second])).not.toThrow();
    const forged = JSON.parse(JSON.stringify(biased)) as { results: { statistics: { weighted: { moments: { quorumDown: { sum: string } } } } }[]; digest: string };
    const w = forged.results[0]!.statistics.weighted;
    w.moments.quorumDown.sum = (BigInt(w.moments.quorumDown.sum) * 1000n + 1n).toString();
    forged.digest = contentDigest(forged, 'digest'); // a forger who recomputes the digest
    expect(() => mergeDocuments([forged as unknown as AvailabilityDocument, second], ['a.json', 'b.json'])).toThrow(/a\.json: result 1 \(n5-3az\): impossible statistics: weighted cycles: /);
    // The weighted statistics round-trip exactly through JSON.
    const acc = Accumulator.fromJSON(biased.results[0]!.statistics);
    expect(JSON.stringify(acc.toJSON())).toBe(JSON.stringify(biased.results[0]!.statistics));
  }, 120_000);
});

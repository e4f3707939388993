/**
 * Issue 10, section 2 (silent corruption of results): damaged checkpoints and impossible shards
 * are refused with the reason, never used. In-process checks of every rule, then the two repros
 * through the built CLI (exit 2, the reason, no stack trace).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Accumulator,
  availabilityDocument,
  CheckpointMismatch,
  checkpointProblem,
  mergeDocuments,
  parseCheckpoint,
  runStudies,
  statisticsProblem,
  type AccumulatorJSON,
  type AvailabilityDocument,
  type Checkpoint,
  type StudyOptions,
} from '../../src/montecarlo/index.js';
import { contentDigest } from '../../src/montecarlo/digest.js';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { configs, crashRepair, DAY_US, options } from './helpers.js';

const VERSION = 'test';
const study = configs(crashRepair(5, 1, 20), 'n3-1az');
const base = options({ horizonUs: 20 * DAY_US, runs: 24 });

/** A JSON deep copy, edited by `edit`, with its digest recomputed when `redigest` (a forger's file). */
function edited<T extends object>(value: T, edit: (j: any) => void, redigest = false): T {
  const j = JSON.parse(JSON.stringify(value));
  edit(j);
  if (redigest) j.digest = contentDigest(j, 'digest');
  return j as T;
}

/** The checkpoint of a run interrupted after `chunks` chunks (of 8 trials), and of the whole run. */
async function checkpoints(chunks: number): Promise<{ partial: Checkpoint; full: Checkpoint }> {
  const controller = new AbortController();
  let partial: Checkpoint | null = null;
  let merges = 0;
  await runStudies(study, base, VERSION, {
    workers: 1,
    signal: controller.signal,
    onCheckpoint: (cp) => {
      if (++merges === chunks) {
        partial = JSON.parse(JSON.stringify(cp));
        controller.abort();
      }
    },
  });
  let full: Checkpoint | null = null;
  await runStudies(study, base, VERSION, { workers: 1, onCheckpoint: (cp, final) => void (final && (full = JSON.parse(JSON.stringify(cp)))) });
  return { partial: partial!, full: full! };
}

async function shards(opts: StudyOptions, count: number): Promise<AvailabilityDocument[]> {
  const out: AvailabilityDocument[] = [];
  for (let index = 1; index <= count; index++) {
    const o = { ...opts, shard: { index, count } };
    const { studies } = await runStudies(study, o, VERSION, { workers: 1 });
    out.push(JSON.parse(JSON.stringify(availabilityDocument(o, studies, VERSION))));
  }
  return out;
}

describe('checkpoints are integrity-checked', () => {
  it('an intact checkpoint passes, survives a JSON round trip and resumes', async () => {
    const { partial, full } = await checkpoints(2);
    expect(partial.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(checkpointProblem(partial)).toBeNull();
    expect(checkpointProblem(full)).toBeNull();
    expect(parseCheckpoint(JSON.stringify(partial)).studies[0]!.acc.trials).toBe(16);
    // key order does not matter (canonical JSON): a reformatted file is still intact
    const reordered = Object.fromEntries(Object.entries(partial).reverse()) as unknown as Checkpoint;
    expect(checkpointProblem(reordered)).toBeNull();
  });

  it('any edit is refused: digest mismatch, or no digest at all', async () => {
    const { partial } = await checkpoints(2);
    const edits: [string, (j: any) => void][] = [
      ['finished', (j) => (j.studies[0].finished = 'runs')],
      ['nextChunk', (j) => (j.studies[0].nextChunk = 3)],
      ['trials', (j) => (j.studies[0].acc.trials = 896)],
      ['a sum', (j) => (j.studies[0].acc.writeDown.sum = '1')],
      ['the inputs', (j) => (j.parts.runs = 16)],
    ];
    for (const [what, edit] of edits) {
      const cp = edited(partial, edit);
      expect(checkpointProblem(cp), what).toBe('checkpoint is damaged: digest mismatch (the file was edited or corrupted after zksim wrote it)');
      expect(() => parseCheckpoint(JSON.stringify(cp)), what).toThrow(/checkpoint is damaged: digest mismatch/);
    }
    const { digest: _d, ...bare } = partial;
    expect(checkpointProblem(bare as Checkpoint)).toMatch(/checkpoint is damaged: it has no digest/);
  });

  it('invariants are checked even when the digest matches (recomputed by hand)', async () => {
    const { partial, full } = await checkpoints(2);
    const cases: [Checkpoint, (j: any) => void, RegExp][] = [
      // the repro: an interrupted checkpoint marked finished, or its trial count raised
      [partial, (j) => (j.studies[0].finished = 'runs'), /finished by runs after 2 of 3 chunks/],
      [partial, (j) => (j.studies[0].nextChunk = 3), /16 trials, but chunks 0\.\.2 of 24 runs \(chunk size 8\) hold 24/],
      [full, (j) => (j.studies[0].acc.trials = 896), /896 trials, but chunks 0\.\.2 of 24 runs \(chunk size 8\) hold 24/],
      [partial, (j) => (j.studies[0].nextChunk = 7), /nextChunk 7 is not between 0 and 3/],
      [partial, (j) => (j.studies[0].finished = 'precision'), /stopped by precision, but no precision was asked for/],
      [partial, (j) => (j.studies[0].finished = 'yes'), /finished "yes" is not null, "runs" or "precision"/],
      [partial, (j) => (j.studies[0].acc.writeDown.sum = '1'), /write downtime by cause adds up to \d+ µs, the total is 1 µs/],
      [partial, (j) => (j.studies[0].acc.byProcess.startup = '-5'), /non-negative whole number as a decimal string, got "-5"/],
      [partial, (j) => (j.studies[0].acc.trialsWithLongOutage = 99), /99 trials with a long write outage but \d+ with any/],
      [partial, (j) => j.studies.push(j.studies[0]), /appears twice/],
      [partial, (j) => (j.studies[0].key = 'other#0'), /is not one of the configurations it was run on/],
      [partial, (j) => delete j.parts, /parts \(the fingerprinted inputs\) is missing/],
      [partial, (j) => (j.parts.runs = 16), /fingerprint does not match its inputs/],
    ];
    for (const [cp0, edit, reason] of cases) {
      const cp = edited(cp0, edit, true);
      expect(checkpointProblem(cp), String(reason)).toMatch(reason);
      expect(checkpointProblem(cp), String(reason)).toMatch(/^checkpoint is damaged: |decimal string/);
      expect(() => parseCheckpoint(JSON.stringify(cp))).toThrow(reason);
    }
  });

  it('runStudies refuses a damaged checkpoint handed over in memory instead of using it', async () => {
    const { partial } = await checkpoints(2);
    const bad = edited(partial, (j) => (j.studies[0].finished = 'runs'), true);
    await expect(runStudies(study, base, VERSION, { workers: 1, resume: bad })).rejects.toThrow(CheckpointMismatch);
    await expect(runStudies(study, base, VERSION, { workers: 1, resume: bad })).rejects.toThrow(/finished by runs after 2 of 3 chunks/);
  });
});

describe('merge refuses impossible shards', () => {
  it('valid shards still merge into exactly the unsharded document, digest included', async () => {
    const { studies } = await runStudies(study, base, VERSION, { workers: 1 });
    const single = availabilityDocument(base, studies, VERSION);
    expect(single.digest).toBe(contentDigest(single, 'digest'));
    const merged = mergeDocuments(await shards(base, 3));
    expect(JSON.stringify(merged)).toBe(JSON.stringify(single));
  });

  it('an edited or digest-less document is refused', async () => {
    const docs = await shards(base, 3);
    const relabelled = edited(docs[2]!, (j) => (j.options.shard.index = 5));
    expect(() => mergeDocuments([...docs, relabelled])).toThrow('input 4: digest mismatch: the file was edited or damaged after zksim wrote it');
    const { digest: _d, ...bare } = docs[1]!;
    expect(() => mergeDocuments([docs[0]!, bare as AvailabilityDocument, docs[2]!])).toThrow(/input 2: no digest \(written by an older zksim, or edited\)/);
  });

  it('shard identity and statistics are checked even when the digest matches', async () => {
    const docs = await shards(base, 3); // 24 runs: 8 trials each
    const stats = (j: any): AccumulatorJSON => j.results[0].statistics;
    // the repro: a shard relabelled 5/3 was counted twice
    expect(() => mergeDocuments([...docs, edited(docs[2]!, (j) => (j.options.shard.index = 5), true)])).toThrow(/input 4: options: shard 5\/3 is not K\/N with 1 ≤ K ≤ N/);
    expect(() => mergeDocuments([docs[0]!, docs[1]!, edited(docs[2]!, (j) => (j.options.shard.index = 1.5), true)])).toThrow(/shard 1\.5\/3 is not K\/N/);
    // the repro: edited statistics gave −67.5% availability
    const negative = edited(docs[1]!, (j) => (stats(j).writeDown.sum = String(BigInt(stats(j).measured.sum) * 2n)), true);
    expect(() => mergeDocuments([docs[0]!, negative, docs[2]!])).toThrow(/input 2: result 1 \(n3-1az\): impossible statistics: write downtime by cause adds up to/);
    const trials = edited(docs[0]!, (j) => (stats(j).trials = 16), true);
    expect(() => mergeDocuments([trials, docs[1]!, docs[2]!])).toThrow(/input 1: result 1 \(n3-1az\): impossible statistics: 16 trials, but shard 1\/3 of 24 runs are 8 trials \(indices ≡ 0 mod 3 below 24\)/);
    // a partial shard posing as interrupted must still be whole chunks of that shard's trials
    const odd = edited(docs[0]!, (j) => (j.results[0].stoppedBy = 'interrupted'), true);
    expect(() => mergeDocuments([odd, docs[1]!, docs[2]!])).not.toThrow();
    const tooMany = edited(docs[0]!, (j) => ((j.options.runs = 12), (j.results[0].stoppedBy = 'interrupted')), true);
    expect(() => mergeDocuments([tooMany])).toThrow(/input 1: result 1 \(n3-1az\): impossible statistics: 8 trials is not a whole number of chunks \(of 8\) of the 4 trials of shard 1\/3 of 12 runs/);
  });

  it('shards of 200 runs over 3: counts 67, 67, 66; an uneven relabel is caught by its count', async () => {
    const opts = { ...base, runs: 200, chunkSize: 16, horizonUs: 2 * DAY_US };
    const docs = await shards(opts, 3);
    expect(docs.map((d) => d.results[0]!.statistics.trials)).toEqual([67, 67, 66]);
    const swapped = edited(docs[2]!, (j) => (j.options.shard.index = 2), true);
    expect(() => mergeDocuments([docs[0]!, swapped, docs[1]!])).toThrow(/66 trials, but shard 2\/3 of 200 runs are 67 trials/);
  });
});

describe('statistics invariants', () => {
  it('hold for real runs and catch each kind of edit', async () => {
    const { studies } = await runStudies(study, base, VERSION, { workers: 1 });
    const good = studies[0]!.acc;
    expect(statisticsProblem(good)).toBeNull();
    const broken = (edit: (j: any) => void): string | null => statisticsProblem(Accumulator.fromJSON(edited(good.toJSON(), edit)));
    expect(broken((j) => (j.quorumByProcess.startup = String(BigInt(j.quorumByProcess.startup) + 1n)))).toMatch(/quorum downtime by process adds up to/);
    expect(broken((j) => (j.outageEpisodes += 1))).toMatch(/write outage episodes by process add up to/);
    expect(broken((j) => (j.trialsWithQuorumLoss = j.trials + 1))).toMatch(/trials with a quorum loss/);
    expect(broken((j) => (j.quorumLossUs.count += 1, j.quorumLossUs.buckets[1] += 1))).toMatch(/quorum-loss durations for \d+ quorum-loss episodes/);
    expect(broken((j) => (j.electionUs.sum = -1))).toMatch(/electionUs: sum -1 is outside count × \[min, max\]/);
    expect(broken((j) => (j.measured.sumXm = '0'))).toMatch(/measured time: sumXm differs from sumSq/);
    expect(broken((j) => (j.timeToQuorumLossUs = String(BigInt(j.measured.sum) + 1n)))).toMatch(/time to first quorum loss/);
  });
});

describe('through the built CLI (exit 2, the reason, no stack trace)', () => {
  // plumbing: the checks are on chunk and shard bookkeeping, so short trials suffice
  const SMALL = ['topologies/n3-1az.yaml', '--node-mttf', '5d', '--node-mttr', '1d', '--horizon', '2d', '--workers', '1', '--json'];

  it('a checkpoint edited to look complete is refused, edited digest or not', async () => {
    const dir = tempDir('zksim-integrity-cp-');
    const cp = join(dir, 'cp.json');
    const first = await zksim(['availability', ...SMALL, '--runs', '40', '--checkpoint', cp]);
    expect(first.status, first.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(cp, 'utf8')) as Checkpoint;
    for (const redigest of [false, true]) {
      writeFileSync(cp, JSON.stringify(edited(saved, (j) => (j.studies[0].acc.trials = 896), redigest)));
      const r = await zksim(['availability', ...SMALL, '--runs', '40', '--checkpoint', cp]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(hasStackTrace(r.stderr)).toBe(false);
      expect(r.stderr).toContain(`--checkpoint ${cp}: checkpoint is damaged: `);
      expect(r.stderr).toMatch(redigest ? /896 trials, but chunks 0\.\.2 of 40 runs \(chunk size 16\) hold 40/ : /digest mismatch/);
    }
  });

  it('merge refuses a shard relabelled 5/3 and a shard with edited statistics', async () => {
    const dir = tempDir('zksim-integrity-merge-');
    const files: string[] = [];
    for (const k of [1, 2, 3]) {
      const r = await zksim(['availability', ...SMALL, '--runs', '30', '--shard', `${k}/3`]);
      expect(r.status, r.stderr).toBe(0);
      files.push(join(dir, `s${k}.json`));
      writeFileSync(files[k - 1]!, r.stdout);
    }
    const doc = JSON.parse(readFileSync(files[2]!, 'utf8')) as AvailabilityDocument;
    const s5 = join(dir, 's5.json');
    writeFileSync(s5, JSON.stringify(edited(doc, (j) => (j.options.shard.index = 5))));
    const a = await zksim(['merge', ...files, s5]);
    expect(a.status).toBe(2);
    expect(hasStackTrace(a.stderr)).toBe(false);
    expect(a.stderr).toContain(`merge: ${s5}: digest mismatch`);
    writeFileSync(s5, JSON.stringify(edited(doc, (j) => (j.options.shard.index = 5), true)));
    const b = await zksim(['merge', ...files, s5]);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain(`merge: ${s5}: options: shard 5/3 is not K/N with 1 ≤ K ≤ N`);
    const ok = await zksim(['merge', ...files, '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).results[0].runs).toBe(30);
  });
});

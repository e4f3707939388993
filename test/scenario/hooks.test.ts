/**
 * TrialHooks: what demos and tests observe of a running trial without reaching into it. The hooks
 * watch and never steer: a run with hooks tells the same story as one without.
 */
import { expect, test } from 'vitest';
import type { TrialEvent } from '../../src/model/index.js';
import { Trial, runTrial } from '../../src/scenario/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

const t = topology('n5-3az');
const base = { topology: t, seed: 'hooks', durationUs: 40 * S, faults: faults(t, 'kill:leader@10s+5s') };

test('onEvent hands over every recorded event once, in order, after the kernel event that caused it', () => {
  const seen: TrialEvent[] = [];
  let late = 0;
  const trial: Trial = new Trial({
    ...base,
    hooks: {
      onEvent: (e) => {
        seen.push(e);
        if (e.atUs > trial.nowUs) late++;
      },
    },
  });
  const result = trial.run();
  expect(seen).toEqual(result.recorder.events);
  expect(late).toBe(0);
  expect(seen.filter((e) => e.type === 'faultApplied' || e.type === 'faultRepaired').map((e) => e.type)).toEqual(['faultApplied', 'faultRepaired']);
  expect(result.recorder.events).toEqual(runTrial(base).recorder.events);
});

test('onReply hears the answer to each scripted client write; zxids grow', () => {
  const replies: { node: number; writeId: number; ok: boolean; zxid: number }[] = [];
  const trial = new Trial({ ...base, faults: [], hooks: { onReply: (node, writeId, ok, zxid) => replies.push({ node, writeId, ok, zxid }) } });
  for (let i = 1; i <= 10; i++) trial.submitWrite(5 * S + i * 100_000, 1 + (i % 5), i);
  trial.run();
  expect(replies.map((r) => r.writeId).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(replies.every((r) => r.ok)).toBe(true);
  const zxids = replies.map((r) => r.zxid);
  expect(zxids).toEqual([...zxids].sort((a, b) => a - b));
  expect(new Set(zxids).size).toBe(10);
  // the peers are readable (not writable) after the run: everyone delivered the ten writes
  expect([...trial.peers.values()].map((p) => p?.log.delivered)).toEqual([10, 10, 10, 10, 10]);
});

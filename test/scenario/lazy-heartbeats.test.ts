import { expect, test } from 'vitest';
import { US_PER_HOUR, US_PER_YEAR } from '../../src/core/index.js';
import { runTrial } from '../../src/scenario/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

test('a quiet simulated year costs no more events than a quiet hour plus a constant', () => {
  const t = topology('n5-3az');
  const hour = runTrial({ topology: t, seed: '1', durationUs: US_PER_HOUR, faults: [] });
  const year = runTrial({ topology: t, seed: '1', durationUs: US_PER_YEAR, faults: [] });
  expect(year.events).toBe(hour.events);
  expect(year.recorder.leaders).toHaveLength(1);
});

test('the cost of a trial grows with its faults, not with simulated time', () => {
  const t = topology('n5-3az');
  const spec = ['kill:leader@1h+5m', 'crash:2@100d+2h'];
  const short = runTrial({ topology: t, seed: '1', durationUs: 101 * 24 * US_PER_HOUR, faults: faults(t, ...spec) });
  const long = runTrial({ topology: t, seed: '1', durationUs: US_PER_YEAR, faults: faults(t, ...spec) });
  expect(long.events - short.events).toBeLessThan(50);
  expect(short.events).toBeLessThan(2000);
  void S;
});

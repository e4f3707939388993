import { compile } from 'vega-lite';
import { expect, test } from 'vitest';
import { runCharts } from '../../src/report/charts/index.js';
import { runJson } from '../../src/report/run-json.js';
import { runTrial } from '../../src/scenario/index.js';
import { S, topology } from '../helpers/topologies.js';

test('a run with writes gets a write-latency CDF over every committed write; one without does not', () => {
  const t = topology('n3-1az');
  const withWrites = runJson(runTrial({ topology: t, seed: '1', durationUs: 10 * S, faults: [], workload: { writesPerSec: 100, readsPerSec: 0, sessionTimeoutUs: 30_000_000 } }), t, 'test');
  const chart = runCharts(withWrites).find((c) => c.name === 'write-latency-cdf');
  expect(chart).toBeDefined();
  const spec = chart!.spec as { title: { subtitle: string[] } };
  expect(spec.title.subtitle.join(' ')).toContain(`${withWrites.writes!.committed} observations`);
  expect(() => compile(chart!.spec as Parameters<typeof compile>[0])).not.toThrow();
  const quiet = runJson(runTrial({ topology: t, seed: '1', durationUs: 10 * S, faults: [] }), t, 'test');
  expect(runCharts(quiet).map((c) => c.name)).not.toContain('write-latency-cdf');
});

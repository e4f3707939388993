/**
 * Documents and invocations the event-stream refactor made meaningless get a clear error, exit 2:
 * a run.json from before `eventLog` (charts no longer parse the prose timeline), and
 * `demo --json` without a demo to print.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('chart refuses a run document without eventLog and says how to get one', async () => {
  const dir = tempDir('zksim-old-run-');
  const file = join(dir, 'run.json');
  const old = { seed: '1', durationMs: 60000, elections: [], timeline: [{ atMs: 0, who: 1, kind: 'looking', what: 'LOOKING (election)' }], faults: [] };
  writeFileSync(file, `${JSON.stringify(old)}\n`);
  const r = await zksim(['chart', file, '--format', 'svg']);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('a run document from an older zksim (no eventLog');
  expect(r.stderr).toContain('zksim run');
  expect(hasStackTrace(r.stderr)).toBe(false);
});

test('demo --json without a name is a usage error naming the demos', async () => {
  const r = await zksim(['demo', '--json']);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('demo --json needs a demo name: one of even-nodes, two-zones, split-brain, rolling-restart');
});

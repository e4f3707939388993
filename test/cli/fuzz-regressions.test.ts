/**
 * Defects found by the CLI fuzz (test/fuzz, issue 10 §6), each pinned by a focused test.
 *
 * --out used to be created before simulating, so a run or study that was interrupted (SIGTERM,
 * Ctrl-C) or failed afterwards left an empty --out directory behind; and a failed write into a
 * directory that writeFilesAtomic had just created rolled back the files but not the directory.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkDirectory } from '../../src/cli/io.js';
import { writeFilesAtomic } from '../../src/cli/render/write.js';
import { tempDir } from '../helpers/tmp.js';

/** Start the built CLI, SIGTERM it once it is `afterMs` into its work; its exit status or signal. */
function terminated(args: readonly string[], cwd: string, afterMs: number): Promise<{ status: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${process.cwd()}/dist/cli/main.js`, ...args], { cwd, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGTERM'), afterMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal });
    });
  });
}

describe('an interrupted run or study leaves no --out directory', () => {
  // The work is far longer than the delay (hours of simulated writes, 10^5 trials), so the signal
  // lands while simulating; the assertion is about what is left, not about time.
  test('run --out (no --trace: the default SIGTERM action) leaves neither DIR nor its missing parents', async () => {
    const dir = tempDir('zksim-fuzzreg-');
    const r = await terminated(['run', `${process.cwd()}/topologies/n5-3az.yaml`, '--duration', '2h', '--writes', '100', '--out', 'a/b'], dir, 3000);
    expect(r.status === 143 || r.signal === 'SIGTERM').toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('availability --out (handled SIGTERM, exit 143) leaves no DIR', async () => {
    const dir = tempDir('zksim-fuzzreg-');
    const args = ['availability', `${process.cwd()}/topologies/n3-1az.yaml`, '--runs', '100000', '--horizon', '1y', '--workers', '1', '--no-progress', '--out', 'out'];
    const r = await terminated(args, dir, 3000);
    expect(r.status === 143 || r.signal === 'SIGTERM').toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the --out preflight proves the directory can be made without leaving it', () => {
  test('checkDirectory creates nothing, and still refuses a path under a regular file', () => {
    const dir = tempDir('zksim-fuzzreg-');
    checkDirectory(join(dir, 'x', 'y', 'z'), '--out');
    expect(readdirSync(dir)).toEqual([]);
    expect(() => checkDirectory('/proc/self/zksim-fuzz', '--out')).toThrow(/--out/);
  });

  test('a failed writeFilesAtomic removes the directories it created along with the files', () => {
    const dir = tempDir('zksim-fuzzreg-');
    const failing = {
      rename: () => {
        throw new Error('EIO: simulated');
      },
    };
    expect(() => writeFilesAtomic(join(dir, 'new', 'out'), [{ name: 'a.json', data: '{}' }], failing)).toThrow(/left as it was/);
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });
});

/**
 * `npm start` (zksim start) writes into a fresh ./zksim-out-N, or into --out DIR when DIR is new,
 * empty, or was written by an earlier start (its manifest): then it replaces only the files that
 * start listed, and says which on its first line. Foreign files are never touched.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { START_MANIFEST, startOutput } from '../../src/cli/commands/start.js';
import { UserError } from '../../src/cli/errors.js';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('startOutput: where zksim start writes', () => {
  it('without --out, the first ./zksim-out-N that does not exist', () => {
    const cwd = tempDir('zksim-start-');
    expect(startOutput(undefined, cwd).dir).toBe('zksim-out-1');
    mkdirSync(join(cwd, 'zksim-out-1'));
    writeFileSync(join(cwd, 'zksim-out-1', 'mine.txt'), 'a user file');
    const next = startOutput(undefined, cwd);
    expect(next.dir).toBe('zksim-out-2');
    expect(next.firstLine).toBe('zksim start: writing into ./zksim-out-2/, a fresh directory (--out DIR to choose)');
    expect(next.previous).toEqual([]);
  });

  it('refuses a directory with files it did not write, and a manifest that names a path', () => {
    const dir = tempDir('zksim-start-');
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    expect(() => startOutput(dir)).toThrow(UserError);
    expect(() => startOutput(dir)).toThrow(/files zksim start did not write/);
    writeFileSync(join(dir, START_MANIFEST), JSON.stringify({ files: ['../notes.txt'] }));
    expect(() => startOutput(dir)).toThrow(/plain file names/);
  });

  it('refuses when a foreign file bears one of its output names, even beside a manifest', () => {
    const dir = tempDir('zksim-start-');
    writeFileSync(join(dir, START_MANIFEST), JSON.stringify({ files: ['availability.json'] }));
    writeFileSync(join(dir, 'report.html'), 'the user\'s own report');
    expect(() => startOutput(dir)).toThrow(/report\.html would be overwritten/);
  });
});

describe('zksim start in a directory holding a foreign file', () => {
  it('exits 2 before simulating and touches nothing', async () => {
    const dir = tempDir('zksim-start-');
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    const r = await zksim(['start', '--out', dir, '--runs', '1', '--workers', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('did not write');
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(r.stdout).toBe('');
  });

  it('replaces only the files its manifest lists, keeps the rest, and says so first', async () => {
    const dir = tempDir('zksim-start-');
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    writeFileSync(join(dir, 'stale-chart.svg'), '<svg/>');
    writeFileSync(join(dir, 'availability.json'), '{}');
    writeFileSync(join(dir, START_MANIFEST), JSON.stringify({ files: ['availability.json', 'stale-chart.svg'] }));
    const r = await zksim(['start', '--out', dir, '--runs', '1', '--workers', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`zksim start: writing into ${dir}/, replacing only the 2 files an earlier zksim start wrote there (${START_MANIFEST}); 1 other entry left alone`); // singular: one entry
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(join(dir, 'stale-chart.svg'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'availability.json'), 'utf8')).results).toHaveLength(7);
    const manifest = JSON.parse(readFileSync(join(dir, START_MANIFEST), 'utf8')) as { files: string[] };
    expect(manifest.files).toContain('report.html');
    expect(manifest.files).toContain('availability.csv');
    expect(manifest.files).not.toContain('notes.txt');
    for (const f of manifest.files) expect(existsSync(join(dir, f)), f).toBe(true);
  }, 120_000);
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { hasStackTrace, runProcess } from '../helpers/cli.js';

const readme = readFileSync('README.md', 'utf8');

/**
 * The README's commands run in a fresh directory that sees the checkout's topologies/, examples/ and
 * experiments/ (symlinks), so what they write (./out/, counterexample.yaml, the shard files the
 * README puts in /tmp) lands there and is removed afterwards: nothing in the checkout or in
 * fixed /tmp paths.
 */
let workDir = '';

/** Fenced blocks of the README with their info string. */
function blocks(): { lang: string; body: string }[] {
  return [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] ?? '', body: m[2] ?? '' }));
}

/** Every command line in the README's sh blocks. */
function commands(): string[] {
  return blocks()
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.body.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

/** Run a README line as a user would, with `npx zksim` meaning this checkout's build. */
function sh(line: string) {
  // /tmp in the README's line first: the checkout itself may live under /tmp.
  const cmd = line.replaceAll(/(^|[\s>])\/tmp\//g, `$1${workDir}/`).replaceAll(/\bnpx zksim\b/g, `node ${process.cwd()}/dist/cli/main.js`);
  return runProcess('bash', ['-c', cmd], { cwd: workDir });
}

/**
 * Golden outputs: every README command's stdout is kept in test/golden/readme/, byte for byte
 * (the temporary directory and the checkout's path replaced by placeholders), so a refactor that
 * changes what users see fails here. After a deliberate change, regenerate them with
 * `ZKSIM_UPDATE_GOLDEN=1 npx vitest run test/readme.test.ts test/readme-quick-start.test.ts` and review the diff.
 */
const GOLDEN_DIR = join(process.cwd(), 'test', 'golden', 'readme');
const UPDATE_GOLDEN = process.env['ZKSIM_UPDATE_GOLDEN'] === '1';

function goldenName(index: number, line: string): string {
  const slug = line
    .replace(/^npm ci && /, '')
    .replace(/^npx zksim /, '')
    .replace(/topologies\/|experiments\/|\.yaml/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${String(index).padStart(2, '0')}-${slug}.out`;
}

function normalised(stdout: string): string {
  return stdout.replaceAll(workDir, '$WORK').replaceAll(process.cwd(), '$CHECKOUT');
}

/** Outputs of the commands run below, reused by the sample checks. */
const outputs = new Map<string, string>();

/** The first command of each sh block, and the unlabelled sample blocks that follow it. */
function samples(): { command: string; sample: string }[] {
  const out: { command: string; sample: string }[] = [];
  let command: string | null = null;
  for (const b of blocks()) {
    if (b.lang === 'sh') command = b.body.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#')) ?? null;
    else if (b.lang === '' && command) out.push({ command, sample: b.body });
  }
  return out;
}

function exampleOf(line: string): string {
  // `npm ci` already happened for this checkout; what is left of the line is the example.
  const example = line.replace(/^npm ci && /, '');
  return example === 'npm start' ? 'npx zksim start' : example;
}

/**
 * The README's tests, split in two files so that vitest's two workers run them side by side:
 * `quick-start` is `npm start` (the main job, the longest command) and its sample, `rest` every
 * other command, the samples that follow them, and the quick start's shape. Goldens keep the
 * command's index among all of the README's commands, whichever file runs it.
 */
export function readmeSuite(part: 'quick-start' | 'rest'): void {
  const mine = (line: string): boolean => (line === 'npm ci && npm start') === (part === 'quick-start');
  workDir = mkdtempSync(join(tmpdir(), 'zksim-readme-'));
  for (const d of ['topologies', 'experiments', 'examples', 'alerts']) symlinkSync(join(process.cwd(), d), join(workDir, d));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));
  describe(`README (${part})`, () => {
    if (part === 'rest') test('the quick start has exactly the two commands', () => {
      const quick = readme.split('## Quick start')[1]?.split('\n## ')[0] ?? '';
      const lines = [...quick.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
      expect(lines).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    });

    commands().forEach((line, index) => {
      if (line === 'npm ci && npm test') return; // the command running this very test (CI runs it)
      if (!mine(line)) return;
      // a hang bound, not a speed check: the main job alone is ~90 s on two idle cores
      test(`runs: ${line}`, { timeout: part === 'quick-start' ? 600_000 : 180_000 }, async () => {
        const r = await sh(exampleOf(line));
        expect(r.status, r.stderr).toBe(0);
        expect(hasStackTrace(r.stderr)).toBe(false);
        const redirected = [...line.matchAll(/> ([^\s;]+)/g)].map((m) => m[1] as string);
        if (redirected.length === 0) expect(r.stdout.length).toBeGreaterThan(0);
        // a loop writing JSON files: each JSON file it wrote must parse (a topology written by `zksim import` is YAML)
        for (const pattern of redirected.filter((p) => p.endsWith('.json'))) {
          const path = pattern.replace(/^\/tmp\//, `${workDir}/`);
          for (const k of ['1', '2', '3']) JSON.parse(readFileSync(resolve(workDir, path.replace('$k', k)), 'utf8'));
        }
        outputs.set(line, r.stdout);
        const golden = join(GOLDEN_DIR, goldenName(index, line));
        if (UPDATE_GOLDEN) {
          mkdirSync(GOLDEN_DIR, { recursive: true });
          writeFileSync(golden, normalised(r.stdout));
        } else {
          expect(existsSync(golden), `${golden} is missing: regenerate with ZKSIM_UPDATE_GOLDEN=1`).toBe(true);
          expect(normalised(r.stdout), `${line}: stdout differs from ${golden}`).toBe(readFileSync(golden, 'utf8'));
        }
      });
    });

    test('every sample output shown is what its command prints', { timeout: part === 'quick-start' ? 600_000 : 180_000 }, async () => {
      const all = samples().filter((s) => mine(s.command));
      expect(all.length).toBeGreaterThanOrEqual(1);
      for (const { command, sample } of all) {
        const out = outputs.get(command) ?? (await sh(exampleOf(command))).stdout;
        const shown = sample.split('\n').filter((l) => l.trim() !== '' && l.trim() !== '...');
        expect(shown.length, command).toBeGreaterThan(0);
        for (const l of shown) {
          if (l.includes('…')) {
            // an abridged table row: every value shown must be printed
            for (const token of l.split(/\s+/).filter((t) => t && t !== '…')) expect(out, `${command}: ${token}`).toContain(token);
          } else {
            expect(out, command).toContain(l);
          }
        }
      }
    });
  });
}

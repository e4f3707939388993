import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { hasStackTrace } from './helpers/cli.js';

const readme = readFileSync('README.md', 'utf8');

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
  const cmd = line.replace(/^npx zksim\b/, `node ${process.cwd()}/dist/cli/main.js`);
  return spawnSync('bash', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

describe('README', () => {
  test('the quick start has exactly the two commands', () => {
    const quick = readme.split('## Quick start')[1]?.split('\n## ')[0] ?? '';
    const lines = [...quick.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
    expect(lines).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });

  for (const line of commands()) {
    if (line === 'npm ci && npm test') continue; // the command running this very test (CI runs it)
    test(`runs: ${line}`, () => {
      // `npm ci` already happened for this checkout; what is left of the line is the example.
      const example = line.replace(/^npm ci && /, '');
      const r = example === 'npm start' ? sh('node dist/cli/main.js start') : sh(example);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(hasStackTrace(r.stderr)).toBe(false);
    });
  }

  test('the sample output shown is what the first example prints', () => {
    const first = commands().find((c) => c.startsWith('npx zksim run'));
    const out = sh(first as string).stdout;
    const sample = blocks().find((b) => b.lang === '' && b.body.includes('Timeline'));
    expect(sample).toBeDefined();
    const shown = sample!.body.split('\n').filter((l) => l.trim() !== '' && l.trim() !== '...');
    expect(shown.length).toBeGreaterThan(5);
    for (const l of shown) expect(out).toContain(l);
  });
});

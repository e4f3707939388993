/**
 * Tidy test: keeps the simulator deterministic and the layering honest (see ARCHITECTURE.md).
 *  (a) no wall clock, ambient randomness, timers or async in simulation code;
 *  (b) only src/core/rng.ts imports seedrandom;
 *  (c) every relative import between src/ modules follows the tier table.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Directories whose code may touch the outside world (wall clock, workers, I/O). */
const BANNED_API_EXEMPT = ['cli', 'montecarlo', 'bench'];

const BANNED_APIS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'Date.now', pattern: /\bDate\.now\b/ },
  { name: 'new Date', pattern: /\bnew\s+Date\b/ },
  { name: 'Math.random', pattern: /\bMath\.random\b/ },
  { name: 'performance.now', pattern: /\bperformance\.now\b/ },
  { name: 'process.hrtime', pattern: /\bprocess\.hrtime\b/ },
  { name: 'setTimeout', pattern: /\bsetTimeout\b/ },
  { name: 'setInterval', pattern: /\bsetInterval\b/ },
  { name: 'setImmediate', pattern: /\bsetImmediate\b/ },
  { name: 'Promise', pattern: /\bPromise\b/ },
  { name: 'async', pattern: /\basync\s/ },
  { name: 'await', pattern: /\bawait\s/ },
];

const SEEDRANDOM_OWNER = 'core/rng.ts';

const TIER1 = ['core', 'model', 'stats'];
const TIER2 = ['zk', 'net', 'config'];
const TIER3 = ['faults', 'observe'];
/** Module → the other src/ modules it may import. 'any' for the outermost shells. */
const MAY_IMPORT: Readonly<Record<string, readonly string[] | 'any'>> = {
  core: [],
  model: [],
  stats: [],
  zk: ['model'],
  net: ['core', 'model'],
  config: ['model'],
  faults: [...TIER1, ...TIER2],
  observe: [...TIER1, ...TIER2],
  scenario: [...TIER1, ...TIER2, ...TIER3],
  montecarlo: [...TIER1, ...TIER2, ...TIER3, 'scenario'],
  report: [...TIER1, ...TIER2, ...TIER3, 'scenario', 'montecarlo'],
  cli: 'any',
  bench: 'any',
  '(root)': 'any', // files directly in src/, e.g. a package entry point
};

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Blank out comments (keeping newlines, so line numbers survive); strings are kept. */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function findBannedApis(file: string, source: string): Violation[] {
  const violations: Violation[] = [];
  stripComments(source)
    .split('\n')
    .forEach((text, index) => {
      for (const api of BANNED_APIS) {
        if (api.pattern.test(text)) violations.push({ file, line: index + 1, message: `uses ${api.name}` });
      }
    });
  return violations;
}

/** Import specifiers with their line numbers: import/export … from, side-effect and dynamic imports, require. */
export function importSpecifiers(source: string): { specifier: string; line: number }[] {
  const code = stripComments(source);
  const found: { specifier: string; line: number }[] = [];
  const pattern = /\b(?:from|import|require)\s*\(?\s*(['"])([^'"\n]+)\1/g;
  for (const match of code.matchAll(pattern)) {
    const line = code.slice(0, match.index).split('\n').length;
    found.push({ specifier: match[2]!, line });
  }
  return found;
}

/** The src/ module a path (relative to src/, posix separators) belongs to. */
export function moduleOf(srcRelativePath: string): string {
  const slash = srcRelativePath.indexOf('/');
  return slash < 0 ? '(root)' : srcRelativePath.slice(0, slash);
}

/** Layering and seedrandom violations of one file, given its path relative to src/. */
export function findImportViolations(srcRelativePath: string, source: string): Violation[] {
  const file = `src/${srcRelativePath}`;
  const from = moduleOf(srcRelativePath);
  const allowed = MAY_IMPORT[from];
  const violations: Violation[] = [];
  if (allowed === undefined) {
    return [{ file, line: 1, message: `module '${from}' is not in the tier table (test/tidy.test.ts, ARCHITECTURE.md)` }];
  }
  for (const { specifier, line } of importSpecifiers(source)) {
    if (/^seedrandom(\/|$)/.test(specifier) && srcRelativePath !== SEEDRANDOM_OWNER) {
      violations.push({ file, line, message: `imports seedrandom: only src/${SEEDRANDOM_OWNER} may (use core's Rng)` });
    }
    if (!specifier.startsWith('.')) continue;
    const target = posix.normalize(posix.join(posix.dirname(srcRelativePath), specifier));
    if (target.startsWith('../')) {
      violations.push({ file, line, message: `imports '${specifier}', outside src/` });
      continue;
    }
    const to = moduleOf(target);
    if (to === from || allowed === 'any') continue;
    if (!allowed.includes(to)) {
      const may = allowed.length === 0 ? 'nothing' : allowed.join(', ');
      violations.push({ file, line, message: `${from}/ imports ${to}/ ('${specifier}'), but ${from}/ may import only ${may}` });
    }
  }
  return violations;
}

function listTsFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...listTsFiles(path));
    else if (name.endsWith('.ts')) files.push(path);
  }
  return files;
}

function format(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.file}:${v.line}: ${v.message}`).join('\n');
}

const sourceFiles = listTsFiles(SRC_DIR).map((path) => ({
  rel: relative(SRC_DIR, path).split(sep).join('/'),
  source: readFileSync(path, 'utf8'),
}));

describe('tidy: determinism and layering', () => {
  it('scans the real source tree (cannot pass vacuously)', () => {
    expect(sourceFiles.length).toBeGreaterThan(0);
    expect(sourceFiles.map((f) => f.rel)).toContain(SEEDRANDOM_OWNER);
  });

  it('uses no wall clock, Math.random, timers, Promises or async outside cli/, montecarlo/, bench/', () => {
    const checked = sourceFiles.filter((f) => !BANNED_API_EXEMPT.includes(moduleOf(f.rel)));
    expect(checked.length).toBeGreaterThan(0);
    const violations = checked.flatMap((f) => findBannedApis(`src/${f.rel}`, f.source));
    expect(format(violations)).toBe('');
  });

  it('imports seedrandom only in src/core/rng.ts and follows the tier table', () => {
    const violations = sourceFiles.flatMap((f) => findImportViolations(f.rel, f.source));
    expect(format(violations)).toBe('');
  });
});

describe('tidy detectors (self-test on synthetic code)', () => {
  it('flags banned APIs with their line, but not in comments', () => {
    const source = [
      'const a = 1;',
      'const u = Math.random();',
      '// Math.random() is banned, says this comment',
      '/* setTimeout(f, 1) */ const b = 2;',
      'export async function f(): Promise<void> { await g(); }',
      'const d = new Date();',
    ].join('\n');
    const found = findBannedApis('x.ts', source).map((v) => `${v.line}:${v.message}`);
    expect(found).toEqual(['2:uses Math.random', '5:uses Promise', '5:uses async', '5:uses await', '6:uses new Date']);
  });

  it('does not flag look-alike identifiers', () => {
    expect(findBannedApis('x.ts', 'const asyncMode = 1; const awaitingAck = true; const myDate = lastDate;')).toEqual([]);
  });

  it('flags a tier violation and a stray seedrandom import, and allows permitted imports', () => {
    const bad = "import { Peer } from '../zk/peer.js';\nimport seedrandom from 'seedrandom';\n";
    const found = findImportViolations('core/clock.ts', bad);
    expect(found.map((v) => v.line)).toEqual([1, 2]);
    expect(found[0]!.message).toMatch(/core\/ imports zk\//);
    expect(found[1]!.message).toMatch(/seedrandom/);
    expect(findImportViolations('net/links.ts', "import type { Rng } from '../core/index.js';\nimport { x } from './y.js';")).toEqual([]);
    expect(findImportViolations('zk/peer.ts', "export * from '../net/index.js';")).toHaveLength(1);
    expect(findImportViolations('cli/main.ts', "import { a } from '../report/table.js';")).toEqual([]);
    expect(findImportViolations('mystery/x.ts', '')).toHaveLength(1);
  });
});

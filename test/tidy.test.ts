/**
 * Tidy test: keeps the simulator deterministic and the layering honest (see ARCHITECTURE.md).
 *  (a) no wall clock, ambient randomness, timers or async in simulation code;
 *  (b) only src/core/rng.ts imports seedrandom;
 *  (c) every relative import between src/ modules follows the tier table, and report/ takes only
 *      types (`import type`) from scenario/ and montecarlo/;
 *  (d) functions fit in FUNCTION_LINES_MAX lines and files in FILE_LINES_MAX lines, except today's
 *      offenders, listed with their size: the list may only shrink, and no offender may grow.
 * Imports and functions are found with the TypeScript parser, so strings and comments never fool them.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
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

// The tier table of ARCHITECTURE.md, as it is written there.
const TIER1 = ['core', 'model', 'stats'];
const TIER2 = ['zk', 'net', 'config'];
const TIER3 = ['faults', 'observe'];
const TIER4 = ['scenario'];
const TIER5 = ['montecarlo', 'report'];
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
  montecarlo: [...TIER1, ...TIER2, ...TIER3, ...TIER4],
  report: [...TIER1, ...TIER2, ...TIER3],
  demos: [...TIER1, ...TIER2, ...TIER3, ...TIER4, ...TIER5],
  playground: [...TIER1, ...TIER2, ...TIER3, ...TIER4, ...TIER5], // tier 5½ like demos: the simulator in the browser (issue 16)
  cli: 'any',
  bench: 'any',
  '(root)': 'any', // files directly in src/, e.g. a package entry point
};
/**
 * Module → modules it may import types from, and nothing else: report/ renders result documents,
 * so it may know their shapes but never run a trial or a study.
 */
const MAY_IMPORT_TYPES: Readonly<Record<string, readonly string[]>> = {
  report: [...TIER4, ...TIER5],
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

/** One module reference: where, and whether it is erased at compile time (types only). */
export interface ImportRef {
  readonly specifier: string;
  readonly line: number;
  /** `import type`, `export type`, or named bindings that are all marked `type`: gone from the JS */
  readonly typeOnly: boolean;
}

const parsed = new Map<string, { readonly source: string; readonly sf: ts.SourceFile }>();

/** The file's syntax tree, parsed once for both the import and the size checks. */
function parse(file: string, source: string): ts.SourceFile {
  const known = parsed.get(file);
  if (known !== undefined && known.source === source) return known.sf;
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  parsed.set(file, { source, sf });
  return sf;
}

/** True when every binding of an import/export clause is a type, so the compiler erases the statement. */
function erased(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (clause === undefined) return false; // import './x.js': run for its side effects
  if (clause.isTypeOnly) return true;
  if (clause.name !== undefined) return false; // a default import is a value
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/**
 * Every module reference of a file with its line: import/export … from (type-only or not),
 * side-effect imports, `import x = require()`, dynamic `import()` and `require()`, and `import('x').T`
 * in type positions (type-only).
 */
export function importSpecifiers(source: string, file = 'x.ts'): ImportRef[] {
  const sf = parse(file, source);
  const found: ImportRef[] = [];
  const add = (spec: ts.Node | undefined, typeOnly: boolean): void => {
    if (spec === undefined || !ts.isStringLiteralLike(spec)) return;
    const line = sf.getLineAndCharacterOfPosition(spec.getStart(sf)).line + 1;
    found.push({ specifier: spec.text, line, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier, erased(node));
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(sf);
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
  const typesFrom = MAY_IMPORT_TYPES[from] ?? [];
  const violations: Violation[] = [];
  if (allowed === undefined) {
    return [{ file, line: 1, message: `module '${from}' is not in the tier table (test/tidy.test.ts, ARCHITECTURE.md)` }];
  }
  for (const { specifier, line, typeOnly } of importSpecifiers(source, file)) {
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
    if (typesFrom.includes(to)) {
      if (!typeOnly) violations.push({ file, line, message: `${from}/ imports values from ${to}/ ('${specifier}'), but may import only types from it (import type)` });
    } else if (!allowed.includes(to)) {
      const may = (allowed.length === 0 ? 'nothing' : allowed.join(', ')) + (typesFrom.length > 0 ? `, and types from ${typesFrom.join(', ')}` : '');
      violations.push({ file, line, message: `${from}/ imports ${to}/ ('${specifier}'), but ${from}/ may import only ${may}` });
    }
  }
  return violations;
}

/** Longest function, in lines from its first token to its closing brace (comments and blank lines count). */
export const FUNCTION_LINES_MAX = 70;
/** Longest file in src/, in lines. */
export const FILE_LINES_MAX = 400;

/**
 * Files over FILE_LINES_MAX on the day the limit came in (path under src/ → lines then). The list
 * may only shrink: an entry that now fits must be removed, and a listed file may not grow.
 */
const LONG_FILES: Readonly<Record<string, number>> = {
  // measured when the limit came in (issue 11)
  'src/montecarlo/estimate.ts': 452,
};

/** Functions over FUNCTION_LINES_MAX on that day ('path#name' → lines then); the same rules. */
const LONG_FUNCTIONS: Readonly<Record<string, number>> = {
  // measured when the limit came in (issue 11)
  'src/config/overrides.ts#applySet': 75,
  'src/demos/rolling-restart.ts#build': 75,
  'src/demos/split-brain.ts#build': 98,
  'src/demos/two-zones.ts#build': 126,
  'src/montecarlo/estimate.ts#estimateRow': 123,
  'src/report/charts/timeline.ts#runTimeline': 87,
  'src/stats/analytic.ts#enumeratedAvailability': 72,
};

export interface Sized {
  /** 'path#name': Class.method for methods, the variable or property name for arrow functions */
  readonly key: string;
  readonly line: number;
  readonly lines: number;
}

/** Lines of a file, as `wc -l` counts a file that ends with a newline. */
export function fileLines(source: string): number {
  if (source.length === 0) return 0;
  return source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
}

function nameOf(node: ts.PropertyName | ts.BindingName | undefined, sf: ts.SourceFile): string | undefined {
  return node === undefined ? undefined : node.getText(sf);
}

/** The name a reader would look for: `f`, `Class.method`, `Class.constructor`, or where an anonymous function sits. */
function functionName(fn: ts.FunctionLikeDeclaration, sf: ts.SourceFile, enclosing: string | undefined): string {
  const owner = ts.isClassLike(fn.parent) ? (nameOf(fn.parent.name, sf) ?? '(class)') + '.' : '';
  if (ts.isConstructorDeclaration(fn)) return `${owner}constructor`;
  const own = nameOf(fn.name, sf);
  if (own !== undefined) return owner + own;
  const p = fn.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) {
    const ownerOfField = ts.isPropertyDeclaration(p) && ts.isClassLike(p.parent) ? (nameOf(p.parent.name, sf) ?? '(class)') + '.' : '';
    return ownerOfField + (nameOf(p.name, sf) ?? '(anonymous)');
  }
  return `(anonymous in ${enclosing ?? 'module'})`;
}

/** Every function with a body (declarations, methods, accessors, constructors, arrows, function expressions), nested ones too. */
export function functionSizes(file: string, source: string): Sized[] {
  const sf = parse(file, source);
  const found: Sized[] = [];
  const seen = new Map<string, number>();
  const visit = (node: ts.Node, enclosing: string | undefined): void => {
    let inside = enclosing;
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const fn = node as ts.FunctionLikeDeclaration;
      const name = functionName(fn, sf, enclosing);
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      const first = sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(fn.getEnd()).line;
      found.push({ key: `${file}#${name}${n > 1 ? `#${n}` : ''}`, line: first + 1, lines: last - first + 1 });
      inside = name;
    }
    ts.forEachChild(node, (child) => visit(child, inside));
  };
  visit(sf, undefined);
  return found;
}

/**
 * Size violations against a limit and a list of known offenders (key → size when listed): too big and
 * unlisted, listed and grown, listed and now fitting, listed and gone.
 */
export function findSizeViolations(
  what: 'file' | 'function',
  measured: readonly Sized[],
  max: number,
  listed: Readonly<Record<string, number>>,
  listName: string,
): Violation[] {
  const violations: Violation[] = [];
  const present = new Set<string>();
  for (const m of measured) {
    present.add(m.key);
    const file = m.key.slice(0, m.key.indexOf('#') < 0 ? undefined : m.key.indexOf('#'));
    const allowed = listed[m.key];
    if (allowed === undefined) {
      if (m.lines > max) violations.push({ file, line: m.line, message: `${what} ${m.key} is ${m.lines} lines, more than ${max}` });
    } else if (m.lines <= max) {
      violations.push({ file, line: m.line, message: `${what} ${m.key} now fits (${m.lines} lines): remove it from ${listName}` });
    } else if (m.lines > allowed) {
      violations.push({ file, line: m.line, message: `${what} ${m.key} grew to ${m.lines} lines; ${listName} allows it ${allowed} (and may only shrink)` });
    }
  }
  for (const key of Object.keys(listed)) {
    if (!present.has(key)) violations.push({ file: key, line: 1, message: `${listName} lists ${key}, which no longer exists: remove it` });
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

  it(`keeps files to ${FILE_LINES_MAX} lines; the listed offenders only shrink`, () => {
    const measured = sourceFiles.map((f) => ({ key: `src/${f.rel}`, line: 1, lines: fileLines(f.source) }));
    expect(format(findSizeViolations('file', measured, FILE_LINES_MAX, LONG_FILES, 'LONG_FILES'))).toBe('');
  });

  it(`keeps functions to ${FUNCTION_LINES_MAX} lines; the listed offenders only shrink`, () => {
    const measured = sourceFiles.flatMap((f) => functionSizes(`src/${f.rel}`, f.source));
    expect(measured.length).toBeGreaterThan(sourceFiles.length); // the parser found functions
    expect(format(findSizeViolations('function', measured, FUNCTION_LINES_MAX, LONG_FUNCTIONS, 'LONG_FUNCTIONS'))).toBe('');
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

  it('report/ may import only types from scenario/ and montecarlo/, nothing from demos/; demos/ may import tiers 1–5', () => {
    const ok = [
      "import type { TrialResult } from '../scenario/index.js';",
      "import { type ResultRow, type AvailabilityDocument } from '../montecarlo/index.js';",
      "export type { ResultRow } from '../montecarlo/index.js';",
      "type T = import('../scenario/index.js').Trial;",
      "import { quantile } from '../stats/index.js';",
    ].join('\n');
    expect(findImportViolations('report/table.ts', ok)).toEqual([]);
    const bad = [
      "import { formatYears } from '../montecarlo/estimate.js';",
      "import { type ResultRow, runStudies } from '../montecarlo/index.js';",
      "export { runTrial } from '../scenario/index.js';",
      "import * as sc from '../scenario/index.js';",
      "const m = import('../scenario/index.js');",
      "import type { Demo } from '../demos/index.js';",
    ].join('\n');
    const found = findImportViolations('report/table.ts', bad);
    expect(found.map((v) => v.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(found[0]!.message).toBe("report/ imports values from montecarlo/ ('../montecarlo/estimate.js'), but may import only types from it (import type)");
    expect(found[5]!.message).toMatch(/report\/ imports demos\/ .* may import only core, .*, and types from scenario, montecarlo, report$/);
    const demo = "import { runStudies } from '../montecarlo/index.js';\nimport { Trial } from '../scenario/index.js';\nimport { table } from '../report/table.js';";
    expect(findImportViolations('demos/x.ts', demo)).toEqual([]);
    expect(findImportViolations('demos/x.ts', "import { main } from '../cli/main.js';")).toHaveLength(1);
  });

  it('reads imports with the parser: text in strings and comments is not an import', () => {
    const source = [
      'const s = "import { Peer } from \'../zk/peer.js\'";',
      "// import { Peer } from '../zk/peer.js';",
      "const t = `require('../zk/peer.js')`;",
      "import {",
      "  Peer,",
      "} from '../zk/peer.js';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([{ specifier: '../zk/peer.js', line: 6, typeOnly: false }]);
    expect(findImportViolations('core/x.ts', source).map((v) => v.line)).toEqual([6]);
  });

  it('measures every kind of function, named the way a reader looks for it, nested ones too', () => {
    const source = [
      'export function f(a: number): number {', //  1
      '  const g = (b: number) => {', //            2
      '    return b;', //                            3
      '  };', //                                     4
      '  return [a].map((x) => x + 1)[0]!;', //       5
      '}', //                                        6
      'class C {', //                                7
      '  constructor() {}', //                       8
      '  m(): void {', //                            9
      '    return;', //                             10
      '  }', //                                     11
      '  get v(): number { return 1; }', //         12
      '  h = function () {};', //                   13
      '}', //                                       14
      'const o = { p() { return 1; }, q: () => 2 };', // 15
      'function f(): void {}', //                   16  (a second f: keyed f#2)
      'declare function d(): void;', //             17  (no body: not a function to measure)
    ].join('\n');
    expect(functionSizes('x.ts', source).map((s) => [s.key, s.line, s.lines])).toEqual([
      ['x.ts#f', 1, 6],
      ['x.ts#g', 2, 3],
      ['x.ts#(anonymous in f)', 5, 1],
      ['x.ts#C.constructor', 8, 1],
      ['x.ts#C.m', 9, 3],
      ['x.ts#C.v', 12, 1],
      ['x.ts#C.h', 13, 1],
      ['x.ts#p', 15, 1],
      ['x.ts#q', 15, 1],
      ['x.ts#f#2', 16, 1],
    ]);
    expect(fileLines(source)).toBe(17);
    expect(fileLines(source + '\n')).toBe(17);
    expect(fileLines('')).toBe(0);
  });

  it('size limits: an unlisted offender, a listed one that grew, fits again or is gone all fail; a listed one that shrank passes', () => {
    const sized = (key: string, lines: number) => ({ key, line: 1, lines });
    const listed = { 'a.ts#big': 90, 'a.ts#grew': 80, 'a.ts#fits': 75, 'a.ts#gone': 100, 'a.ts#shrank': 99 };
    const measured = [sized('a.ts#new', 71), sized('a.ts#ok', 70), sized('a.ts#big', 90), sized('a.ts#grew', 81), sized('a.ts#fits', 70), sized('a.ts#shrank', 72)];
    const found = findSizeViolations('function', measured, 70, listed, 'LIST').map((v) => `${v.file}: ${v.message}`);
    expect(found).toEqual([
      'a.ts: function a.ts#new is 71 lines, more than 70',
      'a.ts: function a.ts#grew grew to 81 lines; LIST allows it 80 (and may only shrink)',
      'a.ts: function a.ts#fits now fits (70 lines): remove it from LIST',
      'a.ts#gone: LIST lists a.ts#gone, which no longer exists: remove it',
    ]);
  });
});

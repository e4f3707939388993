/**
 * The CLI stays thin: each file in src/cli/commands/ declares one command, and what two commands
 * share (study options, validators, rendering, exit codes) lives in a shared module of src/cli/,
 * never in another command's file. Decided from the import specifiers, as test/tidy.test.ts does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';

const COMMANDS = join('src', 'cli', 'commands');

/** Specifiers of import/export … from, side-effect and dynamic imports, and `new URL('…', import.meta.url)`. */
export function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\b(?:from|import)\s*\(?\s*(['"])([^'"\n]+)\1/g)) found.push(m[2]!);
  for (const m of source.matchAll(/new URL\(\s*(['"])([^'"\n]+)\1\s*,\s*import\.meta\.url/g)) found.push(m[2]!);
  return found;
}

/** The command files a command file imports (a specifier resolving into commands/ itself). */
export function commandImports(source: string): string[] {
  return specifiers(source).filter((s) => s.startsWith('.') && posix.normalize(posix.join('commands', s)).startsWith('commands/'));
}

describe('src/cli/commands', () => {
  it('finds an import of another command, so the check below can fail', () => {
    expect(commandImports(`import { loadBase } from './availability.js';\nimport { x } from '../study.js';`)).toEqual(['./availability.js']);
    expect(commandImports(`const w = new Worker(new URL('./run-worker.js', import.meta.url));`)).toEqual(['./run-worker.js']);
    expect(commandImports(`import type { T } from '../commands/run.js';`)).toEqual(['../commands/run.js']);
    expect(commandImports(`import { print } from '../io.js';\nimport fc from 'fast-check';`)).toEqual([]);
  });

  it('no command file imports another command file', () => {
    const files = readdirSync(COMMANDS).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.flatMap((f) => commandImports(readFileSync(join(COMMANDS, f), 'utf8')).map((s) => `${f} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('no command sets the exit status itself: it throws an ExitError (src/cli/errors.ts)', () => {
    const files = readdirSync(COMMANDS).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((f) => /process\.exitCode\s*=|process\.exit\(/.test(readFileSync(join(COMMANDS, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

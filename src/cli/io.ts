import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatConfigError, parseTopology } from '../config/index.js';
import type { Topology } from '../model/index.js';
import { UserError } from './errors.js';

export function readText(file: string, what: string): string {
  if (!existsSync(file)) throw new UserError(`${file}: no such ${what} file`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read ${what} file (${(e as Error).message})`);
  }
}

/** Load and validate a topology file; every problem is reported before exiting with 2. */
export function loadTopology(file: string): Topology {
  const parsed = parseTopology(readText(file, 'topology'), file);
  if (!parsed.ok) throw new UserError(parsed.errors.map(formatConfigError).join('\n'));
  return parsed.topology;
}

/**
 * Write a whole file or nothing: the text goes to a temporary sibling first and is renamed
 * into place, so an interrupted or failed command never leaves half an output behind.
 */
export function writeFileAtomic(file: string, text: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(`${file}: cannot write (${(e as Error).message})`);
  }
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export interface OutputFile {
  readonly name: string;
  readonly data: string | Uint8Array;
}

/**
 * Writes a set of files into `dir`, all or nothing as far as a filesystem allows: every file is
 * first written to a hidden temporary sibling; only when all are written are they renamed into
 * place. A failure removes the temporaries and any file this call already renamed into place,
 * so no half-written file, and no half-updated set of charts, is ever left behind.
 */
export function writeFilesAtomic(dir: string, files: readonly OutputFile[]): string[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`--out ${dir}: cannot create directory (${(e as Error).message})`);
  }
  const staged: { tmp: string; final: string }[] = [];
  const placed: string[] = [];
  try {
    for (const f of files) {
      const final = join(dir, f.name);
      const tmp = join(dir, `.${f.name}.${process.pid}.tmp`);
      staged.push({ tmp, final });
      writeFileSync(tmp, f.data);
    }
    for (const s of staged) {
      renameSync(s.tmp, s.final);
      placed.push(s.final);
    }
  } catch (e) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    for (const p of placed) rmSync(p, { force: true });
    throw new UserError(`--out ${dir}: cannot write (${(e as Error).message})`);
  }
  return staged.map((s) => s.final);
}

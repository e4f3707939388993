import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { makeDirectory, outputTarget, removeEmptyDirectories, trackTemporary, untrackTemporary } from '../io.js';

export interface OutputFile {
  readonly name: string;
  readonly data: string | Uint8Array;
}

/** The filesystem calls a test may replace, to fail a rename midway and see the rollback. */
export interface FileOps {
  readonly rename: (from: string, to: string) => void;
}

/**
 * Writes a set of files into `dir`, all or nothing as far as a filesystem allows: every file is
 * first written to a hidden temporary sibling; only when all are written are they renamed into
 * place, each previous file first moved aside to a hidden backup. A failure removes the
 * temporaries and every file this call placed, and puts the backups back, so the directory is as
 * it was: no half-written file, no half-updated set of charts, no lost previous run. Temporaries
 * and backups are tracked, so a signal removes the temporaries (a handled signal waits for this
 * synchronous function to end, so it never lands between a backup and its restore).
 */
export function writeFilesAtomic(dir: string, files: readonly OutputFile[], ops: FileOps = { rename: renameSync }): string[] {
  const renameSync = ops.rename;
  const made = makeDirectory(dir, '--out');
  const staged: { tmp: string; final: string; backup: string }[] = [];
  const placed: { final: string; backup: string | null }[] = [];
  try {
    for (const f of files) {
      const final = outputTarget(join(dir, f.name), '--out');
      const tmp = join(dir, `.${f.name}.${process.pid}.tmp`);
      staged.push({ tmp, final, backup: join(dir, `.${f.name}.${process.pid}.bak`) });
      trackTemporary(tmp);
      writeFileSync(tmp, f.data);
    }
    for (const s of staged) {
      const hadPrevious = existsSync(s.final);
      if (hadPrevious) renameSync(s.final, s.backup);
      placed.push({ final: s.final, backup: hadPrevious ? s.backup : null });
      renameSync(s.tmp, s.final);
      untrackTemporary(s.tmp);
    }
  } catch (e) {
    for (const s of staged) {
      rmSync(s.tmp, { force: true });
      untrackTemporary(s.tmp);
    }
    for (const p of placed.reverse()) {
      rmSync(p.final, { force: true });
      if (p.backup !== null) renameSync(p.backup, p.final);
    }
    removeEmptyDirectories(made); // the directories this call created, so "left as it was" holds
    if (e instanceof UserError) throw e;
    throw new UserError(`--out ${dir}: cannot write (${(e as Error).message}); the directory is left as it was`);
  }
  for (const p of placed) if (p.backup !== null) rmSync(p.backup, { force: true });
  return staged.map((s) => s.final);
}

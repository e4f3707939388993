import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatConfigError, parseTopology } from '../config/index.js';
import { parseExperiment } from '../config/experiment.js';
import type { Experiment } from '../model/experiment.js';
import type { Topology } from '../model/index.js';
import { UserError } from './errors.js';
import { isZooCfg, zooCfgTopology } from './zoocfg.js';

// ---------------------------------------------------------------------------------------------
// Printing

/**
 * C0 controls except tab and newline, DEL, C1 controls and the bidirectional overrides: what lets
 * a name in a user's file clear the screen, move the cursor or reorder what the terminal shows.
 */
const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `\u001b` for each unsafe character. Inside a JSON string the result is the same JSON escape,
 * so JSON stays valid and decodes to the same value; in text it is visible instead of obeyed.
 */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Everything a command prints goes through here: names from user files never reach the terminal raw. */
export function print(text: string): void {
  process.stdout.write(escapeControl(text));
}

export function printError(text: string): void {
  process.stderr.write(escapeControl(text));
}

/**
 * A failed write to stdout (`> /dev/full`: ENOSPC; a closed pipe: EPIPE) arrives as an 'error'
 * event after the write call returned. A closed pipe (`zksim ... | head`) is the reader being
 * done: exit quietly with the status so far, as Unix tools killed by SIGPIPE do. Anything else
 * is a lost result: one line on stderr, exit 2.
 */
export function handleOutputErrors(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    try {
      process.stderr.write(`zksim: cannot write to standard output: ${e.code ?? e.message}${e.code === 'ENOSPC' ? ' (no space left on device)' : ''}\n`);
    } catch {
      // stderr is gone too: the exit status is all that is left
    }
    process.exit(2);
  });
  // Nowhere left to say anything: exit with the status so far (2 if the command had succeeded).
  process.stderr.on('error', () => process.exit(process.exitCode || 2));
}

// ---------------------------------------------------------------------------------------------
// Temporary files and signals

/** Temporary files being written right now: removed on every exit path, signals included. */
const temporaries = new Set<string>();

export function trackTemporary(file: string): void {
  temporaries.add(file);
  refreshSignalHandlers();
}

export function untrackTemporary(file: string): void {
  temporaries.delete(file);
  refreshSignalHandlers();
}

function removeTemporaries(): void {
  for (const t of temporaries) rmSync(t, { force: true });
  temporaries.clear();
}

let interruptHandler: (() => void) | null = null;

/** A command that handles Ctrl-C itself (finish the trials in flight, print a partial result); null to stop. */
export function setInterruptHandler(handler: (() => void) | null): void {
  interruptHandler = handler;
  refreshSignalHandlers();
}

/** Leave now: temporaries removed, then exit with `code` (130 for Ctrl-C, as shells report it). */
export function exitNow(code: number): never {
  removeTemporaries();
  process.exit(code);
}

const SIGNALS: readonly (readonly [NodeJS.Signals, number])[] = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
];

function onSignal(signal: NodeJS.Signals): void {
  if (signal === 'SIGINT' && interruptHandler) interruptHandler();
  else exitNow(SIGNALS.find(([s]) => s === signal)?.[1] ?? 1);
}

let handling = false;

/**
 * SIGINT, SIGTERM and SIGHUP are handled from the first temporary file or command that handles
 * Ctrl-C itself: they remove every temporary before exiting (128 + signal number). A handled
 * signal waits for the synchronous code running when it arrives, so a file being written
 * synchronously is renamed into place or removed before the handler runs, never left half-written.
 * Until then the default action applies, so Ctrl-C stops a long synchronous computation (zksim
 * check exploring, a run without --trace) at once. Once installed they stay: removing them right
 * after a synchronous write would drop a signal that arrived during it.
 */
function refreshSignalHandlers(): void {
  if (handling || (temporaries.size === 0 && interruptHandler === null)) return;
  handling = true;
  for (const [signal] of SIGNALS) process.on(signal, onSignal);
}

/** Temporaries are removed however the process ends (process.exit included). */
export function installExitCleanup(): void {
  process.on('exit', removeTemporaries);
}

// ---------------------------------------------------------------------------------------------
// Reading

export function readText(file: string, what: string): string {
  if (!existsSync(file)) throw new UserError(`${file}: no such ${what} file`);
  if (statSync(file).isDirectory()) throw new UserError(`${file}: is a directory, expected ${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what} file`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read ${what} file (${(e as Error).message})`);
  }
}

export type FileKind = 'topology' | 'experiment' | 'scenario';

/** Top-level keys only one kind of file has (as `zksim validate` tells kinds apart), and how to pass that kind. */
const KIND_MARKERS: readonly (readonly [FileKind, readonly string[], string])[] = [
  ['topology', ['servers'], 'pass topology files as arguments'],
  ['experiment', ['failures', 'horizon', 'runs'], 'pass it with --experiment (zksim availability, sweep)'],
  ['scenario', ['faults', 'quorumRule', 'unsafe', 'duration'], 'pass it with --scenario (zksim run)'],
];

/**
 * One hint instead of an "unknown key" error per key, when a file given as `expected` has none of
 * that kind's marker keys but another kind's: "this looks like an experiment file; pass it with
 * --experiment". Null when the file may well be of the expected kind (then its own errors say more).
 */
export function wrongKindHint(text: string, file: string, expected: FileKind): string | null {
  const keys = new Set([...text.matchAll(/^([A-Za-z]+)[ \t]*:/gm)].map((m) => m[1]));
  const own = KIND_MARKERS.find(([k]) => k === expected)?.[1] ?? [];
  if (own.some((k) => keys.has(k))) return null;
  for (const [kind, markers, how] of KIND_MARKERS) {
    if (kind === expected) continue;
    const found = markers.filter((k) => keys.has(k));
    if (found.length > 0) {
      return `${file}: this looks like ${kind === 'experiment' ? 'an' : 'a'} ${kind} file (it has ${found.map((k) => `${k}:`).join(', ')}), not ${expected === 'experiment' ? 'an' : 'a'} ${expected}; ${how}`;
    }
  }
  return null;
}

/** Load and validate a topology file (or a zoo.cfg: cli/zoocfg.ts); every problem is reported before exiting with 2. */
export function loadTopology(file: string): Topology {
  const text = readText(file, 'topology');
  // a ZooKeeper zoo.cfg (or dynamic file) is read as zksim import reads it, every server in one zone
  if (isZooCfg(file, text)) return zooCfgTopology(file, text);
  const parsed = parseTopology(text, file);
  if (!parsed.ok) throw new UserError(wrongKindHint(text, file, 'topology') ?? parsed.errors.map(formatConfigError).join('\n'));
  return parsed.topology;
}

/** Load and validate an experiment file; every problem is reported before exiting with 2. */
export function loadExperiment(file: string): Experiment {
  const text = readText(file, 'experiment');
  const parsed = parseExperiment(text, file);
  if (!parsed.ok) throw new UserError(wrongKindHint(text, file, 'experiment') ?? parsed.errors.map(formatConfigError).join('\n'));
  return parsed.experiment;
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * `mkdir -p` that cannot loop: Node's recursive mkdir retries forever on some paths
 * (`/proc/self/x`). Each missing component is created once, below the nearest existing
 * directory; any failure is a UserError naming `flag` and the directory.
 */
export function makeDirectory(dir: string, flag: string, forFile?: string): string[] {
  // an empty name would silently mean the current directory
  if (forFile === undefined && dir.trim() === '') throw new UserError(`${flag} "": expected a directory name, e.g. ${flag} out`);
  const what = `${flag} ${forFile ?? dir}`;
  const verb = forFile === undefined ? 'cannot create directory' : 'cannot create its directory';
  const missing: string[] = [];
  let probe = resolve(dir);
  for (;;) {
    let isDir: boolean | null;
    try {
      isDir = statSync(probe).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new UserError(`${what}: ${verb} (${code ?? (e as Error).message} at ${probe})`);
      isDir = null;
    }
    if (isDir === true) break;
    if (isDir === false) throw new UserError(`${what}: ${verb}: ${probe} is not a directory`);
    if (isDanglingLink(probe)) throw new UserError(`${what}: ${verb}: ${probe} is a symbolic link to nothing`);
    const parent = dirname(probe);
    if (parent === probe) break;
    missing.unshift(probe);
    probe = parent;
  }
  const made: string[] = [];
  for (const m of missing) {
    try {
      mkdirSync(m);
      made.push(m);
    } catch (e) {
      removeEmptyDirectories(made);
      throw new UserError(`${what}: ${verb} (${(e as Error).message})`);
    }
  }
  return made;
}

/**
 * Check, before simulating, that `dir` could be created (or exists and is a directory), without
 * leaving it behind: the directories made to prove it are removed again, so a run that fails or is
 * interrupted later leaves no empty --out directory. Errors as `makeDirectory`.
 */
export function checkDirectory(dir: string, flag: string): void {
  removeEmptyDirectories(makeDirectory(dir, flag));
}

/** Remove `dirs` (as `makeDirectory` returns them, outermost first) that are still empty. */
export function removeEmptyDirectories(dirs: readonly string[]): void {
  for (const d of [...dirs].reverse()) {
    try {
      rmdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return; // not empty: nor are the outer ones
    }
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Where an output file may go: nothing there, a regular file, or a symbolic link to a regular file
 * (then the link's target is replaced, the link kept). Device nodes, directories, FIFOs and
 * dangling links are refused: renaming over them would replace `/dev/null` or a directory.
 * Returns the path to write (the link's target for a link).
 */
export function outputTarget(file: string, flag: string): string {
  let link = false;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch {
    return file; // nothing there yet
  }
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new UserError(`${flag} ${file}: is a symbolic link to nothing; remove it or choose another file`);
  }
  if (stat.isDirectory()) throw new UserError(`${flag} ${file}: is a directory; expected a file name`);
  if (!stat.isFile()) throw new UserError(`${flag} ${file}: is not a regular file (a device, FIFO or socket); expected a file name`);
  return link ? realpathSync(file) : file;
}

/** The hidden temporary sibling of an output file. */
export function temporaryFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/**
 * Checks before any work that `file` can be written (an unwritable --checkpoint used to fail only
 * after the whole simulation): the directory is created if missing, and a temporary sibling is
 * created and removed, which fails as root too under a regular file or a read-only mount.
 */
export function checkWritable(file: string, flag: string): string {
  const target = outputTarget(file, flag);
  makeDirectory(dirname(target), flag, file);
  const tmp = temporaryFor(target);
  trackTemporary(tmp);
  try {
    closeSync(openSync(tmp, 'w'));
  } catch (e) {
    throw new UserError(`${flag} ${file}: cannot write (${(e as Error).message})`);
  } finally {
    rmSync(tmp, { force: true });
    untrackTemporary(tmp);
  }
  return target;
}

/**
 * Write a whole file or nothing: the text goes to a temporary sibling first and is renamed
 * into place, so an interrupted or failed command never leaves half an output behind.
 */
export function writeFileAtomic(file: string, text: string, flag?: string): void {
  const what = flag === undefined ? file : `${flag} ${file}`;
  const target = outputTarget(file, flag ?? 'output');
  makeDirectory(dirname(target), flag ?? 'output', file);
  const tmp = temporaryFor(target);
  trackTemporary(tmp);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(`${what}: cannot write (${(e as Error).message})`);
  } finally {
    untrackTemporary(tmp);
  }
}

/** A topology or experiment shipped beside the package (dist/cli → ../..), not looked up in the cwd. */
export function shippedFile(dir: 'topologies' | 'experiments', name: string): string {
  return fileURLToPath(new URL(`../../${dir}/${name}.yaml`, import.meta.url));
}

/** The shipped topologies directory (for `check`'s default set). */
export function shippedDirectory(dir: 'topologies' | 'experiments'): string {
  return fileURLToPath(new URL(`../../${dir}/`, import.meta.url));
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

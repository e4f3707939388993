import { spawn } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface BoundedResult {
  /** exit status, or null when the process ended by a signal (ours included) */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** true when the hang bound passed and the process was killed (SIGKILL) */
  readonly timedOut: boolean;
}

/**
 * Run the built CLI (`node dist/cli/main.js ARGS`) in `cwd`, asynchronously as test/helpers/cli.ts
 * does, killing it (SIGKILL, whole process group) after `timeoutMs` of wall time: a hang bound,
 * far above what the small generated work needs, not a speed assertion. `interruptAfterMs` sends
 * SIGTERM after that delay, as a user's Ctrl-C or a batch system would.
 * `root` is the checkout whose dist/ is run.
 */
export function zksimBounded(
  root: string,
  args: readonly string[],
  opts: { cwd: string; timeoutMs: number; interruptAfterMs?: number },
): Promise<BoundedResult> {
  return new Promise((resolve, reject) => {
    // detached: the CLI's worker threads live in its process, but a process group makes the kill
    // certain even if a future version forks children.
    const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const hang = setTimeout(() => {
      timedOut = true;
      kill('SIGKILL');
    }, opts.timeoutMs);
    const interrupt = opts.interruptAfterMs === undefined ? undefined : setTimeout(() => kill('SIGTERM'), opts.interruptAfterMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(hang);
      if (interrupt) clearTimeout(interrupt);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(hang);
      if (interrupt) clearTimeout(interrupt);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/**
 * Every entry under `dir` (files, directories, links; not followed), as paths relative to `dir`,
 * sorted; files map to their bytes, directories and links to a marker.
 */
export function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      const rel = relative(dir, p);
      if (st.isDirectory()) {
        out.set(rel + '/', '<dir>');
        walk(p);
      } else if (st.isFile()) out.set(rel, readFileSync(p).toString('base64'));
      else out.set(rel, '<other>');
    }
  };
  walk(dir);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

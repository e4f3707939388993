import { spawn } from 'node:child_process';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run a command without blocking the test worker: a long synchronous spawn starves vitest's
 * RPC to the main process ("Timeout calling onTaskUpdate") and fails the whole run.
 */
export function runProcess(command: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd ?? process.cwd(), env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Run the built CLI as a user would, from the repository root. */
export function zksim(args: readonly string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return runProcess(process.execPath, [`${process.cwd()}/dist/cli/main.js`, ...args], {
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    // COLUMNS empty: tables print whole, as into a pipe, whatever the developer's shell exports.
    env: { ...process.env, NO_COLOR: '1', COLUMNS: '' },
  });
}

/** A user mistake must never surface as a Node stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+\(.+:\d+:\d+\)$/m.test(text) || /\bError: .*\n\s+at /.test(text);
}

import { execFileSync } from 'node:child_process';

/**
 * CLI tests run the compiled program exactly as a user does (`node dist/cli/main.js`), so the
 * build is refreshed once before the suite: a stale dist/ can never pass for the sources.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}

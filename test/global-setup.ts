import { execFileSync } from 'node:child_process';

/**
 * CLI tests run the compiled program exactly as a user does (`node dist/cli/main.js`), so the
 * build is refreshed once before the suite, as `npm run build` does it (tsc, then the browser
 * bundles of scripts/bundle.mjs): a stale dist/ can never pass for the sources.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
}

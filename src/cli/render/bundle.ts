import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

/**
 * The browser bundle `name` (dist/bundles/<name>.js, built by `npm run build` → scripts/bundle.mjs
 * from its ENTRIES), read relative to the package root so it works from dist/ and from src/ under
 * vitest alike. A missing bundle is a user-facing error (exit 2) that says how to build it.
 * @throws UserError when the file is missing or unreadable
 */
export function readBundle(name: string): string {
  const url = new URL(`../../../dist/bundles/${name}.js`, import.meta.url);
  try {
    return readFileSync(url, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is missing' : (e as Error).message;
    throw new UserError(`cannot read the browser bundle dist/bundles/${name}.js (${why}): run \`npm run build\` (tsc, then scripts/bundle.mjs)`);
  }
}

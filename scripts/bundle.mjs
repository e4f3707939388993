// Browser bundles: `npm run build` runs tsc, then this script. Each entry of ENTRIES is bundled
// with esbuild into dist/bundles/<name>.js as one minified IIFE for ES2020 browsers, which the CLI
// inlines into an offline page (src/report/html/self-contained.ts). Browser code must not reach
// Node: an import of a Node built-in (node:fs, path, worker_threads, …) or a leftover `require`
// fails the build with the importing file named, instead of a page that breaks when opened.
import { builtinModules } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleCli } from './bundle-cli.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'dist', 'bundles');

/**
 * The browser entry points: `name` → dist/bundles/<name>.js, from the TypeScript file `entry`
 * (relative to the package root). The playground adds its entries here.
 */
export const ENTRIES = [
  { name: 'player', entry: 'src/report/player/main.ts' },
  // seedrandom (core/rng.ts) requires Node's `crypto` only to autoseed, inside a try/catch, when no
  // seed is given; zksim always seeds, so the playground gets an empty module in its place.
  { name: 'playground', entry: 'src/playground/ui/main.ts', stubs: ['crypto'] },
];

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Refuses Node built-ins at resolution time, naming the file that imported one. */
const noNodeApis = (stubs = []) => ({
  name: 'no-node-apis',
  setup(b) {
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};' }));
    b.onResolve({ filter: /.*/ }, (args) => {
      if (stubs.includes(args.path)) return { path: args.path, namespace: 'stub' };
      if (!NODE_BUILTINS.has(args.path)) return undefined;
      const from = relative(ROOT, args.importer) || args.importer;
      return { errors: [{ text: `browser bundle imports the Node module '${args.path}' (from ${from}): browser code may not use Node APIs` }] };
    });
  },
});

async function bundle({ name, entry, stubs }, outDir) {
  const outfile = join(outDir, `${name}.js`);
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
    plugins: [noNodeApis(stubs)],
  });
  // esbuild keeps a dynamic `require(...)` as a shim that throws "Dynamic require of …" in a browser.
  const code = readFileSync(outfile, 'utf8');
  if (/Dynamic require of|\brequire\(/.test(code)) throw new Error(`${relative(ROOT, outfile)} calls require(): a CommonJS or Node import reached browser code (${entry})`);
}

/**
 * `node scripts/bundle.mjs` bundles every entry of ENTRIES into dist/bundles/;
 * `node scripts/bundle.mjs ENTRY.ts OUT_DIR` bundles one file (test/report/player-bundle.test.ts
 * checks the refusal of Node APIs this way).
 */
const [oneEntry, oneOut] = process.argv.slice(2);
const jobs = oneEntry !== undefined && oneOut !== undefined ? [{ job: { name: 'bundle', entry: relative(ROOT, oneEntry) }, outDir: oneOut }] : ENTRIES.map((job) => ({ job, outDir: OUT_DIR }));
try {
  for (const { job, outDir } of jobs) {
    mkdirSync(outDir, { recursive: true });
    await bundle(job, outDir);
  }
  if (oneEntry === undefined) await bundleCli(ROOT);
} catch (e) {
  // esbuild has printed its positioned errors already; one line says which step failed.
  console.error(`bundle: ${e instanceof Error && !('errors' in e) ? e.message : 'esbuild failed (errors above)'}`);
  process.exit(1);
}

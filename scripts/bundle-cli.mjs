// The CLI bundled: `node scripts/bundle.mjs` (run by `npm run build` after tsc) calls bundleCli().
// Loading ~200 ES modules from dist/ and node_modules costs a process start about twice the CPU of
// loading one bundle (`npm run bench`, startup section), and the test suite starts the CLI hundreds
// of times. What is written, into dist/cli/:
//  - bundle/main.js (+ .map): src/cli/main.ts with everything it imports, node_modules included,
//    except the packages of EXTERNAL; bundle/chunk-<hash>.js: what is imported only dynamically
//    (cli/render/svg.ts and vega), loaded when first used;
//  - main.js: the `zksim` entry (package.json "bin"). It turns source maps on, then imports the
//    bundle, so the stack trace of an internal error names src/**/*.ts lines (source maps must be
//    on before the bundle loads: process.setSourceMapsEnabled);
//  - main-modules.js: the same entry unbundled, loading tsc's per-module output beside it — the
//    baseline `npm run bench` measures the bundle's start-up against (src/bench/startup.ts).
// Worker threads are started by path (montecarlo/pool.ts, cli/commands/run.ts) and stay tsc's
// output; the bundle finds them, and every other file it reads (package.json, topologies/,
// dist/bundles/), because each module's `import.meta.url` is rewritten to the URL its tsc output
// would have had (moduleUrls below).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { build } from 'esbuild';

/**
 * Left to Node at run time: @resvg/resvg-js loads a native addon (.node) that cannot be bundled;
 * vega and vega-lite are large and loaded only when a chart is rendered (cli/render/svg.ts is
 * imported dynamically), so bundling them would add their parse time to every start.
 */
const EXTERNAL = ['@resvg/resvg-js', 'vega', 'vega-lite'];

/** CommonJS packages in an ESM bundle call require() for Node built-ins: give them one. */
const BANNER = "import { createRequire as __zksimCreateRequire } from 'node:module';\nconst require = __zksimCreateRequire(import.meta.url);";

/**
 * Rewrites `import.meta.url` in every src/ module to the URL of that module's tsc output
 * (dist/<path>.js), expressed relative to the bundle, so `new URL('../../package.json',
 * import.meta.url)` means in the bundle what it means in dist/.
 */
const moduleUrls = (root, outDir) => ({
  name: 'module-urls',
  setup(b) {
    const srcDir = join(root, 'src') + sep;
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(srcDir)) return undefined;
      const code = readFileSync(args.path, 'utf8');
      if (!code.includes('import.meta.url')) return undefined;
      const distFile = join(root, 'dist', relative(join(root, 'src'), args.path)).replace(/\.ts$/, '.js');
      const rel = relative(outDir, distFile).split(sep).join('/');
      const url = `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, import.meta.url).href`;
      return { contents: code.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
});

const LOADER = `#!/usr/bin/env node
// zksim's entry (written by scripts/bundle-cli.mjs): source maps on, then the bundled CLI.
process.setSourceMapsEnabled(true);
await import('./bundle/main.js');
`;

/** Writes `text` to `file` unless it holds it already, by rename (a CLI started meanwhile never reads half a file). */
function writeIfChanged(file, text, mode = 0o644) {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  mkdirSync(dirname(file), { recursive: true });
  // per process: builds run concurrently in one checkout (each vitest run builds first)
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

/** Bundles src/cli/main.ts into dist/cli/ as described above. Needs tsc's dist/ for the workers. */
export async function bundleCli(root) {
  const cliDir = join(root, 'dist', 'cli');
  const outDir = join(cliDir, 'bundle');
  const entry = join(root, 'src', 'cli', 'main.ts');
  const common = { entryPoints: [entry], format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' };
  const r = await build({
    ...common,
    outdir: outDir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    // dynamic import()s (cli/render/svg.ts → vega) become chunks loaded when first used
    splitting: true,
    external: EXTERNAL,
    banner: { js: BANNER },
    sourcemap: true,
    // the maps name src/ files by path; their text stays out (smaller maps to read at start)
    sourcesContent: false,
    legalComments: 'none',
    write: false,
    plugins: [moduleUrls(root, outDir)],
  });
  const written = new Set(r.outputFiles.map((f) => f.path));
  for (const f of r.outputFiles) writeIfChanged(f.path, f.text);
  // chunks of earlier builds, removed only once the new ones are in place
  for (const name of readdirSync(outDir)) {
    if (/^chunk-\w+\.js(\.map)?$/.test(name) && !written.has(join(outDir, name))) rmSync(join(outDir, name), { force: true });
  }
  const modules = await build({ ...common, outfile: join(cliDir, 'main-modules.js'), write: false });
  writeIfChanged(join(cliDir, 'main-modules.js'), modules.outputFiles[0].text);
  writeIfChanged(join(cliDir, 'main.js'), LOADER, 0o755);
  // tsc's map of the main.js it emitted; the loader that replaced it has none
  rmSync(join(cliDir, 'main.js.map'), { force: true });
}

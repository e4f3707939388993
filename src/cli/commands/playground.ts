import { join } from 'node:path';
import type { Command } from 'commander';
import { selfContainedHtml } from '../../report/html/self-contained.js';
import { LAYOUT_LIMITS, layoutName, layoutProblem, topologyYaml, type PlaygroundLayout } from '../../playground/layout.js';
import { PLAYGROUND_BODY, PLAYGROUND_STYLES, PLAYGROUND_TITLE } from '../../playground/page.js';
import { encodeShare } from '../../playground/share.js';
import { UserError } from '../errors.js';
import { checkDirectory, print, writeFileAtomic } from '../io.js';
import { seedOption } from '../options.js';
import { readBundle } from '../render/bundle.js';

interface PlaygroundOptions {
  out: string;
  voters: string;
  zones: string;
  observers: string;
  writes: string;
  seed: string;
}

export function registerPlayground(program: Command): void {
  program
    .command('playground')
    .description('write playground.html: the simulator in one offline page — pick a layout, kill / pause / isolate / restart servers, cut zones apart, watch elections and writes, share the run as a link')
    .option('--out <dir>', 'where playground.html and the layout\'s topology file go', 'out/playground')
    .option('--voters <n>', `voters of the layout the page opens with (${LAYOUT_LIMITS.voters.join('–')})`, '3')
    .option('--zones <n>', `zones they are spread over (${LAYOUT_LIMITS.zones.join('–')})`, '3')
    .option('--observers <n>', `observers (${LAYOUT_LIMITS.observers.join('–')})`, '0')
    .option('--writes <rate>', `client writes per second over the ensemble (${LAYOUT_LIMITS.writesPerSec.join('–')}), as zksim run --writes`, '2')
    .option('--seed <seed>', 'root seed of the run the page opens with', '1')
    .addHelpText(
      'after',
      '\nThe page needs no network and no server: open it from disk. Everything runs in the page (scripts/bundle.mjs\n' +
        'bundles the simulator; its Content-Security-Policy allows only its own inline script and a blob: Web Worker for\n' +
        'the Monte Carlo). The share link (URL #hash) carries layout, seed and actions with their virtual times; the page\n' +
        'shows the `zksim run` command that replays the same run from the topology file written beside it.\n' +
        '\nExamples:\n  zksim playground --out out/playground\n  zksim playground --voters 4 --zones 2 --writes 5 --out out/pg-n4\n',
    )
    .action((opts: PlaygroundOptions) => playgroundCommand(opts));
}

function layoutOption(flag: string, text: string, [lo, hi]: readonly [number, number]): number {
  if (!/^\d+$/.test(text) || Number(text) < lo || Number(text) > hi) throw new UserError(`${flag} ${JSON.stringify(text)}: expected a whole number from ${lo} to ${hi}`);
  return Number(text);
}

/** `--writes`: the playground's own 0–20 range (LAYOUT_LIMITS: each action replays the run), not run's. */
function writesOption(text: string): number {
  const [lo, hi] = LAYOUT_LIMITS.writesPerSec;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < lo || n > hi) throw new UserError(`--writes ${JSON.stringify(text)}: expected client writes per second from ${lo} to ${hi}`);
  return n;
}

function playgroundCommand(opts: PlaygroundOptions): void {
  const layout: PlaygroundLayout = {
    voters: layoutOption('--voters', opts.voters, LAYOUT_LIMITS.voters),
    zones: layoutOption('--zones', opts.zones, LAYOUT_LIMITS.zones),
    observers: layoutOption('--observers', opts.observers, LAYOUT_LIMITS.observers),
    writesPerSec: writesOption(opts.writes),
  };
  const problem = layoutProblem(layout);
  if (problem !== null) throw new UserError(`--${problem.replace(/^writesPerSec/, 'writes')}`);
  const seed = seedOption(opts.seed);
  checkDirectory(opts.out, '--out');
  const bundle = readBundle('playground');
  const html = selfContainedHtml({
    title: PLAYGROUND_TITLE,
    body: PLAYGROUND_BODY,
    styles: PLAYGROUND_STYLES,
    scripts: [bundle],
    data: [{ id: 'playground-start', value: encodeShare({ run: { layout, seed, actions: [] }, atUs: 0 }) }],
  });
  // The Monte Carlo's Web Worker is the page's own bundle as a blob: URL, which default-src 'none' refuses.
  const meta = /(<meta http-equiv="Content-Security-Policy" content="[^"]*)(">)/;
  if (!meta.test(html)) throw new Error('playground: the page carries no Content-Security-Policy meta element');
  const page = html.replace(meta, '$1; worker-src blob:$2');
  const file = join(opts.out, 'playground.html');
  const topologyFile = join(opts.out, `${layoutName(layout)}.yaml`);
  writeFileAtomic(file, page, '--out');
  writeFileAtomic(topologyFile, topologyYaml(layout), '--out');
  print(`wrote ${file} and ${topologyFile}; open the page from disk in a browser (it fetches nothing)\n`);
}

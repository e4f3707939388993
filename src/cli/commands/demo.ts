import { join } from 'node:path';
import type { Command } from 'commander';
import type { Topology } from '../../model/index.js';
import { availabilityDocument, runStudies, type AvailabilityDocument } from '../../montecarlo/index.js';
import { DEMOS, findDemo, type DemoInputs } from '../../demos/index.js';
import { UserError } from '../errors.js';
import { loadPlanFile } from '../plan-file.js';
import { loadExperiment, loadTopology, makeDirectory, packageVersion, print, printError, shippedFile } from '../io.js';
import { choiceArgument, positiveInt, seedOption, workerCount } from '../options.js';
import { demoDocument, writeDemo } from '../render/demo.js';

interface DemoOptions {
  out?: string;
  seed: string;
  workers?: string;
  json?: boolean;
}

export function demoList(): string {
  const width = Math.max(...DEMOS.map((d) => d.name.length));
  return [
    'Interview demos: each narrates one question with the numbers behind every claim, and writes',
    'its charts and report.html to --out (default ./out/demo-NAME/).',
    '',
    ...DEMOS.map((d) => `  ${d.name.padEnd(width)}  ${d.summary}`),
    '',
    'Run one: zksim demo NAME [--out DIR] [--seed S]',
    '',
  ].join('\n');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(`narrated interview demos with charts, ${DEMOS.length} of them (no name: list them, a line each)`)
    .addArgument(choiceArgument('[name]', 'the demo (no name: list them)', DEMOS.map((d) => d.name)))
    .option('--out <dir>', 'where the charts, report.html, demo.txt and demo.json go (default ./out/demo-NAME/)')
    .option('--seed <seed>', 'root seed: the same seed prints the same output, byte for byte', '1')
    .option('--workers <n>', 'worker threads for the Monte Carlo parts (default: all cores); results do not depend on it')
    .option('--json', 'print demo.json (the numbers behind the narration; schemas/demo.schema.json) instead of the narration; the files are written all the same')
    .addHelpText('after', '\nExamples:\n  zksim demo\n  zksim demo even-nodes\n  zksim demo two-zones --out /tmp/two-zones\n')
    .action((name: string | undefined, opts: DemoOptions) => demoCommand(name, opts));
}

async function demoCommand(name: string | undefined, opts: DemoOptions): Promise<void> {
  if (name === undefined) {
    // --json promises one demo's document; with no demo named there is none to print.
    if (opts.json) throw new UserError(`demo --json needs a demo name: one of ${DEMOS.map((d) => d.name).join(', ')}`);
    print(demoList());
    return;
  }
  const demo = findDemo(name);
  if (!demo) throw new UserError(`demo ${JSON.stringify(name)}: no such demo; choose one of ${DEMOS.map((d) => d.name).join(', ')} (zksim demo lists them)`);
  const seed = seedOption(opts.seed);
  // A demo's studies run hundreds of trials or more: the cores are the cap that matters.
  const workers = workerCount(opts.workers === undefined ? null : positiveInt('--workers', opts.workers), Number.MAX_SAFE_INTEGER);
  const dir = opts.out ?? join('out', `demo-${demo.name}`);
  makeDirectory(dir, '--out'); // before the studies, not after them
  const version = packageVersion();
  const topologies = new Map<string, Topology>();
  const inputs: DemoInputs = {
    seed,
    version,
    topology: (t) => {
      const cached = topologies.get(t) ?? loadTopology(shippedFile('topologies', t));
      topologies.set(t, cached);
      return cached;
    },
    experiment: (name) => loadExperiment(shippedFile('experiments', name)),
    plan: (name) => loadPlanFile(shippedFile('experiments', `plans/${name}`)),
  };
  const docs = new Map<string, AvailabilityDocument>();
  for (const req of demo.studies(inputs)) {
    const outcome = await runStudies(req.configs, req.options, version, { workers });
    docs.set(req.name, availabilityDocument(req.options, outcome.studies, version));
  }
  const result = demo.build(inputs, docs);
  if (!opts.json) print(result.text);
  const warnings = await writeDemo(result, dir);
  for (const w of warnings) printError(`zksim: warning: ${w}\n`);
  if (opts.json) print(`${JSON.stringify(demoDocument(result), null, 2)}\n`);
  else print(`\nCharts, demo.txt, demo.json and report.html written to ${dir}\n`);
}


import type { Command } from 'commander';
import { loadTopology, shippedFile } from '../io.js';
import { loadBase, METHOD_HELP, runAndReport } from '../study.js';

/** The layouts users compare first: one zone, three zones, and why 2+2 and 3+2 disappoint. */
/**
 * Trials per layout in the main job. Failure-biased trials cost several naive ones (the rare
 * quorum losses they force are simulated message by message); 200 resolve the rare losses of
 * n3-3az, n5-3az and n6-3az to 15–25% and the naive columns (losses several times a year) to
 * ~10%. n7-3az's losses (a three-voter zone's outage overlapping a rack outage, lognormal
 * durations) need more: its column says so and is marked untrusted.
 */
export const START_RUNS = 200;

export const MAIN_TOPOLOGIES = ['n3-1az', 'n3-3az', 'n4-2az', 'n5-2az', 'n5-3az', 'n6-3az', 'n7-3az'] as const;

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'the main job (`npm start`): availability of the built-in topologies under the production failure model, ' +
        'the table on screen, charts and report.html in ./out/',
    )
    .option('--out <dir>', 'where the charts and report.html go', 'out')
    .option('--runs <n>', 'trials per topology (failure biasing resolves the layouts whose quorum losses are rare, naive Monte Carlo the others)', String(START_RUNS))
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--method <m>', METHOD_HELP, 'auto')
    .action(async (opts: { out: string; runs: string; workers?: string; method: string }) => {
      const base = loadBase({ runs: opts.runs, ...(opts.workers ? { workers: opts.workers } : {}), method: opts.method });
      const configs = MAIN_TOPOLOGIES.map((name) => ({ topology: loadTopology(shippedFile('topologies', name)), experiment: base.experiment, variant: null }));
      await runAndReport(configs, base, { out: opts.out });
    });
}

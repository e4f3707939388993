import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Monte Carlo throughput and memory, measured on the built CLI exactly as a user runs it:
 * n5-3az under the packaged production.yaml.
 *  - simulated cluster-years per second with --workers 1 (inline) and --workers 2 (threads),
 *    wall clock of the whole command, same trials (the two JSON outputs must be identical);
 *  - peak RSS of the process for 1,000 and 10,000 trials (short 1-day horizon: memory must not
 *    grow with the trial count, since only the exact accumulator is kept).
 * Child processes, so each measurement starts from a fresh heap and reports its own peak.
 * Naive Monte Carlo (`--method naive`): the engine's throughput, comparable across versions;
 * `auto` would run failure-biased trials here, which force quorum losses and cost ~7 naive ones
 * (the rare-event section measures what they buy).
 */
export interface MontecarloBench {
  readonly yearsPerSecWorkers1: number;
  readonly yearsPerSecWorkers2: number;
  readonly speedup: number;
  readonly peakRssMb1k: number;
  readonly peakRssMb10k: number;
  readonly runs: number;
}

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const TOPOLOGY = fileURLToPath(new URL('../../topologies/n5-3az.yaml', import.meta.url));
const REPORT_RSS = "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))";

function zksim(args: readonly string[]): { stdout: string; peakRssMb: number; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', REPORT_RSS, CLI, 'availability', TOPOLOGY, '--json', '--no-progress', '--method', 'naive', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`bench: zksim ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const m = /maxrss=(\d+)/.exec(r.stderr);
  return { stdout: r.stdout, peakRssMb: m ? Number(m[1]) / 1024 : NaN, seconds };
}

export function benchMontecarlo(runs = 3072): MontecarloBench {
  const one = zksim(['--runs', String(runs), '--workers', '1']);
  const two = zksim(['--runs', String(runs), '--workers', '2']);
  if (one.stdout !== two.stdout) throw new Error('bench: --workers 1 and --workers 2 printed different JSON');
  const doc = JSON.parse(one.stdout) as { options: { horizonYears: number } };
  const years = runs * doc.options.horizonYears;
  const rss1k = zksim(['--runs', '1000', '--horizon', '1d', '--workers', '1']).peakRssMb;
  const rss10k = zksim(['--runs', '10000', '--horizon', '1d', '--workers', '1']).peakRssMb;
  const yearsPerSecWorkers1 = years / one.seconds;
  const yearsPerSecWorkers2 = years / two.seconds;
  return {
    yearsPerSecWorkers1,
    yearsPerSecWorkers2,
    speedup: yearsPerSecWorkers2 / yearsPerSecWorkers1,
    peakRssMb1k: rss1k,
    peakRssMb10k: rss10k,
    runs,
  };
}

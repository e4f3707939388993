import { benchEnsembles } from './ensemble.js';
import { benchKernel } from './kernel.js';
import { benchMontecarlo } from './montecarlo.js';
import { benchRareEvent, rareEventSummary } from './rare-event.js';
import { benchQuiet } from './quiet.js';
import { benchStartup, startupSummary } from './startup.js';
import { benchTrial } from './trial.js';

/**
 * `npm run bench`: one readable line per section, or with --json a single JSON document keyed by
 * section name ({ "kernel": {...}, ... }). Add a benchmark by appending to `sections`.
 */
interface BenchSection {
  readonly name: string;
  /** Runs the benchmark; `result` goes into the JSON document, `summary` is the readable line. */
  run(): { readonly result: object; readonly summary: string };
}

const sections: readonly BenchSection[] = [
  {
    name: 'kernel',
    run() {
      const r = benchKernel();
      const summary =
        `kernel: ${perSec(r.eventsPerSec)} events/s vs bare heap ${perSec(r.baselineEventsPerSec)} events/s, ` +
        `ratio ${r.ratio.toFixed(2)} (hold model, ${r.events} events, queue ${r.queueSize})`;
      return { result: r, summary };
    },
  },
  {
    name: 'trial',
    run() {
      const r = benchTrial();
      const summary =
        `trial: n5-3az, 1 simulated year, ${r.faultsPerTrial} faults, ${r.eventsPerTrial} events: ` +
        `${perSec(r.eventsPerSec)} events/s (${r.ratio.toFixed(3)} of the bare heap), ${r.simulatedYearsPerSec.toFixed(1)} simulated years/s`;
      return { result: r, summary };
    },
  },
  {
    name: 'quiet',
    run() {
      const r = benchQuiet();
      const summary =
        `quiet: n5-3az without faults, a simulated year ${r.yearMs.toFixed(2)} ms (${r.yearEvents} events) vs a simulated minute ` +
        `${r.minuteMs.toFixed(2)} ms (${r.minuteEvents} events): ratio ${r.ratio.toFixed(2)}`;
      return { result: r, summary };
    },
  },
  {
    name: 'montecarlo',
    run() {
      const r = benchMontecarlo();
      const summary =
        `montecarlo: n5-3az production.yaml, ${r.runs} trial-years: ${r.yearsPerSecWorkers1.toFixed(1)} cluster-years/s with 1 worker, ` +
        `${r.yearsPerSecWorkers2.toFixed(1)} with 2 (speedup ${r.speedup.toFixed(2)}); peak RSS ${r.peakRssMb1k.toFixed(0)} MB for 1k trials, ${r.peakRssMb10k.toFixed(0)} MB for 10k`;
      return { result: r, summary };
    },
  },
  {
    name: 'ensemble',
    run() {
      const rows = benchEnsembles();
      const summary =
        'ensemble: ms per simulated minute of run (leader killed at 20 s), voters up to 9 then observers: ' +
        rows.map((r) => `${r.servers} servers ${r.msPerSimulatedMinute.toFixed(1)} ms (×${r.ratioTo3.toFixed(2)})`).join(', ');
      return { result: { rows }, summary };
    },
  },
  {
    name: 'startup',
    run() {
      const r = benchStartup();
      return { result: r, summary: startupSummary(r) };
    },
  },
  {
    name: 'rare-event',
    run() {
      const r = benchRareEvent();
      return { result: r, summary: rareEventSummary(r) };
    },
  },
];

function perSec(value: number): string {
  return `${(value / 1e6).toFixed(2)}M`;
}

function main(argv: readonly string[]): void {
  const json = argv.includes('--json');
  const document: Record<string, object> = {};
  for (const section of sections) {
    const { result, summary } = section.run();
    document[section.name] = result;
    if (!json) console.log(summary);
  }
  if (json) console.log(JSON.stringify(document, null, 2));
}

main(process.argv.slice(2));

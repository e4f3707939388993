import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { runJson } from '../../report/run-json.js';
import { runText } from '../../report/run-text.js';
import { runTrial } from '../../scenario/index.js';
import { loadTopology, packageVersion } from '../io.js';
import { faultOptions } from '../options.js';

/** The built-in topologies ship beside dist/, so `npm start` works from any directory. */
export function builtinTopology(name: string): string {
  return fileURLToPath(new URL(`../../../topologies/${name}.yaml`, import.meta.url));
}

const SHOWCASE: readonly { topology: string; faults: readonly string[]; why: string }[] = [
  { topology: 'n3-1az', faults: ['kill:leader@10s'], why: 'a killed leader is replaced in well under a second' },
  { topology: 'n4-2az', faults: ['partition:az1|az2@10s+20s'], why: '2+2 voters split by zone: nobody leads until the split heals' },
  { topology: 'n5-3az', faults: ['partition:az1|az2,az3@10s+20s'], why: '2+2+1 split 2|3: the three-server side keeps a leader' },
];

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('the main job: what `npm start` runs on the built-in topologies')
    .action(() => startCommand());
}

function startCommand(): void {
  const version = packageVersion();
  for (const show of SHOWCASE) {
    const topology = loadTopology(builtinTopology(show.topology));
    const durationUs = 60_000_000;
    const faults = faultOptions(show.faults, topology, durationUs);
    const result = runTrial({ topology, seed: '1', durationUs, faults });
    process.stdout.write(`=== ${show.topology}: ${show.why}\n`);
    process.stdout.write(runText(runJson(result, topology, version)));
    process.stdout.write('\n');
  }
}

import type { Command } from 'commander';
import { MergeError, mergeDocuments, type AvailabilityDocument } from '../../montecarlo/index.js';
import { UserError } from '../errors.js';
import { readText } from '../io.js';
import { emitDocument } from './availability.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine the --json outputs of `availability --shard K/N` (all K) into exactly the result of one run')
    .argument('<files...>', 'JSON files written by `zksim availability ... --shard K/N --json`')
    .option('--json', 'print the merged result as JSON instead of a table')
    .option('--out <dir>', 'also write availability.json into DIR')
    .addHelpText(
      'after',
      '\nExample:\n  for k in 1 2 3 4; do zksim availability topologies/n5-3az.yaml --runs 4000 --shard $k/4 --json > s$k.json & done; wait\n  zksim merge s1.json s2.json s3.json s4.json --json\n',
    )
    .action(async (files: string[], opts: { json?: boolean; out?: string }) => {
      const docs = files.map((f) => {
        try {
          return JSON.parse(readText(f, 'result')) as AvailabilityDocument;
        } catch (e) {
          if (e instanceof UserError) throw e;
          throw new UserError(`${f}: not a JSON file (${(e as Error).message})`);
        }
      });
      let merged: AvailabilityDocument;
      try {
        merged = mergeDocuments(docs);
      } catch (e) {
        if (e instanceof MergeError || e instanceof RangeError) throw new UserError(`merge: ${e.message}`);
        throw e;
      }
      await emitDocument(merged, opts);
    });
}

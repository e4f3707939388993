import type { Command } from 'commander';
import { Accumulator, MergeError, mergeDocuments, type AvailabilityDocument } from '../../montecarlo/index.js';
import { UserError } from '../errors.js';
import { readText } from '../io.js';
import { availabilityForMerge, parseJsonFile, requireShape } from '../shape.js';
import { FORMAT_HELP, OUTPUT_FORMATS, outputFormat } from '../output-format.js';
import { choiceOption } from '../options.js';
import { emitDocument } from '../study.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine the --json outputs of `availability --shard K/N` (all K) into exactly the result of one run')
    .argument('<files...>', 'JSON files written by `zksim availability ... --shard K/N --json`')
    .option('--json', 'print the merged result as JSON (schemas/availability.schema.json) instead of a table')
    .addOption(choiceOption('--format <f>', `${FORMAT_HELP} (--json is --format json)`, OUTPUT_FORMATS))
    .option('--out <dir>', 'also write availability.json, availability.csv, the charts and report.html into DIR')
    .addHelpText(
      'after',
      '\nExample:\n  for k in 1 2 3 4; do zksim availability topologies/n5-3az.yaml --runs 4000 --shard $k/4 --json > s$k.json & done; wait\n  zksim merge s1.json s2.json s3.json s4.json --json\n  zksim merge s1.json s2.json s3.json s4.json --format csv > merged.csv\n',
    )
    .action(async (files: string[], opts: { json?: boolean; format?: string; out?: string }) => {
      outputFormat(opts); // a bad --format is said before reading the shards
      const docs = files.map((f) => {
        const value = parseJsonFile(readText(f, 'result'), f);
        requireShape(value, availabilityForMerge, f, 'a zksim availability document (the --json output of zksim availability --shard K/N)');
        const doc = value as AvailabilityDocument;
        // Each shard's statistics read on their own first, so a damaged one is named by file and row.
        doc.results.forEach((r, j) => {
          try {
            Accumulator.fromJSON(r.statistics);
          } catch (e) {
            throw new UserError(`${f}: results[${j}].statistics: ${(e as Error).message}`);
          }
        });
        return doc;
      });
      let merged: AvailabilityDocument;
      try {
        merged = mergeDocuments(docs, files);
      } catch (e) {
        if (e instanceof MergeError || e instanceof RangeError || e instanceof TypeError) throw new UserError(`merge: ${e.message}`);
        throw e;
      }
      await emitDocument(merged, opts);
    });
}

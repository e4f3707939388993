import type { Command } from 'commander';
import { loadTopology } from '../io.js';
import { shownModel } from '../show-model.js';
import { addStudyOptions, applyTopologySets, loadBase, printShownModel, runAndReport, STUDY_EXIT_STATUS, type StudyCliOptions } from '../study.js';

/** `zksim availability TOPOLOGY...`: the study options are study.ts's. */
export function registerAvailability(program: Command): void {
  addStudyOptions(
    program
      .command('availability')
      .description('Monte Carlo availability of one or more topologies under a failure model, side by side, with 95% CIs')
      .argument('<topology...>', 'topology YAML files, e.g. topologies/n3-1az.yaml topologies/n5-3az.yaml'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  zksim availability topologies/n3-1az.yaml topologies/n4-2az.yaml topologies/n5-3az.yaml\n' +
        '  zksim availability topologies/*.yaml --experiment experiments/production.yaml --runs 2000 --json\n' +
        '  zksim availability topologies/n5-3az.yaml --node-mttf 30d --node-mttr 2h --precision 0.1\n' +
        '  zksim availability topologies/n3-3az.yaml topologies/n5-3az.yaml --runs 100 --format csv > availability.csv\n' +
        '  zksim availability topologies/n5-3az.yaml --set failures.zonePartitions.duration.median=2h --show-model\n' +
        '  zksim availability topologies/n5-3az.yaml --shard 2/4 --json > shard2.json   # then: zksim merge shard*.json\n',
    )
    .addHelpText('after', STUDY_EXIT_STATUS)
    .action(async (files: string[], opts: StudyCliOptions) => {
      const base = loadBase(opts);
      const loaded = files.map((file) => ({ file, topology: applyTopologySets(loadTopology(file), opts.set ?? [], file) }));
      if (opts.showModel) {
        printShownModel(shownModel(base, loaded), opts);
        return;
      }
      const configs = loaded.map(({ topology }) => ({ topology, experiment: base.experiment, variant: null }));
      await runAndReport(configs, base, opts);
    });
}


import type { Command } from 'commander';
import { produce } from 'immer';
import type { Experiment } from '../../model/experiment.js';
import { meanOf } from '../../model/distribution.js';
import type { StudyConfig } from '../../montecarlo/index.js';
import { shownModel } from '../show-model.js';
import { UserError } from '../errors.js';
import { loadTopology } from '../io.js';
import { durationOption, varyOption } from '../options.js';
import { formatDurationUs } from '../../model/duration.js';
import {
  addStudyOptions,
  applyExperimentSets,
  applyTopologySets,
  experimentSets,
  loadBase,
  nodeModelName,
  printShownModel,
  runAndReport,
  STUDY_EXIT_STATUS,
  withNodeModel,
  type StudyCliOptions,
} from '../study.js';

interface SweepOptions extends StudyCliOptions {
  vary?: string;
}

export function registerSweep(program: Command): void {
  addStudyOptions(
    program
      .command('sweep')
      .description('the same availability study over a list of values of one setting: one result row per value')
      .argument('<topology>', 'topology YAML file')
      .requiredOption(
        '--vary <key=v1,v2,...>',
        'the setting and its values: node-mttf or node-mttr (independent exponential host crash/repair, the other mean from --node-mttf/--node-mttr or the experiment), or any --set path, e.g. zookeeper.tickTime=1000,2000,4000',
      ),
  )
    .addHelpText('after', STUDY_EXIT_STATUS)
    .addHelpText('after', '\nExamples:\n  zksim sweep topologies/n5-3az.yaml --vary node-mttr=15m,1h,4h,12h,24h\n  zksim sweep topologies/n3-1az.yaml --vary zookeeper.tickTime=500,1000,2000 --runs 200\n  zksim sweep topologies/n5-3az.yaml --vary node-mttr=1h,4h,12h --runs 100 --format csv > sweep.csv\n')
    .action(async (file: string, opts: SweepOptions) => {
      const { key, values } = varyOption(opts.vary ?? '');
      const node = key === 'node-mttf' || key === 'node-mttr';
      // Varying a node mean: the other one may come alone from its flag (used by nodeVariant).
      const { nodeMttf: _f, nodeMttr: _r, ...rest } = opts;
      const base = loadBase(node ? rest : opts);
      const topology = applyTopologySets(loadTopology(file), opts.set ?? [], file);
      const configs: StudyConfig[] = values.map((value) => {
        const variant = { key, value };
        if (node) {
          return { topology, experiment: nodeVariant(base.experiment, key as 'node-mttf' | 'node-mttr', value, opts), variant };
        }
        const set = [`${key}=${value}`];
        const experiment = applyExperimentSets(base.experiment, set, '--vary');
        return {
          topology: applyTopologySets(topology, set, file, '--vary'),
          experiment: experimentSets(set).length > 0 ? variedName(experiment, base.experiment.name, key) : experiment,
          variant,
        };
      });
      if (opts.showModel) {
        const differs = configs.some((c) => JSON.stringify(c.experiment) !== JSON.stringify(base.experiment));
        const variants = configs.map((c, i) => ({ key, value: values[i] ?? '', experiment: c.experiment }));
        printShownModel(shownModel(base, [{ file, topology }], differs ? variants : undefined), opts);
        return;
      }
      await runAndReport(configs, base, opts);
    });
}

/** `production, failures.bursts.zoneJoin varied`: the same name for every row of the sweep. */
function variedName(experiment: Experiment, baseName: string, key: string): Experiment {
  return produce(experiment, (d) => {
    d.name = `${baseName}, ${key} varied`;
  });
}

/** Variants are made with immer from the frozen base experiment (structure shared, base untouched). */
function nodeVariant(base: Experiment, key: 'node-mttf' | 'node-mttr', value: string, opts: SweepOptions): Experiment {
  const host = base.failures.hostFailures;
  const other = key === 'node-mttf' ? opts.nodeMttr : opts.nodeMttf;
  const otherFlag = key === 'node-mttf' ? '--node-mttr' : '--node-mttf';
  let otherUs: number;
  if (other !== undefined) otherUs = durationOption(otherFlag, other);
  else if (host) otherUs = Math.round(meanOf(key === 'node-mttf' ? host.mttr : host.mttf));
  else throw new UserError(`--vary ${key}: the experiment has no host failures to take the ${otherFlag.slice(7)} from; give ${otherFlag}`);
  const us = durationOption(`--vary ${key}`, value);
  // One name for every row (the header names the sweep); each row's failureModel has its values.
  const otherText = formatDurationUs(otherUs);
  const naming = {
    name: key === 'node-mttf' ? nodeModelName('varied', otherText) : nodeModelName(otherText, 'varied'),
    by: `--vary ${key} with ${otherFlag} ${otherText}`,
  };
  return key === 'node-mttf' ? withNodeModel(base, us, otherUs, naming) : withNodeModel(base, otherUs, us, naming);
}

import { readFileSync } from 'node:fs';
import { formatConfigError, parseFault, parseTopology } from '../../src/config/index.js';
import { parseExperiment } from '../../src/config/experiment.js';
import type { Experiment, FaultSpec, Topology } from '../../src/model/index.js';

/** A shipped topology, parsed (throws on a parse error: shipped files must be valid). */
export function topology(name: string): Topology {
  const file = `topologies/${name}.yaml`;
  const parsed = parseTopology(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.errors)}`);
  return parsed.topology;
}

/** A shipped experiment, parsed (throws on a parse error: shipped files must be valid). */
export function experiment(name: string): Experiment {
  const file = `experiments/${name}.yaml`;
  const parsed = parseExperiment(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join('\n'));
  return parsed.experiment;
}

export function faults(t: Topology, ...texts: string[]): FaultSpec[] {
  return texts.map((text) => {
    const p = parseFault(text, t);
    if (!p.ok) throw new Error(p.error);
    return p.fault;
  });
}

export const S = 1_000_000;

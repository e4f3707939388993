/**
 * Loading a plan file (config/plan.ts) for the commands that take one: `zksim plan`, `zksim dr`
 * and the demos that ship plans. A plan with problems is a UserError listing every one, positioned.
 */
import { formatConfigError } from '../config/index.js';
import { parsePlan, type Plan } from '../config/plan.js';
import { isInitialVoter, type Topology } from '../model/topology.js';
import { PLAN_STEP_KINDS } from '../scenario/plan-kinds.js';
import { UserError } from './errors.js';
import { readText } from './io.js';

/** Read `file` with the built-in step kinds; given `topology`, a step naming a server it lacks is an error (reconfig may add new ones with a zone). */
export function loadPlanFile(file: string, topology: Topology | null = null): Plan {
  const servers = topology === null ? null : { name: topology.name, ids: topology.servers.map((s) => s.id), voters: topology.servers.filter(isInitialVoter).map((s) => s.id) };
  const parsed = parsePlan(readText(file, 'plan'), file, PLAN_STEP_KINDS, servers);
  if (!parsed.ok) throw new UserError(parsed.errors.map(formatConfigError).join('\n'));
  return parsed.plan;
}

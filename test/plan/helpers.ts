import { readFileSync } from 'node:fs';
import { formatConfigError } from '../../src/config/index.js';
import { parsePlan, type Plan } from '../../src/config/plan.js';
import { PLAN_STEP_KINDS } from '../../src/scenario/plan-kinds.js';

/** A shipped plan, parsed (throws on a parse error: shipped files must be valid). */
export function plan(name: string): Plan {
  const file = `experiments/plans/${name}.yaml`;
  const parsed = parsePlan(readFileSync(file, 'utf8'), file, PLAN_STEP_KINDS);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join('\n'));
  return parsed.plan;
}

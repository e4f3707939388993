/**
 * The text of the `maintenance` fault kind (config/fault-kinds.ts's table takes it): a round of
 * rolling maintenance from T — every server restarted once, one at a time, each down DOWN, then
 * gated on health and GAP before the next (scenario/maintenance-kind.ts runs it as a plan).
 * faults/processes.ts rollingMaintenance samples one per round; it may also be scripted:
 * `maintenance:leader-last/2m/5m@1h`. A duration is the round's nominal window (what sampled
 * schedules and downtime attribution see: faults/processes.ts gives the voters' n × DOWN +
 * (n − 1) × GAP); without one the fault lasts until the round's plan is over.
 */
import type { FaultOf } from '../model/faults.js';
import { formatDurationUs, parseDurationUs } from '../model/duration.js';
import { fail } from './fault-parse.js';
import type { FaultSyntax, FaultTarget } from './fault-kinds.js';

const ORDERS = ['leader-last', 'any'] as const;
const EXAMPLE = 'e.g. maintenance:leader-last/2m/5m@1h';

function duration(text: string, what: string, quoted: string, zeroOk: boolean): number {
  const us = text.trim() === '0' && zeroOk ? 0 : parseDurationUs(text.trim());
  if (us === null) fail(`expected ${what} as a duration with a unit (2m, 30s), found "${text}" in ${quoted} (${EXAMPLE})`);
  return us;
}

export const MAINTENANCE_SYNTAX: FaultSyntax<FaultOf<'maintenance'>> = {
  kind: 'maintenance',
  keywords: ['maintenance'],
  syntax: ['maintenance:ORDER/DOWN/GAP@T[+DUR]'],
  help:
    'a round of rolling maintenance from T: every server restarted once, one at a time, each down DOWN, then the next only once mntr shows the ensemble healthy (at most 10 min) and GAP has passed; ' +
    'ORDER leader-last (observers, followers, the leader last) or any (a random order); what rollingMaintenance samples once per round; ' +
    '+DUR: the round\'s nominal window (downtime is charged to it), without it the round lasts until its plan is over',
  parse(_keyword, target, ctx): FaultTarget<FaultOf<'maintenance'>> {
    const [order = '', down = '', gap = '', ...rest] = target.split('/');
    if (!(ORDERS as readonly string[]).includes(order) || rest.length > 0 || gap === '') fail(`expected ORDER/DOWN/GAP with ORDER leader-last or any, found "${target}" in ${ctx.quoted} (${EXAMPLE})`);
    return { kind: 'maintenance', order: order as FaultOf<'maintenance'>['order'], downtimeUs: duration(down, 'DOWN', ctx.quoted, false), gapUs: duration(gap, 'GAP', ctx.quoted, true) };
  },
  head: (f) => `maintenance:${f.order}/${formatDurationUs(f.downtimeUs)}/${f.gapUs === 0 ? '0' : formatDurationUs(f.gapUs)}`,
};

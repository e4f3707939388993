/**
 * The `reconfig` plan step: an operator's `reconfig -add … -remove …` (ZooKeeper.reconfig,
 * ZooKeeperAdmin; 3.5+) submitted through FaultHost.reconfig, done when the trial reports it
 * committed (COMMITANDACTIVATE, a `reconfigCommitted` event) and failed when the leader refused it
 * (`reconfigRefused`: PrepRequestProcessor's reason) or when `timeout` passes first.
 *
 * ```yaml
 * - reconfig: { add: [6, { id: 7, role: observer, zone: az2 }], remove: [1] }
 *   timeout: 1m
 *   onTimeout: abort
 * ```
 * A removed leader hands leadership to the designated leader (Leader.getDesignatedLeader): the
 * one way 3.8 moves leadership without a restart (it has no transfer command), so a migration
 * removes the old leader last.
 */
import type { StepReader } from '../config/plan.js';
import { formatDurationUs } from '../model/duration.js';
import type { FaultBase, ServerId, TrialEvent } from '../model/index.js';
import type { AddedMember, ReconfigChange } from '../model/reconfig.js';
import { DONE, RUNNING, type StepContext, type StepKindEntry, type StepRun, type StepStatus } from './plan-steps.js';

export interface ReconfigStep {
  readonly kind: 'reconfig';
  readonly change: ReconfigChange;
  readonly timeoutUs: number;
  readonly onTimeout: 'rollback' | 'abort' | 'continue';
}

/** A reconfig that neither commits nor is refused within a minute has stalled (no leader, no quorum). */
const DEFAULT_TIMEOUT_US = 60_000_000;

function readMember(r: StepReader, node: unknown, path: string): AddedMember | undefined {
  const asId = r.targetId(node);
  if (asId !== null) return { id: asId, role: 'voter' };
  const fields = r.fieldsOf(node, path, ['id', 'role', 'zone']);
  if (fields === null) return undefined;
  let id: number | undefined;
  let role: AddedMember['role'] = 'voter';
  let zone: string | undefined;
  for (const { key, value } of fields) {
    if (key === 'id') id = r.int(value, `${path}.id`);
    else if (key === 'role') role = r.choice(value, `${path}.role`, ['voter', 'observer'] as const) ?? role;
    else zone = r.text(value, `${path}.zone`);
  }
  if (id === undefined) return r.error(`${path}.id`, undefined, 'expected "id" (a server id), found none'), undefined;
  return { id, role, ...(zone !== undefined ? { zone } : {}) };
}

function readList(r: StepReader, node: unknown, path: string): AddedMember[] | undefined {
  const items = r.listOf(node, path);
  if (items === undefined) return undefined;
  const out = items.map((item, i) => readMember(r, item, `${path}[${i}]`));
  return out.every((m): m is AddedMember => m !== undefined) ? out : undefined;
}

function parseChange(r: StepReader, node: unknown, path: string): ReconfigChange | undefined {
  const fields = r.fieldsOf(node, path, ['add', 'remove', 'members']);
  if (fields === null) return undefined;
  const get = (key: string): unknown => fields.find((f) => f.key === key)?.value;
  if (get('members') !== undefined) {
    if (get('add') !== undefined || get('remove') !== undefined) return r.error(path, node, 'expected either members (non-incremental) or add/remove (incremental), found both'), undefined;
    const members = readList(r, get('members'), `${path}.members`);
    return members === undefined ? undefined : { kind: 'members', members };
  }
  const add = get('add') === undefined ? [] : readList(r, get('add'), `${path}.add`);
  const removed = get('remove') === undefined ? [] : readList(r, get('remove'), `${path}.remove`);
  if (add === undefined || removed === undefined) return undefined;
  if (add.length === 0 && removed.length === 0) return r.error(path, node, 'expected add, remove or members, found none'), undefined;
  return { kind: 'incremental', add, remove: removed.map((m) => m.id) };
}

function formatChange(c: ReconfigChange): string {
  const m = (x: AddedMember): string => `${x.id}${x.role === 'observer' ? '=observer' : ''}`;
  if (c.kind === 'members') return `members ${c.members.map(m).join(',')}`;
  return [c.add.length > 0 ? `+${c.add.map(m).join(',+')}` : '', c.remove.length > 0 ? `-${c.remove.join(',-')}` : ''].filter((x) => x !== '').join(' ');
}

/**
 * The plan's reconfig steps as `reconfig` faults (never fired), so the trial adds the new servers
 * they name before it starts, as it does for a `reconfig:` fault (scenario/reconfig-kind.ts
 * withReconfigServers: a new host in the zone given, running from t = 0 as a non-member).
 */
export function planReconfigs(steps: readonly { readonly kind: string }[] | undefined): FaultBase[] {
  return (steps ?? []).filter((s): s is ReconfigStep => s.kind === 'reconfig').map((s) => ({ kind: 'reconfig', change: s.change, atUs: 0, durationUs: null }) as FaultBase);
}

class ReconfigRun implements StepRun {
  readonly touched = [];
  private outcome: StepStatus = RUNNING;

  constructor(private readonly step: ReconfigStep, private readonly deadlineUs: number) {}

  onEvent(_ctx: StepContext, e: TrialEvent): void {
    if (this.outcome !== RUNNING) return;
    if (e.type === 'reconfigCommitted') this.outcome = DONE;
    else if (e.type === 'reconfigRefused') this.outcome = { state: 'failed', reason: `reconfig refused: ${e.reason}`, onFail: this.step.onTimeout };
  }

  poll(ctx: StepContext): StepStatus {
    if (this.outcome === RUNNING && ctx.nowUs >= this.deadlineUs) {
      return { state: 'failed', reason: `reconfig not committed within ${formatDurationUs(this.step.timeoutUs)}`, onFail: this.step.onTimeout };
    }
    return this.outcome;
  }
}

export const RECONFIG_STEP: StepKindEntry<ReconfigStep> = {
  kind: 'reconfig',
  keys: ['timeout', 'onTimeout'],
  help: 'reconfig: {add: [IDS or {id, role, zone}], remove: [IDS]} | {members: [...]} [timeout: DURATION] [onTimeout: …] — a dynamic reconfiguration, done when committed',
  parse(r, { path, value, fields }) {
    const change = parseChange(r, value, `${path}.reconfig`);
    const timeoutNode = fields.get('timeout');
    const timeoutUs = timeoutNode === undefined ? DEFAULT_TIMEOUT_US : r.timeout(timeoutNode, `${path}.timeout`);
    const onNode = fields.get('onTimeout');
    const onTimeout = onNode === undefined ? 'abort' : r.choice(onNode, `${path}.onTimeout`, ['rollback', 'abort', 'continue'] as const);
    if (change === undefined || timeoutUs === undefined || onTimeout === undefined) return undefined;
    return { kind: 'reconfig', change, timeoutUs, onTimeout };
  },
  describe: (s) => `reconfig ${formatChange(s.change)}`,
  start(ctx, s) {
    const deadlineUs = ctx.nowUs + s.timeoutUs;
    ctx.wakeAt(deadlineUs);
    ctx.faults.reconfig(s.change);
    ctx.note(`reconfig ${formatChange(s.change)} submitted`);
    return new ReconfigRun(s, deadlineUs);
  },
  // a server added with a zone is a new host (the trial adds it); every other one must exist
  namedServers: (s): ServerId[] => {
    const added = (s.change.kind === 'members' ? s.change.members : s.change.add).filter((m) => m.zone === undefined).map((m) => m.id);
    return s.change.kind === 'members' ? added : [...added, ...s.change.remove];
  },
};

/**
 * The text of the `reconfig` fault kind (config/fault-kinds.ts's table takes it): a timed
 * `reconfig` a client submits to the leader (ZooKeeper.reconfig; zookeeperReconfig.md), in
 * incremental form (`+6=az3/voter`, `-2`, `2=observer`, comma-separated) or with the whole new
 * member list (`members=1,2,3,6`). Servers the topology does not list may be added with their
 * zone (`+6=az3/voter`): the trial runs them from t = 0 as non-members on a new host there.
 */
import type { AddedMember, MemberRole, ReconfigChange } from '../model/reconfig.js';
import type { ServerId } from '../model/ids.js';
import type { FaultOf } from '../model/faults.js';
import { fail, knownServer, parseZone, type FaultParseContext } from './fault-parse.js';
import type { FaultSyntax, FaultTarget } from './fault-kinds.js';

const ROLES: readonly MemberRole[] = ['voter', 'observer'];
const EXAMPLE = 'e.g. reconfig:+6=az3/voter@10m, reconfig:-2@10m, reconfig:2=observer@10m, reconfig:members=1,2,3,6@10m';

/** `ID[=ZONE/ROLE|=ROLE|=ZONE]`: a member to add or re-role; an unknown id needs a zone. */
function parseMember(text: string, ctx: FaultParseContext): AddedMember {
  const [idText = '', spec] = text.split('=', 2).map((x) => x.trim());
  if (!/^\d+$/.test(idText) || Number(idText) < 1) fail(`expected a server id (a positive integer), found "${idText}" in ${ctx.quoted} (${EXAMPLE})`);
  const id: ServerId = Number(idText);
  let zone: string | undefined;
  let role: MemberRole = 'voter';
  if (spec !== undefined) {
    const slash = spec.indexOf('/');
    const zones = new Set(ctx.topology.servers.map((x) => x.zone));
    if (slash < 0 && !ROLES.includes(spec as MemberRole) && !zones.has(spec)) {
      fail(`expected a role (voter, observer), a zone or ZONE/ROLE after "${id}=", found "${spec}" in ${ctx.quoted} (zones: ${[...zones].join(', ')})`);
    }
    const [z, r] = slash >= 0 ? [spec.slice(0, slash), spec.slice(slash + 1)] : ROLES.includes(spec as MemberRole) ? [undefined, spec] : [spec, 'voter'];
    if (!ROLES.includes(r as MemberRole)) fail(`expected a role voter or observer for server ${id}, found "${r}" in ${ctx.quoted}`);
    role = r as MemberRole;
    if (z !== undefined) zone = parseZone(z, ctx);
  }
  const spec2 = ctx.topology.servers.find((s) => s.id === id);
  if (spec2 === undefined && zone === undefined) fail(`server ${id} is not in the topology: give the zone of its new host (+${id}=ZONE/${role}) in ${ctx.quoted}`);
  if (spec2 !== undefined && zone !== undefined && spec2.zone !== zone) fail(`server ${id} is in zone ${spec2.zone}, not ${zone}, in ${ctx.quoted}`);
  return zone !== undefined && spec2 === undefined ? { id, role, zone } : { id, role };
}

function parseChange(target: string, ctx: FaultParseContext): ReconfigChange {
  const t = target.trim();
  if (t === '') fail(`expected the change after "reconfig:" in ${ctx.quoted} (${EXAMPLE})`);
  if (t.startsWith('members=')) {
    const members = splitList(t.slice('members='.length)).map((m) => parseMember(m, ctx));
    if (members.length === 0) fail(`expected at least one member after "members=" in ${ctx.quoted}`);
    return { kind: 'members', members };
  }
  const add: AddedMember[] = [];
  const remove: ServerId[] = [];
  for (const part of splitList(t)) {
    if (part.startsWith('-')) remove.push(knownServer(Number(/^-\d+$/.test(part) ? part.slice(1) : NaN), ctx));
    else add.push(parseMember(part.startsWith('+') ? part.slice(1) : part, ctx));
  }
  const both = add.find((a) => remove.includes(a.id));
  if (both) fail(`server ${both.id} is both added and removed in ${ctx.quoted}`);
  return { kind: 'incremental', add, remove };
}

/** Commas split members, except the one inside `members=` lists (the same separator). */
function splitList(text: string): string[] {
  return text.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

function formatMember(m: AddedMember): string {
  if (m.zone !== undefined) return `${m.id}=${m.zone}/${m.role}`;
  return m.role === 'voter' ? `${m.id}` : `${m.id}=observer`;
}

/** The canonical text of a change (parseChange gives it back). */
export function formatChange(c: ReconfigChange): string {
  if (c.kind === 'members') return `members=${c.members.map(formatMember).join(',')}`;
  return [...c.add.map((m) => `+${formatMember(m)}`), ...c.remove.map((id) => `-${id}`)].join(',');
}

export const RECONFIG_SYNTAX: FaultSyntax<FaultOf<'reconfig'>> = {
  kind: 'reconfig',
  keywords: ['reconfig'],
  syntax: ['reconfig:+ID[=ZONE/ROLE],-ID,ID=ROLE@T', 'reconfig:members=ID[=ROLE],...@T'],
  help:
    'a client submits a reconfig to the leader at T (3.8 rules: reconfigEnabled, one at a time, a synced quorum of the new config, ≥ 2 voters with standaloneEnabled): ' +
    'add (+6=az3/voter: a server not in the topology runs from t = 0 on a new host in that zone), remove (-2), change a role (2=observer), or give the whole member list; no +DUR',
  noDuration: 'a reconfig is never repaired (submit another to undo it)',
  parse: (_keyword, target, ctx): FaultTarget<FaultOf<'reconfig'>> => ({ kind: 'reconfig', change: parseChange(target, ctx) }),
  head: (f) => `reconfig:${formatChange(f.change)}`,
};

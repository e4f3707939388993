/**
 * The membership lines of a zoo.cfg or dynamic file — `server.N`, `group.G`, `weight.N` — → the
 * servers with their roles, and the groups and weights of a hierarchical quorum. Pure; the rest
 * of the file is config/zoocfg.ts's.
 *
 * Follows 3.8.6 (zookeeper-server/src/main/java/org/apache/zookeeper/server/quorum/):
 *  - QuorumPeer.QuorumServer.initializeWithAddressString (with ConfigUtils.getHostAndPort):
 *    `host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort]`, several
 *    addresses joined by `|` only with multiAddress.enabled=true, the two ports different.
 *  - QuorumPeerConfig.parseDynamicConfig: any `group…` or `weight…` key makes the quorum
 *    hierarchical.
 *  - QuorumHierarchical.parse: `group.G=id:id:…` (a server in one group only, every participant
 *    in a group, "Server N is not in a group"), `weight.N=w` (default 1 for participants only);
 *    computeGroupWeight adds up each group's weights (an observer in a group has none: a
 *    NullPointerException) and leaves zero-weight groups out; containsQuorum then needs a weighted
 *    majority in a majority of the groups left, so with every weight 0 no set is a quorum.
 * Errors are ConfigErrors at file:line:column naming the key as written and what was expected.
 */
import type { ConfigError } from './errors.js';
import type { PropertyEntry } from './zoocfg-properties.js';

/** A place in a zoo.cfg or dynamic file (1-based). */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One `server.N` line. */
export interface ZooCfgServer {
  readonly id: number;
  /** the first address's host (brackets of an IPv6 literal removed) */
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly role: 'voter' | 'observer';
  /** where it was read: `zoo.cfg:7` */
  readonly source: string;
  /** the key's position, for errors found later (in the topology written from it) */
  readonly at: SourcePosition;
  /** the line's text, `server.1=zk1:2888:3888` */
  readonly text: string;
}

/** A voter's group and weight (hierarchical quorums). */
export interface GroupAndWeight {
  readonly group: number;
  readonly weight: number;
}

const MAX_INT = 2 ** 31 - 1;

/** Collects errors and notes while reading one file. */
export class Reader {
  readonly errors: ConfigError[] = [];
  readonly notes: string[] = [];
  constructor(readonly file: string) {}
  at(e: PropertyEntry): string {
    return `${this.file}:${e.line}`;
  }
  error(e: PropertyEntry, message: string, onValue = true): void {
    this.errorAt(e, onValue ? e.valueColumn : e.column, message);
  }
  /** An error at a column of the entry's line (a part of its value). */
  errorAt(e: PropertyEntry, column: number, message: string): void {
    this.errors.push({ file: this.file, path: e.key, line: e.line, column, message });
  }
  /** Integer.parseInt of the value, or an error (`hint` added after what was found). */
  int(e: PropertyEntry, min: number, what: string, hint = ''): number | undefined {
    const n = Number(e.value);
    if (/^[+-]?\d+$/.test(e.value) && n >= min && n <= MAX_INT) return n;
    this.error(e, `expected ${what}, found ${JSON.stringify(e.value)}${hint}${commentHint(e.value)}`);
    return undefined;
  }
}

/** Why a value holds a `#`: in a .properties file a comment is a whole line, so `2000 # ms` is the value. */
export function commentHint(value: string): string {
  return value.includes('#') ? ' (a # starts a comment only at the start of a line: here it is part of the value, as ZooKeeper reads it too)' : '';
}

/** `server.N`, `group.N`, `weight.N` → N (Long.parseLong of what follows the dot); null when not a whole number. */
export function suffixId(key: string): number | null {
  const m = /^[a-z]+\.(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

/** A piece of a value and its offset in the value. */
interface Part {
  readonly text: string;
  readonly offset: number;
}

function splitAt(s: string, sep: string, base: number): Part[] {
  const out: Part[] = [];
  let offset = base;
  for (const text of s.split(sep)) {
    out.push({ text, offset });
    offset += text.length + sep.length;
  }
  return out;
}

/** ConfigUtils.getHostAndPort: `[v6]:p:p` or `host:p:p`, each piece with its offset (`base` that of `s`). */
function hostAndPorts(s: string, base: number): Part[] {
  if (!s.startsWith('[')) return splitAt(s, ':', base);
  const close = s.indexOf(']');
  if (close < 0 || close + 1 >= s.length || s[close + 1] !== ':') return [];
  return [{ text: s.slice(1, close), offset: base + 1 }, ...splitAt(s.slice(close + 2), ':', base + close + 2)];
}

const SERVER_FORM = 'host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort], e.g. zk1.example.com:2888:3888;2181';

/** Why a server.N value does not have the form, when it can be told: an IPv6 address without brackets, or a bracket not closed. */
function formHint(address: string): string {
  if (address.startsWith('[')) return /\]:/.test(address) ? '' : ' (expected "]:" and the ports after an IPv6 address in brackets)';
  const looksV6 = /^[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,}/.test(address) && address.split(':').length > 4;
  return looksV6 ? ' (an IPv6 address goes in brackets: [2001:db8::1]:2888:3888)' : '';
}

function port(r: Reader, e: PropertyEntry, part: Part | undefined, which: string): number | undefined {
  const text = part?.text ?? '';
  const n = Number(text);
  if (/^\d+$/.test(text) && n <= 65535) return n;
  r.errorAt(e, e.valueColumn + (part?.offset ?? 0), `expected the ${which} (a port, 0-65535), found ${JSON.stringify(text)} in ${SERVER_FORM.split(',')[0]}${commentHint(text)}`);
  return undefined;
}

/** The `;[clientHost:]clientPort` part is well formed (or absent); else an error at it. */
function clientPartOk(r: Reader, e: PropertyEntry, value: string, pieces: Part[]): boolean {
  const [, client, extra] = pieces;
  if (extra !== undefined) {
    r.errorAt(e, e.valueColumn + extra.offset - 1, `expected at most one ";" (before the client address), found ${JSON.stringify(value)}`);
    return false;
  }
  if (client === undefined) return true;
  const parts = hostAndPorts(client.text.trim(), client.offset);
  const last = parts[parts.length - 1];
  if (parts.length > 2 || last === undefined || !/^\d+$/.test(last.text) || Number(last.text) > 65535) {
    r.errorAt(e, e.valueColumn + client.offset, `expected the client address [clientHost:]clientPort after ";", found ${JSON.stringify(client.text)}`);
    return false;
  }
  return true;
}

/** One `server.N=…` line, or undefined after recording the error. */
export function readServer(r: Reader, e: PropertyEntry, multiAddress: boolean): ZooCfgServer | undefined {
  const id = suffixId(e.key);
  if (id === null || id < 1 || !Number.isSafeInteger(id)) {
    r.error(e, 'expected server.N with N the server id (myid), a positive whole number', false);
    return undefined;
  }
  const value = e.value.trim();
  const pieces = splitAt(value, ';', 0);
  if (!clientPartOk(r, e, value, pieces)) return undefined;
  const addresses = splitAt(pieces[0]?.text ?? '', '|', 0);
  if (addresses.length > 1 && !multiAddress) {
    r.errorAt(e, e.valueColumn + (addresses[1]?.offset ?? 0), `several addresses (a|b) need multiAddress.enabled=true, as in ZooKeeper; found ${JSON.stringify(value)}`);
    return undefined;
  }
  const first = addresses[0] ?? { text: '', offset: 0 };
  const parts = hostAndPorts(first.text, 0);
  const [host, qp, ep, type] = parts;
  if (parts.length < 3 || parts.length > 4 || host === undefined || host.text === '') {
    r.error(e, `expected ${SERVER_FORM}, found ${JSON.stringify(value)}${formHint(first.text)}`);
    return undefined;
  }
  const quorumPort = port(r, e, qp, 'quorum port');
  const electionPort = port(r, e, ep, 'election port');
  if (quorumPort === undefined || electionPort === undefined) return undefined;
  if (quorumPort === electionPort) {
    r.errorAt(e, e.valueColumn + (ep?.offset ?? 0), `expected different quorum and election ports, found ${quorumPort} twice`);
    return undefined;
  }
  const t = type?.text.trim().toLowerCase();
  if (t !== undefined && t !== 'participant' && t !== 'observer') {
    r.errorAt(e, e.valueColumn + (type?.offset ?? 0), `expected the role participant or observer after the ports, found ${JSON.stringify(type?.text)}`);
    return undefined;
  }
  const role = t === 'observer' ? 'observer' : 'voter';
  if (addresses.length > 1) r.notes.push(`${r.at(e)}: server.${id} has ${addresses.length} addresses; zksim models one network path per server and uses the first, ${host.text}`);
  const at = { file: r.file, line: e.line, column: e.column };
  return { id, host: host.text, quorumPort, electionPort, role, source: r.at(e), at, text: `${e.key}=${value}` };
}

/** The `server.N` lines, by id; two keys naming one id (server.1, server.01) are an error. */
export function readServers(r: Reader, members: readonly PropertyEntry[], multiAddress: boolean): ZooCfgServer[] {
  const byId = new Map<number, ZooCfgServer>();
  for (const e of members.filter((x) => x.key.startsWith('server.'))) {
    const s = readServer(r, e, multiAddress);
    if (s === undefined) continue;
    const earlier = byId.get(s.id);
    // Properties sees two keys; ZooKeeper's map of servers keeps one of them, whichever it meets last
    if (earlier !== undefined) r.error(e, `server ${s.id} is already given by ${earlier.text.split('=')[0]} (${earlier.source}); give each server id one line`, false);
    else byId.set(s.id, s);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Where each server id is grouped, and the group line (with the id's column) that says so. */
type GroupOf = Map<number, { readonly group: number; readonly entry: PropertyEntry; readonly column: number }>;
/** Each `weight.N`, with its line. */
type WeightOf = Map<number, { readonly weight: number; readonly entry: PropertyEntry }>;

function readGroupLines(r: Reader, entries: readonly PropertyEntry[]): GroupOf {
  const groupOf: GroupOf = new Map();
  for (const e of entries.filter((x) => x.key.startsWith('group'))) {
    const n = suffixId(e.key);
    if (n === null || n < 1) r.error(e, 'expected group.G with G a positive whole number (zksim numbers groups from 1)', false);
    for (const part of splitAt(e.value, ':', 0)) {
      const s = part.text.trim();
      const column = e.valueColumn + part.offset + (part.text.length - part.text.trimStart().length);
      const earlier = groupOf.get(Number(s));
      if (!/^\d+$/.test(s)) r.errorAt(e, column, `expected server ids separated by ":" (e.g. 1:2:3), found ${JSON.stringify(e.value)}${commentHint(e.value)}`);
      else if (earlier !== undefined) r.errorAt(e, column, `server ${s} is in two groups, here and ${earlier.entry.key} (${r.at(earlier.entry)}); a server belongs to one group only (QuorumHierarchical.parse)`);
      else if (n !== null) groupOf.set(Number(s), { group: n, entry: e, column });
    }
  }
  return groupOf;
}

function readWeightLines(r: Reader, entries: readonly PropertyEntry[]): WeightOf {
  const weightOf: WeightOf = new Map();
  for (const e of entries.filter((x) => x.key.startsWith('weight'))) {
    const n = suffixId(e.key);
    if (n === null) r.error(e, 'expected weight.N with N a server id', false);
    const w = r.int({ ...e, value: e.value.trim() }, 0, 'a weight, a whole number ≥ 0');
    if (n !== null && w !== undefined) weightOf.set(n, { weight: w, entry: e });
  }
  return weightOf;
}

/** Group members that are not voters: no server.N line, or an observer (QuorumHierarchical.computeGroupWeight). */
function checkGroupMembers(r: Reader, groupOf: GroupOf, weightOf: WeightOf, byId: ReadonlyMap<number, ZooCfgServer>): void {
  for (const [id, { entry, column }] of groupOf) {
    const s = byId.get(id);
    if (s === undefined) r.errorAt(entry, column, `expected the ids of servers, found ${id}, which has no server.${id} line`);
    else if (s.role === 'observer') {
      const why = weightOf.has(id)
        ? `ZooKeeper 3.8 would count weight.${id} in ${entry.key}'s total though an observer never acknowledges a proposal, so that group could not reach a weighted majority as its weights say`
        : 'ZooKeeper 3.8 fails to start on it with a NullPointerException (QuorumHierarchical.computeGroupWeight adds up the weights of grouped servers, and an observer has none)';
      r.errorAt(entry, column, `expected voters only, found server ${id}, an observer (${s.source}): observers do not vote, so they are in no group; ${why}. Remove ${id} from ${entry.key}`);
    }
  }
  for (const [id, { entry }] of weightOf) {
    const s = byId.get(id);
    if (s === undefined) r.error(entry, `expected weight.N for a server, found no server.${id} line`, false);
    else if (s.role === 'observer' && !groupOf.has(id)) r.notes.push(`${r.at(entry)}: ${entry.key} is the weight of an observer, which does not vote; not used (ZooKeeper 3.8 does not use it either)`);
  }
}

/** Every voter weighs 0: no set of servers is a quorum (QuorumHierarchical.containsQuorum). */
function checkSomeWeight(r: Reader, voters: readonly ZooCfgServer[], weightOf: WeightOf): void {
  const zero = voters.map((v) => weightOf.get(v.id));
  if (voters.length === 0 || !zero.every((w) => w !== undefined && w.weight === 0)) return;
  const lines = zero.flatMap((w) => (w === undefined ? [] : [w.entry])).sort((a, b) => a.line - b.line);
  const first = lines[0] as PropertyEntry;
  r.error(
    first,
    `expected at least one voter with a weight ≥ 1, found every voter's weight 0 (${lines.map((e) => e.key).join(', ')}): no set of servers is then a quorum. ` +
      'ZooKeeper 3.8 starts, but never elects a leader (QuorumHierarchical.computeGroupWeight leaves zero-weight groups out and containsQuorum then finds no weighted majority)',
  );
}

/**
 * `group.G` and `weight.N` lines (QuorumHierarchical.parse) → each voter's group and weight
 * (default 1), checked against the servers: weights without groups, observers in groups, a voter
 * in no group and all-zero weights are errors, each at the line to change.
 */
export function readGroups(r: Reader, entries: readonly PropertyEntry[], servers: readonly ZooCfgServer[]): Map<number, GroupAndWeight> {
  const out = new Map<number, GroupAndWeight>();
  const before = r.errors.length;
  const groupOf = readGroupLines(r, entries);
  // a voter missing from a group line already in error is that error's consequence, not another
  const groupLinesOk = r.errors.length === before;
  const weightOf = readWeightLines(r, entries);
  const firstWeight = entries.find((e) => e.key.startsWith('weight'));
  if (!entries.some((e) => e.key.startsWith('group')) && firstWeight !== undefined) {
    r.error(
      firstWeight,
      'expected group.G=id:id:… lines with weight.N: weights only apply within the groups of a hierarchical quorum, and there are none. ' +
        'ZooKeeper 3.8 reads any weight.N line as a hierarchical quorum and then refuses to start, every voter being in no group (QuorumHierarchical.parse); add group lines or remove the weight lines',
      false,
    );
    return out;
  }
  const errorsBefore = r.errors.length;
  checkGroupMembers(r, groupOf, weightOf, new Map(servers.map((s) => [s.id, s])));
  const voters = servers.filter((x) => x.role === 'voter');
  for (const s of voters) {
    const group = groupOf.get(s.id)?.group;
    if (group !== undefined) out.set(s.id, { group, weight: weightOf.get(s.id)?.weight ?? 1 });
    else if (groupLinesOk) r.errors.push({ ...s.at, path: `server.${s.id}`, message: `expected every voter in a group.G line when there are groups, found server ${s.id} in none (ZooKeeper 3.8 refuses it: QuorumHierarchical.parse)` });
  }
  if (r.errors.length === errorsBefore) checkSomeWeight(r, voters, weightOf);
  return out;
}

/**
 * A ZooKeeper 3.8 `zoo.cfg` (and its dynamic-config file) → what a topology needs: the servers
 * with their roles, hierarchical-quorum groups and weights, and the timing settings. Pure (text
 * in, data out); config/zoocfg-topology.ts writes the topology YAML, cli/commands/import.ts and
 * cli/io.ts loadTopology read the files.
 *
 * Follows the 3.8.6 parser (zookeeper-server/src/main/java/org/apache/zookeeper/server/quorum/):
 *  - QuorumPeerConfig.parseProperties: the static keys; a key it does not know becomes the system
 *    property `zookeeper.<key>` (that is how `cnxTimeout`, read by QuorumCnxManager as
 *    `zookeeper.cnxTimeout`, is set from zoo.cfg); `server.`, `group`, `weight` keys beside a
 *    `dynamicConfigFile` are refused ("must be in a separate dynamic config file").
 *  - QuorumPeerConfig.parse: the dynamic file's version comes from its name's hex suffix
 *    (getVersionFromFilename: zoo.cfg.dynamic.100000000 → 100000000).
 *  - QuorumPeerConfig.parseDynamicConfig: only `server.`, `group`, `weight` and `version` keys in
 *    a dynamic file ("Unrecognised parameter"); observers without voters are invalid.
 *  - QuorumPeer.QuorumServer.initializeWithAddressString (with ConfigUtils.getHostAndPort):
 *    `host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort]`, several
 *    addresses joined by `|` only with multiAddress.enabled=true, the two ports different.
 *  - QuorumHierarchical.parse: `group.G=id:id:…` (a server in one group only, every voter in a
 *    group), `weight.N=w` (default 1).
 *  - QuorumPeerConfig.checkValidity: initLimit and syncLimit must be set in a distributed config;
 *    setupPeerType: the servers list, not `peerType`, decides a server's role.
 * Errors are ConfigErrors at file:line:column naming the key and what was expected.
 */
import type { ConfigError } from './errors.js';
import { ZK_IGNORED_KEYS, ZK_UNSUPPORTED_KEYS } from './schema.js';
import { parseProperties, type PropertyEntry } from './zoocfg-properties.js';

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
  /** the line's text, `server.1=zk1:2888:3888` */
  readonly text: string;
}

/** A setting the topology's `zookeeper:` section takes, with where it came from. */
export interface ZooCfgSetting {
  /** the topology key (the zoo.cfg key: they are the same) */
  readonly key: string;
  readonly value: number | boolean;
  /** `zoo.cfg:3`, or why it was set without the file saying so */
  readonly source: string;
}

/** A key read and not used, with why. */
export interface ZooCfgIgnored {
  readonly key: string;
  readonly source: string;
  readonly reason: string;
}

export interface ZooCfg {
  readonly servers: readonly ZooCfgServer[];
  readonly hierarchical: boolean;
  /** server id → group id and weight (hierarchical quorums; voters only) */
  readonly groups: ReadonlyMap<number, { readonly group: number; readonly weight: number }>;
  readonly settings: readonly ZooCfgSetting[];
  readonly ignored: readonly ZooCfgIgnored[];
  /** things worth saying on stderr (a duplicate key, peerType, a non-default unmodelled setting) */
  readonly notes: readonly string[];
  /** the dynamic configuration's version (hex, as ZooKeeper prints it), or null */
  readonly version: string | null;
}

export type ZooCfgResult = { readonly ok: true; readonly cfg: ZooCfg } | { readonly ok: false; readonly errors: ConfigError[] };

/** One input file: its name (for messages) and text. */
export interface ZooCfgFile {
  readonly file: string;
  readonly text: string;
}

/** The integer settings, as QuorumPeerConfig.parseProperties reads them (Integer.parseInt). */
const INT_KEYS: Readonly<Record<string, { min: number; what: string }>> = {
  tickTime: { min: 1, what: 'a positive number of milliseconds' },
  initLimit: { min: 1, what: 'a positive number of ticks' },
  syncLimit: { min: 1, what: 'a positive number of ticks' },
  connectToLearnerMasterLimit: { min: 0, what: 'a number of ticks (0: initLimit)' },
  cnxTimeout: { min: 1, what: 'a positive number of milliseconds' },
  minSessionTimeout: { min: -1, what: 'a number of milliseconds (-1: 2 × tickTime)' },
  maxSessionTimeout: { min: -1, what: 'a number of milliseconds (-1: 20 × tickTime)' },
};
const BOOLEAN_KEYS = ['reconfigEnabled', 'standaloneEnabled'] as const;
/** The 3.8 defaults of ZK_UNSUPPORTED_KEYS' settings: at these values nothing is lost. */
const UNSUPPORTED_DEFAULTS: Readonly<Record<string, string>> = { leaderServes: 'yes', forceSync: 'yes', syncEnabled: 'true' };
const MAX_INT = 2 ** 31 - 1;

/** Collects errors and notes while reading one file. */
class Reader {
  readonly errors: ConfigError[] = [];
  readonly notes: string[] = [];
  constructor(readonly file: string) {}
  at(e: PropertyEntry): string {
    return `${this.file}:${e.line}`;
  }
  error(e: PropertyEntry, message: string, onValue = true): void {
    this.errors.push({ file: this.file, path: e.key, line: e.line, column: onValue ? e.valueColumn : e.column, message });
  }
  /** Integer.parseInt of the value, or an error. */
  int(e: PropertyEntry, min: number, what: string): number | undefined {
    const n = Number(e.value);
    if (/^[+-]?\d+$/.test(e.value) && n >= min && n <= MAX_INT) return n;
    this.error(e, `expected ${what}, found ${JSON.stringify(e.value)}`);
    return undefined;
  }
}

/** `server.N`, `group.N`, `weight.N` → N (Long.parseLong of what follows the dot); null when not a whole number. */
function suffixId(key: string): number | null {
  const m = /^[a-z]+\.(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

/** ConfigUtils.getHostAndPort: `[v6]:p:p` or `host:p:p`. */
function hostAndPorts(s: string): string[] {
  if (!s.startsWith('[')) return s.split(':');
  const close = s.indexOf(']');
  if (close < 0 || close + 1 >= s.length || s[close + 1] !== ':') return [];
  return [s.slice(1, close), ...s.slice(close + 2).split(':')];
}

const SERVER_FORM = 'host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort], e.g. zk1.example.com:2888:3888;2181';

function port(r: Reader, e: PropertyEntry, text: string, which: string): number | undefined {
  const n = Number(text);
  if (/^\d+$/.test(text) && n <= 65535) return n;
  r.error(e, `expected the ${which} (a port, 0-65535), found ${JSON.stringify(text)} in ${SERVER_FORM.split(',')[0]}`);
  return undefined;
}

/** One `server.N=…` line, or undefined after recording the error. */
function readServer(r: Reader, e: PropertyEntry, multiAddress: boolean): ZooCfgServer | undefined {
  const id = suffixId(e.key);
  if (id === null || id < 1 || !Number.isSafeInteger(id)) {
    r.error(e, 'expected server.N with N the server id (myid), a positive whole number', false);
    return undefined;
  }
  const value = e.value.trim();
  const [serverPart = '', client, ...extra] = value.split(';');
  if (extra.length > 0 || (client !== undefined && (hostAndPorts(client.trim()).length > 2 || !/^\d+$/.test(hostAndPorts(client.trim()).pop() ?? '')))) {
    r.error(e, `expected ${SERVER_FORM}, found ${JSON.stringify(value)}`);
    return undefined;
  }
  const addresses = serverPart.split('|');
  if (addresses.length > 1 && !multiAddress) {
    r.error(e, `several addresses (a|b) need multiAddress.enabled=true, as in ZooKeeper; found ${JSON.stringify(value)}`);
    return undefined;
  }
  const parts = hostAndPorts(addresses[0] ?? '');
  const [host = '', qp = '', ep = '', type] = parts;
  if (parts.length < 3 || parts.length > 4 || host === '') {
    r.error(e, `expected ${SERVER_FORM}, found ${JSON.stringify(value)}`);
    return undefined;
  }
  const quorumPort = port(r, e, qp, 'quorum port');
  const electionPort = port(r, e, ep, 'election port');
  if (quorumPort === undefined || electionPort === undefined) return undefined;
  if (quorumPort === electionPort) {
    r.error(e, `expected different quorum and election ports, found ${quorumPort} twice`);
    return undefined;
  }
  const t = type?.trim().toLowerCase();
  if (t !== undefined && t !== 'participant' && t !== 'observer') {
    r.error(e, `expected the role participant or observer after the ports, found ${JSON.stringify(type)}`);
    return undefined;
  }
  const role = t === 'observer' ? 'observer' : 'voter';
  if (addresses.length > 1) r.notes.push(`${r.at(e)}: server.${id} has ${addresses.length} addresses; zksim models one network path per server and uses the first, ${host}`);
  return { id, host, quorumPort, electionPort, role, source: r.at(e), text: `${e.key}=${value}` };
}

/** `group.G` and `weight.N` lines (QuorumHierarchical.parse). */
function readGroups(r: Reader, entries: readonly PropertyEntry[], servers: readonly ZooCfgServer[]): Map<number, { group: number; weight: number }> {
  const groupOf = new Map<number, number>();
  const weightOf = new Map<number, number>();
  for (const e of entries) {
    const n = suffixId(e.key);
    if (e.key.startsWith('group')) {
      if (n === null || n < 1) r.error(e, 'expected group.G with G a positive whole number (zksim numbers groups from 1)', false);
      const ids = e.value.split(':').map((s) => s.trim());
      for (const s of ids) {
        if (!/^\d+$/.test(s)) r.error(e, `expected server ids separated by ":" (e.g. 1:2:3), found ${JSON.stringify(e.value)}`);
        else if (groupOf.has(Number(s))) r.error(e, `server ${s} is in two groups (a server belongs to one group only)`);
        else if (n !== null) groupOf.set(Number(s), n);
      }
    } else if (e.key.startsWith('weight')) {
      if (n === null) r.error(e, 'expected weight.N with N a server id', false);
      const w = r.int(e, 0, 'a weight, a whole number ≥ 0');
      if (n !== null && w !== undefined) weightOf.set(n, w);
    }
  }
  const out = new Map<number, { group: number; weight: number }>();
  const known = new Set(servers.map((s) => s.id));
  for (const [id] of [...groupOf, ...weightOf]) {
    if (!known.has(id)) r.errors.push({ file: r.file, path: 'group', message: `server ${id} is in a group or has a weight but has no server.${id} line` });
  }
  for (const s of servers.filter((x) => x.role === 'voter')) {
    const group = groupOf.get(s.id);
    if (group === undefined) r.errors.push({ file: r.file, path: `server.${s.id}`, message: `with group.N lines every voter must be in a group; server ${s.id} (${s.source}) is in none` });
    else out.set(s.id, { group, weight: weightOf.get(s.id) ?? 1 });
  }
  return out;
}

/** The dynamic file's version from its name (QuorumPeerConfig.getVersionFromFilename), or null. */
export function versionFromFilename(file: string): string | null {
  const suffix = file.slice(file.lastIndexOf('.') + 1);
  return /^[0-9a-fA-F]{1,16}$/.test(suffix) && file.includes('.') ? BigInt(`0x${suffix}`).toString(16) : null;
}

/** `dynamicConfigFile=PATH` of a zoo.cfg text with its line, or null. */
export function dynamicConfigFileOf(text: string): { readonly path: string; readonly line: number } | null {
  const e = parseProperties(text).entries.find((x) => x.key === 'dynamicConfigFile');
  return e === undefined ? null : { path: e.value.trim(), line: e.line };
}

/** True when the text is a zoo.cfg or dynamic file rather than YAML: it has a `server.N=` or a ZooKeeper `key=value` line. */
export function looksLikeZooCfg(text: string): boolean {
  return /^[ \t]*(server\.\d+|group\.\d+|tickTime|initLimit|syncLimit|dataDir|clientPort|dynamicConfigFile)[ \t]*=/m.test(text);
}

const isMembership = (key: string): boolean => key.startsWith('server.') || key.startsWith('group') || key.startsWith('weight');

/** The static keys of a zoo.cfg (everything but the membership lines): settings, ignored keys, notes. */
function readStatic(r: Reader, entries: readonly PropertyEntry[], dynamic: boolean) {
  const settings: ZooCfgSetting[] = [];
  const ignored: ZooCfgIgnored[] = [];
  const notes: string[] = [];
  for (const e of entries) {
    const value = e.value.trim();
    if (isMembership(e.key)) {
      if (dynamic) r.error(e, `${e.key} must be in the dynamic config file when dynamicConfigFile is set (QuorumPeerConfig.parseProperties)`, false);
    } else if (INT_KEYS[e.key] !== undefined) {
      const spec = INT_KEYS[e.key] as { min: number; what: string };
      const n = r.int({ ...e, value }, spec.min, spec.what);
      // -1 is ZooKeeper's "unset" for the session bounds; zksim's is 0
      if (n !== undefined && n !== -1) settings.push({ key: e.key, value: n, source: r.at(e) });
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(e.key)) {
      if (!/^(true|false)$/i.test(value)) r.error(e, `expected true or false, found ${JSON.stringify(value)}`);
      else settings.push({ key: e.key, value: value.toLowerCase() === 'true', source: r.at(e) });
    } else if (e.key === 'electionAlg') {
      if (value !== '3') r.error(e, `expected 3 (the only election algorithm ZooKeeper 3.8 has), found ${JSON.stringify(value)}`);
    } else if (e.key === 'peerType') {
      if (!/^(observer|participant)$/i.test(value)) r.error(e, `expected observer or participant, found ${JSON.stringify(value)}`);
      ignored.push({ key: e.key, source: r.at(e), reason: 'the role of the server reading this file; roles come from the server.N lines, which win (QuorumPeerConfig.setupPeerType)' });
    } else if (e.key === 'dynamicConfigFile' || e.key === 'multiAddress.enabled' || e.key === 'version') {
      continue;
    } else ignored.push(ignoredKey(e, value, r.at(e), notes));
  }
  return { settings, ignored, notes };
}

function ignoredKey(e: PropertyEntry, value: string, source: string, notes: string[]): ZooCfgIgnored {
  const unsupported = ZK_UNSUPPORTED_KEYS[e.key];
  if (unsupported !== undefined) {
    const atDefault = UNSUPPORTED_DEFAULTS[e.key]?.toLowerCase() === value.toLowerCase();
    if (!atDefault) notes.push(`${source}: ${e.key}=${value} is not modelled: ${unsupported}`);
    return { key: e.key, source, reason: atDefault ? 'the value the model assumes' : `not modelled: ${unsupported}` };
  }
  // metricsProvider.* configure the metrics provider (QuorumPeerConfig.parseProperties)
  if (ZK_IGNORED_KEYS[e.key] !== undefined || e.key.startsWith('metricsProvider.')) return { key: e.key, source, reason: 'nothing the model computes depends on it' };
  return { key: e.key, source, reason: 'unknown to zksim (ZooKeeper 3.8 sets the system property zookeeper.KEY from each)' };
}

/**
 * Read a zoo.cfg and, when it names one (or for a dynamic file given alone), its dynamic file.
 * `main` may itself be a dynamic file (server.N lines only): then zksim's defaults stand in for
 * the settings. Every problem in both files is reported.
 */
export function readZooCfg(main: ZooCfgFile, dynamicFile?: ZooCfgFile): ZooCfgResult {
  const r = new Reader(main.file);
  const parsed = parseProperties(main.text);
  for (const p of parsed.problems) r.errors.push({ file: main.file, path: '', line: p.line, column: p.column, message: p.message });
  const multiAddress = parsed.entries.some((e) => e.key === 'multiAddress.enabled' && e.value.trim().toLowerCase() === 'true');
  const hasDynamic = parsed.entries.some((e) => e.key === 'dynamicConfigFile') || dynamicFile !== undefined;
  const { settings, ignored, notes } = readStatic(r, parsed.entries, hasDynamic);
  for (const d of parsed.duplicates) notes.push(`${main.file}:${d.line}: ${d.key} is given again later; the last one counts (java.util.Properties)`);
  let members = parsed.entries.filter((e) => isMembership(e.key));
  let memberReader = r;
  // a dynamic file given alone may carry its version (as `zkCli.sh config` prints it)
  const membersOnly = !hasDynamic && parsed.entries.every((e) => isMembership(e.key) || e.key === 'version');
  let version: string | null = parsed.entries.find((e) => e.key === 'version')?.value.trim() ?? (membersOnly ? versionFromFilename(main.file) : null);
  if (dynamicFile !== undefined) {
    memberReader = new Reader(dynamicFile.file);
    const dyn = parseProperties(dynamicFile.text);
    for (const p of dyn.problems) memberReader.errors.push({ file: dynamicFile.file, path: '', line: p.line, column: p.column, message: p.message });
    members = dyn.entries.filter((e) => isMembership(e.key));
    version = versionFromFilename(dynamicFile.file);
    for (const e of dyn.entries.filter((x) => !isMembership(x.key))) {
      if (e.key === 'version') {
        version = e.value.trim();
        notes.push(`${memberReader.at(e)}: version=${version} read as the configuration's version; ZooKeeper refuses a version inside the file dynamicConfigFile names ("dynamic file shouldn't have version inside") and takes it from the file name`);
      } else memberReader.error(e, 'expected only server.N, group.N, weight.N and version lines in a dynamic config file (QuorumPeerConfig.parseDynamicConfig: "Unrecognised parameter")', false);
    }
  }
  const servers = readServers(memberReader, members, multiAddress);
  const hierarchical = members.some((e) => e.key.startsWith('group') || e.key.startsWith('weight'));
  const groups = hierarchical ? readGroups(memberReader, members, servers) : new Map<number, { group: number; weight: number }>();
  checkWhole(r, servers, settings, membersOnly);
  const errors = [...r.errors, ...(memberReader === r ? [] : memberReader.errors)];
  if (errors.length > 0) return { ok: false, errors };
  notes.push(...memberReader.notes);
  return { ok: true, cfg: { servers, hierarchical, groups, settings, ignored, notes, version } };
}

function readServers(r: Reader, members: readonly PropertyEntry[], multiAddress: boolean): ZooCfgServer[] {
  const servers: ZooCfgServer[] = [];
  for (const e of members.filter((x) => x.key.startsWith('server.'))) {
    const s = readServer(r, e, multiAddress);
    if (s !== undefined) servers.push(s);
  }
  return servers.sort((a, b) => a.id - b.id);
}

/** The checks on the whole configuration (parseDynamicConfig, checkValidity). */
function checkWhole(r: Reader, servers: readonly ZooCfgServer[], settings: readonly ZooCfgSetting[], membersOnly: boolean): void {
  const voters = servers.filter((s) => s.role === 'voter').length;
  if (servers.length === 0) {
    r.errors.push({ file: r.file, path: 'server.N', message: 'expected server.N lines (host:quorumPort:electionPort): without them ZooKeeper runs one standalone server, and zksim simulates ensembles' });
  } else if (voters === 0) {
    r.errors.push({ file: r.file, path: 'server.N', message: 'expected at least one participant: observers without participants are an invalid configuration (QuorumPeerConfig.parseDynamicConfig)' });
  }
  if (membersOnly) return; // a dynamic file given alone: zksim's defaults stand in for the settings
  for (const key of ['initLimit', 'syncLimit']) {
    if (voters > 1 && !settings.some((s) => s.key === key)) r.errors.push({ file: r.file, path: key, message: `expected ${key}=N (ticks): ZooKeeper refuses a distributed configuration without it ("${key} is not set", QuorumPeerConfig.checkValidity)` });
  }
}

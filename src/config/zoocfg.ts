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
 *  - the membership lines (QuorumPeer.QuorumServer, QuorumHierarchical): config/zoocfg-members.ts.
 *  - QuorumPeerConfig.parseProperties: minSessionTimeout ≤ maxSessionTimeout, each -1 or unset
 *    standing for 2 and 20 × tickTime ("minSessionTimeout must not be larger than maxSessionTimeout");
 *    0 is a bound, not unset (ZooKeeperServer.setMinSessionTimeout maps only -1 to the default).
 *  - QuorumPeerConfig.checkValidity: initLimit and syncLimit must be set in a distributed config
 *    (0 counts as unset: "initLimit is not set"); setupPeerType: the servers list, not `peerType`,
 *    decides a server's role.
 * Errors are ConfigErrors at file:line:column naming the key and what was expected.
 */
import type { ConfigError } from './errors.js';
import { ZK_IGNORED_KEYS, ZK_UNSUPPORTED_KEYS } from './schema.js';
import { closest } from './suggest.js';
import { Reader, readGroups, readServers, type GroupAndWeight, type SourcePosition, type ZooCfgServer } from './zoocfg-members.js';
import { parseProperties, type ParsedProperties, type PropertyEntry } from './zoocfg-properties.js';

export type { SourcePosition, ZooCfgServer } from './zoocfg-members.js';

/** A setting the topology's `zookeeper:` section takes, with where it came from. */
export interface ZooCfgSetting {
  /** the topology key (the zoo.cfg key: they are the same) */
  readonly key: string;
  readonly value: number | boolean;
  /** `zoo.cfg:3`, or why it was set without the file saying so */
  readonly source: string;
  /** where its value is, when a file set it */
  readonly at?: SourcePosition;
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
  readonly groups: ReadonlyMap<number, GroupAndWeight>;
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
/** ZooKeeper's default tickTime (ZooKeeperServer.DEFAULT_TICK_TIME), ms. */
export const ZK_DEFAULT_TICK_TIME_MS = 3000;
const BOOLEAN_KEYS = ['reconfigEnabled', 'standaloneEnabled'] as const;
/** The other keys read here, for a near miss (`ticktime`, `Server.1`) to be named. */
const READ_KEYS = ['electionAlg', 'peerType', 'dynamicConfigFile', 'multiAddress.enabled', 'server.N', 'group.N', 'weight.N'];
/** The 3.8 defaults of ZK_UNSUPPORTED_KEYS' settings: at these values nothing is lost. */
const UNSUPPORTED_DEFAULTS: Readonly<Record<string, string>> = { leaderServes: 'yes', forceSync: 'yes', syncEnabled: 'true' };
/** The dynamic file's version from its name (QuorumPeerConfig.getVersionFromFilename), or null. */
export function versionFromFilename(file: string): string | null {
  const suffix = file.slice(file.lastIndexOf('.') + 1);
  return /^[0-9a-fA-F]{1,16}$/.test(suffix) && file.includes('.') ? BigInt(`0x${suffix}`).toString(16) : null;
}

/** `dynamicConfigFile=PATH` of a zoo.cfg text with its line and the column of PATH, or null. */
export function dynamicConfigFileOf(text: string): { readonly path: string; readonly line: number; readonly column: number } | null {
  const e = parseProperties(text).entries.find((x) => x.key === 'dynamicConfigFile');
  return e === undefined ? null : { path: e.value.trim(), line: e.line, column: e.valueColumn };
}

/** True when the text is a zoo.cfg or dynamic file rather than YAML: it has a `server.N=` or a ZooKeeper `key=value` line. */
export function looksLikeZooCfg(text: string): boolean {
  return /^\uFEFF?[ \t]*(server\.\d+|group\.\d+|tickTime|initLimit|syncLimit|dataDir|clientPort|dynamicConfigFile)[ \t]*=/m.test(text);
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
      // ZooKeeper reads a 0 limit as one never set (checkValidity): say so with the one error
      const unset = /^(initLimit|syncLimit)$/.test(e.key) && /^[+-]?0+$/.test(value) ? ` (ZooKeeper 3.8 takes 0 as not set and refuses to start: "${e.key} is not set", QuorumPeerConfig.checkValidity)` : '';
      const n = r.int({ ...e, value }, spec.min, spec.what, unset);
      // -1 is ZooKeeper's "unset" for the session bounds; zksim's is 0
      if (n !== undefined && n !== -1) settings.push({ key: e.key, value: n, source: r.at(e), at: { file: r.file, line: e.line, column: e.valueColumn } });
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(e.key)) {
      if (!/^(true|false)$/i.test(value)) r.error(e, `expected true or false, found ${JSON.stringify(value)}`);
      else settings.push({ key: e.key, value: value.toLowerCase() === 'true', source: r.at(e), at: { file: r.file, line: e.line, column: e.valueColumn } });
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
  const known = [...Object.keys(INT_KEYS), ...BOOLEAN_KEYS, ...READ_KEYS, ...Object.keys(ZK_IGNORED_KEYS), ...Object.keys(ZK_UNSUPPORTED_KEYS)];
  const like = closest(e.key.replace(/\.\d+$/, '.N'), known);
  if (like !== undefined) notes.push(`${source}: ${e.key} is not a key zksim knows, and is ignored; did you mean ${like.replace('.N', e.key.slice(e.key.lastIndexOf('.')))}? (keys are case-sensitive: ZooKeeper 3.8 ignores a misspelt one too)`);
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
  r.notes.push(...bomNote(main.file, parsed));
  const multiAddress = parsed.entries.some((e) => e.key === 'multiAddress.enabled' && e.value.trim().toLowerCase() === 'true');
  const hasDynamic = parsed.entries.some((e) => e.key === 'dynamicConfigFile') || dynamicFile !== undefined;
  const { settings, ignored, notes } = readStatic(r, parsed.entries, hasDynamic);
  notes.push(...duplicateNotes(main.file, parsed));
  let members = parsed.entries.filter((e) => isMembership(e.key));
  let memberReader = r;
  // a dynamic file given alone may carry its version (as `zkCli.sh config` prints it)
  const membersOnly = !hasDynamic && parsed.entries.every((e) => isMembership(e.key) || e.key === 'version');
  let version: string | null = parsed.entries.find((e) => e.key === 'version')?.value.trim() ?? (membersOnly ? versionFromFilename(main.file) : null);
  if (dynamicFile !== undefined) {
    memberReader = new Reader(dynamicFile.file);
    const dyn = parseProperties(dynamicFile.text);
    for (const p of dyn.problems) memberReader.errors.push({ file: dynamicFile.file, path: '', line: p.line, column: p.column, message: p.message });
    memberReader.notes.push(...bomNote(dynamicFile.file, dyn), ...duplicateNotes(dynamicFile.file, dyn));
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
  const groups = hierarchical ? readGroups(memberReader, members, servers) : new Map<number, GroupAndWeight>();
  const serverLines = members.filter((e) => e.key.startsWith('server.')).length;
  const standaloneEnabled = settings.find((x) => x.key === 'standaloneEnabled')?.value !== false;
  checkWhole(memberReader, servers, serverLines, standaloneEnabled);
  if (!membersOnly) checkSettings(r, parsed.entries, settings, servers);
  const errors = [...r.errors, ...(memberReader === r ? [] : memberReader.errors)];
  if (errors.length > 0) return { ok: false, errors };
  const allNotes = [...r.notes, ...notes, ...(memberReader === r ? [] : memberReader.notes)];
  return { ok: true, cfg: { servers, hierarchical, groups, settings, ignored, notes: allNotes, version } };
}

/**
 * The checks on the membership as a whole (QuorumPeerConfig.parseDynamicConfig): a participant at
 * least, and with standaloneEnabled (the default) one participant has no observers ("Observers w/o
 * quorum is an invalid configuration").
 */
function checkWhole(r: Reader, servers: readonly ZooCfgServer[], serverLines: number, standaloneEnabled: boolean): void {
  const voters = servers.filter((s) => s.role === 'voter').length;
  const observer = servers.find((s) => s.role === 'observer');
  if (serverLines === 0) {
    r.errors.push({ file: r.file, path: 'server.N', message: 'expected server.N lines (host:quorumPort:electionPort): without them ZooKeeper runs one standalone server, and zksim simulates ensembles' });
  } else if (voters === 0 && servers.length > 0) {
    r.errors.push({ file: r.file, path: 'server.N', message: 'expected at least one participant: observers without participants are an invalid configuration (QuorumPeerConfig.parseDynamicConfig)' });
  } else if (voters === 1 && observer !== undefined && standaloneEnabled) {
    const message = `expected two or more participants beside observers, or standaloneEnabled=false, found one participant and server.${observer.id}, an observer: ZooKeeper 3.8 refuses to start ("Observers w/o quorum is an invalid configuration", QuorumPeerConfig.parseDynamicConfig)`;
    r.errors.push({ ...observer.at, path: `server.${observer.id}`, message });
  }
}

/** The settings as a whole: initLimit and syncLimit set (checkValidity), the session bounds in order (parseProperties). */
function checkSettings(r: Reader, entries: readonly PropertyEntry[], settings: readonly ZooCfgSetting[], servers: readonly ZooCfgServer[]): void {
  const voters = servers.filter((s) => s.role === 'voter').length;
  // QuorumPeerConfig.isDistributed: standaloneEnabled=false, or two or more participants
  const standaloneOff = settings.find((x) => x.key === 'standaloneEnabled')?.value === false;
  const why = standaloneOff && voters <= 1 ? ' (standaloneEnabled=false makes even one participant a distributed configuration, QuorumPeerConfig.isDistributed)' : '';
  for (const key of ['initLimit', 'syncLimit']) {
    // a key given with a bad value is already an error at its line
    if ((voters > 1 || standaloneOff) && !entries.some((e) => e.key === key)) r.errors.push({ file: r.file, path: key, message: `expected ${key}=N (ticks): ZooKeeper refuses a distributed configuration without it ("${key} is not set", QuorumPeerConfig.checkValidity)${why}` });
  }
  const setting = (key: string) => settings.find((s) => s.key === key);
  const tick = Number(setting('tickTime')?.value ?? ZK_DEFAULT_TICK_TIME_MS);
  const min = setting('minSessionTimeout');
  const max = setting('maxSessionTimeout');
  if (min === undefined && max === undefined) return;
  if (max?.value === 0 && min?.value === 0) {
    // 3.8 accepts it (0 is a bound, -1 unset) and negotiates every session to a 0 ms timeout
    r.errors.push({ ...(max.at ?? { file: r.file }), path: 'maxSessionTimeout', message: 'expected a maxSessionTimeout above 0 ms, found 0 (minSessionTimeout 0 too): ZooKeeper 3.8 takes 0 as a bound, not as unset (only -1 is), and would negotiate every session to a 0 ms timeout; zksim does not model that. Write -1 or leave it out for 20 × tickTime' });
    return;
  }
  const minMs = min === undefined ? 2 * tick : Number(min.value);
  const maxMs = max === undefined ? 20 * tick : Number(max.value);
  if (minMs <= maxMs) return;
  const at = (min ?? max)?.at;
  const other = min === undefined ? `minSessionTimeout unset: 2 × tickTime = ${minMs} ms` : max === undefined ? `maxSessionTimeout unset: 20 × tickTime = ${maxMs} ms` : `maxSessionTimeout at ${max.source}`;
  r.errors.push({
    ...(at ?? { file: r.file }),
    path: min === undefined ? 'maxSessionTimeout' : 'minSessionTimeout',
    message: `expected minSessionTimeout ≤ maxSessionTimeout, found ${minMs} ms > ${maxMs} ms (${other}); ZooKeeper 3.8 refuses to start: "minSessionTimeout must not be larger than maxSessionTimeout" (QuorumPeerConfig.parseProperties)`,
  });
}

/** A key given twice: Properties keeps the last. */
function duplicateNotes(file: string, parsed: ParsedProperties): string[] {
  return parsed.duplicates.map((d) => {
    const last = parsed.entries.find((x) => x.key === d.key);
    return `${file}:${d.line}: ${d.key} is given again${last === undefined ? ' later' : ` on line ${last.line}`}; the last one counts (java.util.Properties)`;
  });
}

/** A byte order mark before the first key: zksim skipped it; ZooKeeper would not (Properties.load reads ISO-8859-1). */
function bomNote(file: string, parsed: ParsedProperties): string[] {
  const first = parsed.entries.concat(parsed.duplicates).find((e) => e.line === 1 && e.column === 1);
  if (!parsed.bom || first === undefined) return [];
  return [`${file}:1: the file starts with a UTF-8 byte order mark, skipped; ZooKeeper 3.8 reads it as three characters (ï»¿) of the first key, so it would not see ${first.key}: save the file without it (as UTF-8 without BOM, or ASCII)`];
}

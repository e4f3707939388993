/**
 * Reading a zoo.cfg from disk as a topology: the one place `zksim import` and every command that
 * takes a topology (cli/io.ts loadTopology) turn zoo.cfg files into topology YAML. The parsing
 * is config/zoocfg.ts, the YAML config/zoocfg-topology.ts; here: which files, the dynamic file's
 * path, the placement flags, and what goes to stderr.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { basenameWithoutExtension, formatConfigError, parseTopology } from '../config/index.js';
import { dynamicConfigFileOf, looksLikeZooCfg, readZooCfg, type ZooCfg } from '../config/zoocfg.js';
import { ignoredSummary, placeServers, SINGLE_ZONE, zooCfgErrorOf, zooCfgTopologyYaml, type Placement, type PlacementRule } from '../config/zoocfg-topology.js';
import type { Topology } from '../model/index.js';
import { UserError } from './errors.js';
import { packageVersion, printError, readText } from './io.js';

/** A zoo.cfg by name (zoo.cfg, zoo.cfg.dynamic.100000000, kafka.cfg) or by content (server.N= lines). */
export function isZooCfg(file: string, text: string): boolean {
  return /\.cfg$|zoo\.cfg|\.dynamic(\.[0-9a-fA-F]+)?$/.test(basename(file)) || looksLikeZooCfg(text);
}

/**
 * The dynamic file a zoo.cfg names: its path as written (ZooKeeper opens it relative to the
 * working directory), else a file of that name beside the zoo.cfg (a config copied off a
 * server); null when the zoo.cfg names none. A named file found nowhere is a UserError naming
 * each path tried and what it was relative to.
 */
function dynamicPath(file: string, text: string): string | null {
  const named = dynamicConfigFileOf(text);
  if (named === null) return null;
  const beside = join(dirname(file), basename(named.path));
  if (existsSync(named.path)) return named.path;
  if (existsSync(beside)) return beside;
  const same = resolve(beside) === resolve(named.path);
  const asWritten = isAbsolute(named.path) ? named.path : `${resolve(named.path)} (relative to the working directory, as ZooKeeper opens it${same ? ', and beside the zoo.cfg' : ''})`;
  const tried = same ? asWritten : `${asWritten} and ${resolve(beside)} (beside the zoo.cfg)`;
  throw new UserError(
    `${file}:${named.line}:${named.column}: dynamicConfigFile: cannot find ${named.path}: tried ${tried}; copy the dynamic file beside the zoo.cfg or pass it as the second argument of zksim import`,
  );
}

/** A zoo.cfg and its dynamic file, read and checked; a UserError lists every problem. */
export function readZooCfgFiles(file: string, text: string, dynamicFile?: string): { cfg: ZooCfg; files: string[]; membersOnly: boolean } {
  const dyn = dynamicFile ?? dynamicPath(file, text);
  const dynamic = dyn === null ? undefined : { file: dyn, text: readText(dyn, 'zoo.cfg dynamic') };
  const read = readZooCfg({ file, text }, dynamic);
  if (!read.ok) throw new UserError(read.errors.map(formatConfigError).join('\n'));
  const membersOnly = dynamic === undefined && !/^\uFEFF?[ \t]*(tickTime|initLimit|syncLimit|dataDir)[ \t]*[=:]/m.test(text);
  return { cfg: read.cfg, files: dynamic === undefined ? [file] : [file, dynamic.file], membersOnly };
}

/** The topology YAML for a zoo.cfg read by readZooCfgFiles, checked by parsing it as a topology; notes go to stderr. */
export function zooCfgYaml(read: { cfg: ZooCfg; files: string[]; membersOnly: boolean }, rule: PlacementRule, placementSource: string | null, name: string, importing = true): { yaml: string; topology: Topology } {
  const placed = placeServers(read.cfg.servers, rule);
  if (!placed.ok) throw new UserError(placed.errors.join('\n'));
  const file = read.files[0] ?? 'zoo.cfg';
  // outside zksim import no placement flag exists: say how to place the servers instead
  const placeNotes = importing ? placed.notes : [`${file}: read as a zoo.cfg with every server in zone ${SINGLE_ZONE} (a zone outage takes the whole ensemble); to place them: zksim import ${file} --zones HOST=ZONE,… > topology.yaml`];
  for (const line of [...read.cfg.notes, ...placeNotes, ...ignoredSummary(read.cfg)]) printError(`zksim: ${line}\n`);
  const yaml = zooCfgTopologyYaml(read.cfg, { name, files: read.files, places: placed.places, placementSource, version: packageVersion(), membersOnly: read.membersOnly });
  const parsed = parseTopology(yaml, `${file} (as a topology)`);
  if (!parsed.ok) throw new UserError(parsed.errors.map((e) => formatConfigError(zooCfgErrorOf(e, read.cfg, file, placementSource))).join('\n'));
  return { yaml, topology: parsed.topology };
}

/** A zoo.cfg as a topology (cli/io.ts loadTopology): every server in one zone, as stderr says. */
export function zooCfgTopology(file: string, text: string): Topology {
  return zooCfgYaml(readZooCfgFiles(file, text), { kind: 'none' }, null, basenameWithoutExtension(file), false).topology;
}

/** `--zones HOST=ZONE[/REGION],…` (a host name or a server id on the left). */
export function zonesOption(text: string): PlacementRule {
  const places = new Map<string, Placement>();
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^([^=\s]+)=([^=/\s]+)(?:\/([^=/\s]+))?$/.exec(item);
    if (m === null) throw new UserError(`--zones ${JSON.stringify(item)}: expected HOST=ZONE or HOST=ZONE/REGION (HOST a host name or server id), e.g. --zones zk1=az1,zk2=az2,zk3=az3`);
    const [, host = '', zone = '', region] = m;
    if (places.has(host)) throw new UserError(`--zones: ${host} is given twice`);
    places.set(host, { zone, ...(region === undefined ? {} : { region }) });
  }
  if (places.size === 0) throw new UserError('--zones: expected HOST=ZONE,…, found nothing');
  return { kind: 'map', places, source: '--zones' };
}

/** `--zone-pattern REGEX`: a JavaScript regular expression with a named group `zone` (and optionally `region`, `rack`). */
export function zonePatternOption(text: string): PlacementRule {
  let pattern: RegExp;
  try {
    pattern = new RegExp(text);
  } catch (e) {
    throw new UserError(`--zone-pattern ${JSON.stringify(text)}: not a regular expression (${(e as Error).message})`);
  }
  if (!text.includes('(?<zone>')) throw new UserError(`--zone-pattern ${JSON.stringify(text)}: expected a named group (?<zone>…), e.g. 'zk-(?<zone>[a-z0-9-]+)-\\d+'`);
  return { kind: 'pattern', pattern, source: '--zone-pattern' };
}

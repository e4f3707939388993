/**
 * A read zoo.cfg (config/zoocfg.ts) and a placement → the text of a topology YAML file
 * (config/topology.ts), every value with a comment saying where it came from. Pure.
 *
 * zoo.cfg says nothing about where servers run, so the zone (and optionally region and rack) of
 * each server comes from the user: a HOST=ZONE map (`--zones`, `--placement FILE`), or a regular
 * expression over the host names with a named group `zone` (`--zone-pattern`). With none, every
 * server goes into one zone, az1: a zone outage then takes the whole ensemble down, and the
 * cross-zone latency is never used.
 */
import type { ConfigError } from './errors.js';
import type { ZooCfg, ZooCfgServer } from './zoocfg.js';

/** Where one server runs. */
export interface Placement {
  readonly zone: string;
  readonly region?: string;
  readonly rack?: string;
}

/** How servers are placed: by a map from host name (or server id) to place, by a pattern over host names, or all in one zone. */
export type PlacementRule =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'map';
      readonly places: ReadonlyMap<string, Placement>;
      readonly source: string;
      /** for a `--placement` file: each key's `file:line:column` (a key no server.N line names is then an error there) */
      readonly at?: ReadonlyMap<string, string>;
    }
  | { readonly kind: 'pattern'; readonly pattern: RegExp; readonly source: string };

/** The one zone of an import without placement. */
export const SINGLE_ZONE = 'az1';

export const NO_PLACEMENT_NOTE =
  `no placement given: every server is put in zone ${SINGLE_ZONE}, so a zone outage takes the whole ensemble down and no link is cross-zone; ` +
  'say where each host runs with --zones HOST=ZONE,…, --placement FILE or --zone-pattern REGEX';

export type PlacedServers =
  | { readonly ok: true; readonly places: ReadonlyMap<number, Placement>; readonly notes: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Each server's place under `rule`; every server left without one is an error. */
export function placeServers(servers: readonly ZooCfgServer[], rule: PlacementRule): PlacedServers {
  const places = new Map<number, Placement>();
  const errors: string[] = [];
  const notes: string[] = [];
  if (rule.kind === 'none') {
    for (const s of servers) places.set(s.id, { zone: SINGLE_ZONE });
    return { ok: true, places, notes: [NO_PLACEMENT_NOTE] };
  }
  if (rule.kind === 'map') {
    const used = new Set<string>();
    for (const s of servers) {
      const key = rule.places.has(s.host) ? s.host : String(s.id);
      const place = rule.places.get(key);
      const form = rule.at === undefined ? `${s.host}=ZONE or ${s.id}=ZONE` : `a line "${s.host}: ZONE" (or "${s.id}: ZONE", or "${s.host}: { zone: Z, region: R, rack: K }")`;
      if (place === undefined) errors.push(`${rule.source}: no zone for server.${s.id} (host ${s.host}): expected ${form}`);
      else {
        places.set(s.id, place);
        used.add(key);
      }
    }
    const hosts = servers.map((s) => s.host).join(', ');
    for (const k of rule.places.keys()) {
      if (used.has(k)) continue;
      const where = rule.at?.get(k);
      if (where !== undefined) errors.push(`${where}: ${k}: expected the host or id of a server.N line (${hosts}), found ${k}, which none names`);
      else notes.push(`${rule.source}: ${k} is neither the host nor the id of a server.N line; not used`);
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, places, notes };
  }
  for (const s of servers) {
    const g = rule.pattern.exec(s.host)?.groups;
    if (g?.['zone'] === undefined || g['zone'] === '') {
      errors.push(`${rule.source}: host ${s.host} (server.${s.id}) does not match ${rule.pattern.source} with a non-empty (?<zone>…) group`);
      continue;
    }
    places.set(s.id, { zone: g['zone'], ...(g['region'] ? { region: g['region'] } : {}), ...(g['rack'] ? { rack: g['rack'] } : {}) });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, places, notes };
}

/** A YAML scalar for `s`: plain when that reads back as the same string, else double-quoted. */
function yamlString(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s) ? s : JSON.stringify(s);
}

/** Milliseconds or ticks, for the comment after a setting. */
const UNITS: Readonly<Record<string, string>> = {
  tickTime: 'ms',
  initLimit: 'ticks',
  syncLimit: 'ticks',
  connectToLearnerMasterLimit: 'ticks',
  cnxTimeout: 'ms',
  minSessionTimeout: 'ms',
  maxSessionTimeout: 'ms',
};

/** What the topology needs besides the zoo.cfg. */
export interface ImportContext {
  /** the topology's name */
  readonly name: string;
  /** the files read, as the user named them, for the header */
  readonly files: readonly string[];
  readonly places: ReadonlyMap<number, Placement>;
  /** how the places were chosen, for the header (`--zones`, `--zone-pattern …`, or null for none) */
  readonly placementSource: string | null;
  /** zksim's version */
  readonly version: string;
  /** the input held server lines only (a dynamic file alone): zksim's defaults stand in for the settings */
  readonly membersOnly: boolean;
}

function zookeeperSection(cfg: ZooCfg, ctx: ImportContext): string[] {
  if (ctx.membersOnly) return ['# zookeeper: not in the input (server lines only): zksim\'s defaults, the conf/zoo_sample.cfg values'];
  const lines = ['zookeeper:'];
  const settings = [...cfg.settings];
  if (!settings.some((s) => s.key === 'tickTime')) settings.unshift({ key: 'tickTime', value: 3000, source: 'not set: ZooKeeperServer.DEFAULT_TICK_TIME' });
  const reconfigKeys = settings.filter((s) => s.key === 'reconfigEnabled' || s.key === 'standaloneEnabled');
  // zksim's own default turns reconfiguration on; ZooKeeper 3.8's is off, so an unset switch is written as 3.8 reads it
  if (!reconfigKeys.some((s) => s.key === 'reconfigEnabled')) settings.push({ key: 'reconfigEnabled', value: false, source: 'not set: the 3.8 default (QuorumPeerConfig.reconfigEnabled)' });
  for (const s of settings) {
    const unit = UNITS[s.key];
    // 3.8 takes 0 as no lower bound (only -1 is unset, QuorumPeerConfig.parseProperties); zksim's 0 is unset
    const noLowerBound = s.key === 'minSessionTimeout' && s.value === 0;
    const value = noLowerBound ? 1 : s.value;
    const why = noLowerBound ? `${s.source} says 0, no lower bound; zksim reads 0 as 2 × tickTime, and 1 ms bounds a session timeout (whole ms in ZooKeeper) the same` : s.source;
    lines.push(`  ${`${s.key}: ${String(value)}`.padEnd(36)} # ${unit === undefined ? '' : `${unit}, `}${why}`);
  }
  return lines;
}

function serverLine(s: ZooCfgServer, cfg: ZooCfg, place: Placement): string {
  const fields = [`id: ${s.id}`, `host: ${yamlString(s.host)}`, `zone: ${yamlString(place.zone)}`];
  if (place.region !== undefined) fields.push(`region: ${yamlString(place.region)}`);
  if (place.rack !== undefined) fields.push(`rack: ${yamlString(place.rack)}`);
  if (s.role === 'observer') fields.push('role: observer');
  const g = cfg.groups.get(s.id);
  if (g !== undefined) fields.push(`group: ${g.group}`, `weight: ${g.weight}`);
  return `  - { ${fields.join(', ')} }   # ${s.text} (${s.source})`;
}

/** The topology YAML for `cfg`, its servers placed as `ctx.places` says. */
export function zooCfgTopologyYaml(cfg: ZooCfg, ctx: ImportContext): string {
  const voters = cfg.servers.filter((s) => s.role === 'voter').length;
  const observers = cfg.servers.length - voters;
  const zones = new Set([...ctx.places.values()].map((p) => p.zone));
  const summary = `${voters} voter${voters === 1 ? '' : 's'}${observers > 0 ? ` and ${observers} observer${observers === 1 ? '' : 's'}` : ''} in ${zones.size} zone${zones.size === 1 ? '' : 's'}`;
  const lines = [
    `# ${ctx.name}: imported by zksim ${ctx.version} (zksim import) from ${ctx.files.join(' and ')}.`,
    '# Each value says where it came from (file:line). zoo.cfg does not say where servers run:',
    ...(ctx.placementSource === null ? NO_PLACEMENT_NOTE.split('; ').map((part) => `# ${part}`) : [`# Zones from ${ctx.placementSource}`]),
    '# Latency, storage and process timings are zksim\'s defaults (config/schema.ts), not from zoo.cfg.',
    ...(cfg.version === null ? [] : [`# Dynamic configuration version ${cfg.version}.`]),
    `name: ${yamlString(ctx.name)}`,
    `description: ${JSON.stringify(`imported from zoo.cfg: ${summary}`)}`,
    ...zookeeperSection(cfg, ctx),
    `quorum: ${cfg.hierarchical ? 'hierarchical' : 'majority'}${cfg.hierarchical ? '   # group.N / weight.N lines (QuorumHierarchical)' : ''}`,
    'servers:',
    ...cfg.servers.map((s) => serverLine(s, cfg, ctx.places.get(s.id) ?? { zone: SINGLE_ZONE })),
  ];
  if (cfg.ignored.length > 0) {
    lines.push('# Read and ignored:');
    for (const i of cfg.ignored) lines.push(`#   ${i.key} (${i.source}): ${i.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The ignored keys for stderr, one line per reason (`ignored, why: key (file:line), …`): never silently dropped. */
export function ignoredSummary(cfg: ZooCfg): string[] {
  const byReason = new Map<string, string[]>();
  for (const i of cfg.ignored) byReason.set(i.reason, [...(byReason.get(i.reason) ?? []), `${i.key} (${i.source})`]);
  return [...byReason].map(([reason, keys]) => `ignored, ${reason}: ${keys.join(', ')}`);
}

const PLACEMENT_FIELDS = ['zone', 'region', 'rack'];

/**
 * An error the topology checks (config/topology.ts) found in the YAML written for `cfg`, moved
 * back to the zoo.cfg line that gave the field: the user never sees that YAML, so a position in
 * it would point nowhere. `servers[i].…` → the server.N line (a zone, region or rack came from
 * `placementSource`, which is said); `zookeeper.KEY` → the KEY line, or the file when the key was
 * not set; anything else → the file (`file` the zoo.cfg as named).
 */
export function zooCfgErrorOf(e: ConfigError, cfg: ZooCfg, file: string, placementSource: string | null): ConfigError {
  // the YAML's servers[i] is the i-th server.N line by id: name it as the zoo.cfg does
  const message = e.message.replace(/servers\[(\d+)\]/g, (m, i: string) => (cfg.servers[Number(i)] === undefined ? m : `server.${cfg.servers[Number(i)]?.id}`));
  const server = /^servers\[(\d+)\](?:\.(\w+))?/.exec(e.path);
  const s = server === null ? undefined : cfg.servers[Number(server[1])];
  if (server !== null && s !== undefined) {
    const field = server[2] ?? '';
    const placement = placementSource ?? `the one zone of an import without placement, ${SINGLE_ZONE}`;
    const from = PLACEMENT_FIELDS.includes(field) ? ` (the ${field} from ${placement})` : field === 'host' ? ` (zones from ${placement})` : '';
    return { ...s.at, path: `server.${s.id}`, message: `${message}${from}` };
  }
  const zk = /^zookeeper\.(\w+)$/.exec(e.path);
  if (zk !== null) {
    const key = zk[1] ?? '';
    const setting = cfg.settings.find((x) => x.key === key);
    if (setting?.at !== undefined) return { ...setting.at, path: key, message };
    return { file, path: key, message: `${message} (${key} is not set in ${file}: ${setting?.source ?? "zksim's default"})` };
  }
  return { file, path: e.path === 'servers' ? 'server.N' : e.path, message };
}

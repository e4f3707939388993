import type { Command } from 'commander';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { basenameWithoutExtension } from '../../config/index.js';
import type { Placement, PlacementRule } from '../../config/zoocfg-topology.js';
import { UserError } from '../errors.js';
import { print, readText } from '../io.js';
import { readZooCfgFiles, zonePatternOption, zonesOption, zooCfgYaml } from '../zoocfg.js';

interface ImportOptions {
  zones?: PlacementRule;
  placement?: string;
  zonePattern?: PlacementRule;
  name?: string;
}

/**
 * `zksim import zoo.cfg [zoo.cfg.dynamic]`: a ZooKeeper 3.8 configuration as a topology YAML on
 * stdout (config/zoocfg.ts reads it, config/zoocfg-topology.ts writes the YAML); ignored keys and
 * notes on stderr. Exit 2 on a bad line (file:line:column, the key, what was expected).
 */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('read a ZooKeeper zoo.cfg (and its dynamic config file) and print the topology YAML every command takes')
    .argument('<zoo.cfg>', 'the zoo.cfg (a dynamic file alone works too: its server lines, zksim\'s default settings)')
    .argument('[dynamic]', 'its dynamic config file (default: the dynamicConfigFile it names, as written or beside the zoo.cfg)')
    .option('--zones <list>', 'where each server runs: HOST=ZONE[/REGION],… (HOST a host name of a server.N line, or the id N)', zonesOption)
    .option('--placement <file>', 'where each server runs, from a YAML file: HOST: ZONE or HOST: { zone, region, rack } per line')
    .option('--zone-pattern <regex>', "the zone in each host name: a regular expression with a named group zone (optionally region, rack), e.g. 'zk-(?<zone>[a-z0-9-]+)-\\d+'", zonePatternOption)
    .option('--name <name>', "the topology's name (default: the zoo.cfg's file name without its extension)")
    .addHelpText(
      'after',
      '\nRead (as ZooKeeper 3.8.6 does, QuorumPeerConfig and QuorumPeer.QuorumServer): server.N=host:quorumPort:electionPort\n' +
        '[:participant|:observer][;[clientHost:]clientPort], group.N and weight.N (hierarchical quorums), tickTime (3000 when\n' +
        'unset, as ZooKeeper), initLimit, syncLimit, cnxTimeout, connectToLearnerMasterLimit, min/maxSessionTimeout,\n' +
        'reconfigEnabled, standaloneEnabled, peerType, dynamicConfigFile, and a dynamic file\'s server lines and version.\n' +
        'Every other key is listed on stderr as ignored, with why. zoo.cfg does not say where servers run: without --zones,\n' +
        '--placement or --zone-pattern every server is put in one zone (az1), so a zone outage takes the whole ensemble.\n' +
        'Latency, disk and process timings are zksim\'s defaults. Every command that takes a topology also takes a zoo.cfg\n' +
        '(all servers in one zone; import it to place them).\n' +
        '\nExit status: 0 the topology was printed; 2 a bad line (file:line:column, the key, what was expected) or flag.\n' +
        '\nExamples:\n' +
        '  zksim import examples/zoocfg/kafka-3node.cfg --zones zoo1=az1,zoo2=az2,zoo3=az3 > my.yaml\n' +
        "  zksim import examples/zoocfg/two-dc-hierarchical.cfg --zone-pattern '-(?<zone>dc[0-9])\\.'\n" +
        '  zksim import examples/zoocfg/zoo.cfg examples/zoocfg/zoo.cfg.dynamic.100000000 --placement examples/zoocfg/placement.yaml\n',
    )
    .action((file: string, dynamic: string | undefined, opts: ImportOptions) => importCommand(file, dynamic, opts));
}

function importCommand(file: string, dynamic: string | undefined, opts: ImportOptions): void {
  const given = [opts.zones, opts.placement, opts.zonePattern].filter((x) => x !== undefined).length;
  if (given > 1) throw new UserError('import: give one of --zones, --placement, --zone-pattern');
  const rule = opts.zones ?? opts.zonePattern ?? (opts.placement === undefined ? { kind: 'none' as const } : placementFile(opts.placement));
  const source = opts.zones !== undefined ? '--zones' : opts.zonePattern !== undefined ? `--zone-pattern ${opts.zonePattern.kind === 'pattern' ? opts.zonePattern.pattern.source : ''}` : (opts.placement ?? null);
  const text = readText(file, 'zoo.cfg');
  const read = readZooCfgFiles(file, text, dynamic);
  print(zooCfgYaml(read, rule, source, opts.name ?? basenameWithoutExtension(file)).yaml);
}

const PLACE_KEYS = ['zone', 'region', 'rack'] as const;

/** `--placement FILE`: a YAML mapping from host name (or server id) to a zone or `{ zone, region, rack }`. */
export function placementFile(file: string): PlacementRule {
  const text = readText(file, 'placement');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined): string => {
    const p = lineCounter.linePos(offset ?? 0);
    return `${file}:${p.line}:${p.col}`;
  };
  if (doc.errors.length > 0) throw new UserError(doc.errors.map((e) => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`).join('\n'));
  if (!isMap(doc.contents)) throw new UserError(`${file}: expected a mapping HOST: ZONE (or HOST: { zone, region, rack }), one line per server`);
  const places = new Map<string, Placement>();
  const keyAt = new Map<string, string>();
  const errors: string[] = [];
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const where = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    keyAt.set(key, where);
    const v = pair.value;
    if (isScalar(v) && typeof v.value === 'string' && v.value !== '') places.set(key, { zone: v.value });
    else if (isMap(v)) {
      const fields: Record<string, string> = {};
      for (const f of v.items) {
        const k = isScalar(f.key) ? String(f.key.value) : '';
        if (!(PLACE_KEYS as readonly string[]).includes(k) || !isScalar(f.value) || typeof f.value.value !== 'string') errors.push(`${where}: ${key}.${k}: expected zone, region or rack, each a name`);
        else fields[k] = f.value.value;
      }
      if (fields['zone'] === undefined) errors.push(`${where}: ${key}: expected a zone`);
      else places.set(key, { zone: fields['zone'], ...(fields['region'] ? { region: fields['region'] } : {}), ...(fields['rack'] ? { rack: fields['rack'] } : {}) });
    } else errors.push(`${where}: ${key}: expected a zone name or { zone, region, rack }`);
  }
  if (errors.length > 0) throw new UserError(errors.join('\n'));
  return { kind: 'map', places, source: file, at: keyAt };
}

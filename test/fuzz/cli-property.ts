/**
 * The CLI fuzz property (issue 10 §6), shared by test/fuzz/cli.test.ts (a pinned-seed slice in
 * the default suite) and scripts/fuzz.ts (`npm run test:fuzz`, deeper, seed from the environment
 * or the clock).
 *
 * A case is one invocation of the BUILT CLI in a fresh temporary directory holding generated
 * topology, experiment and scenario files (valid, boundary and malformed values, random bytes,
 * huge numbers, control characters, wrong kinds, empty files, YAML anchors, deep nesting) and
 * JSON results for merge and chart (fixtures written by the CLI, then damaged). For every case:
 *   - it ends within the hang bound (generated work is small: seconds of simulated run, at most
 *     3 trials of at most a day), by its own exit, not a signal;
 *   - the exit status is documented: 0; 1 only for run/check (a violation); 2 bad input;
 *     143 only when the case sent SIGTERM;
 *   - stderr is at most one paragraph (no blank line), neither stream holds a stack trace or a
 *     raw control character (issue 10 §4: they are printed escaped);
 *   - input files are never changed, no `*.tmp` is ever left, and when the exit is neither 0 nor
 *     1 the directory holds exactly what the case put there: no partial output.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { contentDigest } from '../../src/montecarlo/digest.js';
import { hasStackTrace } from '../helpers/cli.js';
import { snapshotTree, zksimBounded, type BoundedResult } from '../helpers/fuzz-cli.js';

// ---------------------------------------------------------------------------------------------
// Values

/**
 * Half the cases are "sane": every choice made through `mix` takes its valid side, so the case
 * gets past validation and exercises the engine, the outputs and interruption; the other half
 * mix in awkward values everywhere. Set by `anyCase` just before it generates a case (generation
 * is synchronous and depth-first, so the setting holds for exactly that case).
 */
let sane = false;
function mix<T>(valid: fc.Arbitrary<T>, weird: fc.Arbitrary<T>, weights: [number, number] = [4, 1]): fc.Arbitrary<T> {
  return fc.constant(null).chain(() => (sane ? valid : fc.oneof({ weight: weights[0], arbitrary: valid }, { weight: weights[1], arbitrary: weird })));
}

/** Awkward scalars: huge, tiny, negative, non-finite, wrong types, control characters. */
const weirdScalar = fc.constantFrom<unknown>(
  0, -1, -0, 0.5, 1e300, -1e300, 2 ** 53 - 1, 2 ** 53 + 2, 1e-300, Number.MAX_VALUE, 'abc', '', '1e400', 'NaN',
  'Infinity', '0x10', true, null, [], {}, [1, 2], { a: 1 }, '\u001b[2J\u001b[H', 'x\u0000y', '\u202eevil', '\u0085', '\u007f',
);
const weirdDuration = fc.constantFrom(
  '', '0', '0s', '-1s', '1e400s', '300y', '9007199254740993us', 'abc', '1 s', 'NaN', 'Infinity', '1e-9ms', '1us',
  '\u0000', '1s\n', '\u0663s', ' 5s', '5S', '5 seconds', '1e308y', '0.0000001ms', '2^53',
);
const shortDuration = fc.constantFrom('500ms', '1s', '2s', '5s', '10s', '20s', '30s');
/** A value the CLI may accept, or an awkward one; mostly accepted ones so the engine is reached. */
const durationFlag = mix(shortDuration, weirdDuration);
const numberText = mix(
  fc.integer({ min: 0, max: 50 }).map(String),
  fc.constantFrom('-1', '1e300', '1e400', 'NaN', 'Infinity', 'abc', '', '0x1F', '1.5.2', '9007199254740993', '1e-320', '\u001b[31m'),
  [3, 1],
);
const seedText = mix(
  fc.integer({ min: 0, max: 1000 }).map(String),
  fc.constantFrom('', '-1', '1e300', 'abc', 'x'.repeat(5000), '\u0000', '\u001b]0;pwned\u0007', '9007199254740993'),
  [3, 1],
);
const zoneName = mix(
  fc.constantFrom('az1', 'az2', 'az3'),
  fc.constantFrom('', 'z'.repeat(300), '\u001b[2J', 'zone\u0000x', 'z\u00f6ne', '\u{1F642}', '\u202eaz', '../etc', 'a b', '\u007f', '\u0085x', 'az1\n'),
);
const anyValue = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  // rare enough that about half of the generated documents are wholly valid and reach the engine
  mix(valid, weirdScalar, [30, 1]);

const distribution = (scale: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.record({ dist: fc.constant('exponential'), mean: anyValue(scale) }),
    fc.record({ dist: fc.constant('lognormal'), median: anyValue(scale), sigma: anyValue(fc.constantFrom(0.2, 1, 1000, 0)) }),
    fc.record({ dist: fc.constant('weibull'), scale: anyValue(scale), shape: anyValue(fc.constantFrom(0.7, 1.5, 1e-9, 1e9)) }),
    fc.record({ dist: fc.constant('constant'), value: anyValue(scale) }),
    fc.record({ dist: fc.constant('uniform'), min: anyValue(scale), max: anyValue(scale) }),
    fc.record({ dist: anyValue(fc.constant('normal')), mean: anyValue(scale), stddev: anyValue(scale) }),
    anyValue(scale),
  );
const latencyScale = mix(fc.constantFrom('0.1ms', '0.5ms', '1ms', '30ms'), fc.constantFrom('1e300ms', '0ms', '285y'));
const failureScale = mix(fc.constantFrom('2h', '30d', '1y', '130d', '3m'), fc.constantFrom('1ms', '1us', '285y', '0s'));

// ---------------------------------------------------------------------------------------------
// Documents

const topologyDoc: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      name: anyValue(fc.constantFrom('fuzz', 'n3')),
      description: anyValue(fc.string({ maxLength: 20 })),
      zookeeper: fc.record(
        {
          tickTime: anyValue(fc.constantFrom(2000, 500, 1)),
          initLimit: anyValue(fc.constantFrom(10, 1)),
          syncLimit: anyValue(fc.constantFrom(5, 1)),
          cnxTimeout: anyValue(fc.constantFrom(5000, 1)),
          finalizeWait: anyValue(fc.constantFrom(200, 0)),
        },
        { requiredKeys: [] },
      ),
      latency: fc.record(
        { sameHost: distribution(latencyScale), sameZone: distribution(latencyScale), crossZone: distribution(latencyScale), crossRegion: distribution(latencyScale) },
        { requiredKeys: [] },
      ),
      storage: fc.record(
        { fsync: distribution(latencyScale), snapshotMB: anyValue(fc.constantFrom(10, 1)), txnBytes: anyValue(fc.constantFrom(1024, 1)) },
        { requiredKeys: [] },
      ),
      quorum: anyValue(fc.constantFrom('majority', 'hierarchical')),
      servers: mix(
        fc.array(fc.record({ zone: zoneName, role: anyValue(fc.constantFrom('voter', 'voter', 'observer')), rack: fc.option(zoneName, { nil: undefined }) }, { requiredKeys: ['zone'] }), { minLength: 1, maxLength: 5 }),
        fc.oneof(fc.constantFrom(0, 12, 300).map((n) => Array.from({ length: n }, (_, i) => ({ zone: `az${(i % 3) + 1}` }))), weirdScalar),
        [4, 1],
      ),
      idMode: mix(fc.constant('sequential'), fc.constantFrom('duplicate', 'weird'), [3, 1]),
      weirdId: weirdScalar,
    },
    { requiredKeys: ['servers', 'idMode', 'weirdId'] },
  )
  .map(({ idMode, weirdId, servers, ...rest }) => {
    const list = Array.isArray(servers)
      ? servers.map((s: Record<string, unknown>, i: number) => ({ id: idMode === 'duplicate' ? 1 : idMode === 'weird' && i === 0 ? weirdId : i + 1, ...s }))
      : servers;
    return { ...rest, servers: list };
  });

const experimentDoc: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    name: anyValue(fc.constant('fuzz')),
    runs: anyValue(fc.constantFrom(1, 2, 3)),
    horizon: anyValue(fc.constantFrom('1h', '1d')),
    seed: anyValue(fc.constantFrom(1, 7)),
    failures: mix(
      fc.record(
        {
          processRestarts: fc.record({ every: distribution(failureScale), downtime: distribution(failureScale) }, { requiredKeys: [] }),
          hostFailures: fc.record({ mttf: distribution(failureScale), mttr: distribution(failureScale) }, { requiredKeys: [] }),
          diskLoss: fc.record({ every: distribution(failureScale), rebuild: distribution(failureScale) }, { requiredKeys: [] }),
          domainOutages: fc.array(fc.record({ level: anyValue(fc.constantFrom('rack', 'zone', 'region')), every: distribution(failureScale), duration: distribution(failureScale) }, { requiredKeys: [] }), { maxLength: 2 }),
          bursts: fc.record({ every: distribution(failureScale), zoneJoin: anyValue(fc.constantFrom(0.5, 0, 1)), rackJoin: anyValue(fc.constantFrom(0.7, 1)), window: anyValue(fc.constantFrom('120s', '0s')), downtime: distribution(failureScale) }, { requiredKeys: [] }),
          zonePartitions: fc.record({ every: distribution(failureScale), duration: distribution(failureScale) }, { requiredKeys: [] }),
          rollingMaintenance: fc.record({ every: anyValue(fc.constantFrom('7d', '1ms', '1us')), order: anyValue(fc.constantFrom('leader-last', 'id')), downtimePerServer: anyValue(fc.constantFrom('2m', '1us')), gap: anyValue(fc.constantFrom('5m', '0s')) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
      weirdScalar,
      [8, 1],
    ),
    workload: anyValue(fc.constant(null)),
  },
  { requiredKeys: ['failures'] },
);

const faultSpec: fc.Arbitrary<string> = mix(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(
          fc.constantFrom('kill', 'crash', 'isolate', 'wipe'),
          mix(fc.constantFrom('1', '2', '3', 'leader'), fc.constantFrom('0', '9', 'x')),
          mix(fc.constantFrom('1s', '2s', '500ms', '0s', '10s'), fc.constantFrom('100y', '-1s')),
          fc.option(mix(fc.constantFrom('1s', '3s'), fc.constantFrom('0s', '1e400s', '300y')), { nil: undefined }),
        )
        .map(([k, n, t, d]) => `${k}:${n}@${t}${d === undefined ? '' : `+${d}`}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('partition:1,2|3@1s+2s', 'oneway:1>2@1s+1s', 'zone-down:az1@1s+2s') },
  ),
  fc.constantFrom('partition:1|1@1s', 'partition:|@1s', 'oneway:1>1@1s', 'zone-down:\u001b[2J@1s', 'zone-down:nowhere@1s', '', '@', 'kill', 'kill:1', 'kill:1@', 'kill:leader@1s+', 'kill:1@1s+2s+3s', '\u0000', 'x'.repeat(2000), 'kill:1@1s\u001b[2J'),
  [5, 1],
);

const scenarioDoc: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    description: anyValue(fc.string({ maxLength: 20 })),
    seed: anyValue(fc.constantFrom(1, 42, 'word')),
    duration: durationFlag,
    quorumRule: anyValue(fc.constantFrom('majority', 'naive')),
    unsafe: anyValue(fc.constantFrom([], ['ack-before-fsync'], ['nonsense'])),
    topology: anyValue(fc.constantFrom({}, { 'zookeeper.tickTime': 1000 }, { 'latency.crossZone.max': '20ms' }, { 'storage.fsync.median': '10ms' }, { 'nope.path': 1 })),
    workload: anyValue(fc.record({ writes: anyValue(fc.constantFrom(0, 5, 20)), reads: anyValue(fc.constantFrom(0, 5)), sessionTimeout: anyValue(fc.constantFrom('30s', '1ms')) }, { requiredKeys: [] })),
    faults: mix(fc.array(faultSpec, { maxLength: 3 }), weirdScalar, [5, 1]),
  },
  { requiredKeys: [] },
);

type Kind = 'topology' | 'experiment' | 'scenario';
const docOf: Record<Kind, fc.Arbitrary<Record<string, unknown>>> = { topology: topologyDoc, experiment: experimentDoc, scenario: scenarioDoc };

/** How a document becomes bytes: mostly YAML, sometimes damaged on the way. */
type Encoding =
  | { readonly mode: 'yaml' | 'json' | 'empty' | 'missing' | 'directory' }
  | { readonly mode: 'truncate'; readonly at: number }
  | { readonly mode: 'control'; readonly at: number; readonly char: string }
  | { readonly mode: 'bytes'; readonly bytes: Uint8Array }
  | { readonly mode: 'anchors'; readonly depth: number }
  | { readonly mode: 'badAlias' }
  | { readonly mode: 'deep'; readonly depth: number; readonly open: '[' | '{' }
  | { readonly mode: 'duplicateKey' }
  | { readonly mode: 'tabs' };

const encoding: fc.Arbitrary<Encoding> = mix<Encoding>(
  fc.constantFrom({ mode: 'yaml' } as const, { mode: 'yaml' } as const, { mode: 'json' } as const),
  fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom({ mode: 'empty' } as const, { mode: 'missing' } as const, { mode: 'directory' } as const, { mode: 'badAlias' } as const, { mode: 'duplicateKey' } as const, { mode: 'tabs' } as const) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ mode: 'truncate', at }) as const) },
  { weight: 1, arbitrary: fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), char: fc.constantFrom('\u0000', '\u001b', '\u0007', '\u007f', '\ufeff', '\u2028', '\ud800') }).map((r) => ({ mode: 'control', ...r }) as const) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ mode: 'bytes', bytes }) as const) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }).map((depth) => ({ mode: 'anchors', depth }) as const) },
  { weight: 1, arbitrary: fc.record({ depth: fc.constantFrom(50, 1000, 20000), open: fc.constantFrom('[' as const, '{' as const) }).map((r) => ({ mode: 'deep', ...r }) as const) },
  ),
  [2, 1],
);

export interface InputFile {
  /** file name inside the case's directory */
  readonly name: string;
  /** bytes, or a directory, or nothing at all (the path is given but does not exist) */
  readonly content: Uint8Array | 'directory' | 'missing';
}

function encode(doc: Record<string, unknown>, e: Encoding): Uint8Array | 'directory' | 'missing' {
  const yaml = YAML.stringify(doc);
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  switch (e.mode) {
    case 'yaml':
      return text(yaml);
    case 'json':
      return text(JSON.stringify(doc));
    case 'empty':
      return new Uint8Array();
    case 'missing':
    case 'directory':
      return e.mode;
    case 'truncate':
      return text(yaml.slice(0, Math.floor(yaml.length * e.at)));
    case 'control': {
      const at = Math.floor(yaml.length * e.at);
      return text(yaml.slice(0, at) + e.char + yaml.slice(at));
    }
    case 'bytes':
      return e.bytes;
    case 'anchors': {
      // a "billion laughs": each level refers to the previous one ten times
      const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i <= e.depth; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
      return text(`${lines.join('\n')}\n${yaml}`);
    }
    case 'badAlias':
      return text(yaml.replace(/^(\w+):.*$/m, '$1: *nowhere'));
    case 'deep': {
      const close = e.open === '[' ? ']' : '}';
      const inner = e.open === '[' ? '1' : 'a: 1';
      const nest = e.open === '[' ? e.open.repeat(e.depth) + inner + close.repeat(e.depth) : '{a: '.repeat(e.depth) + '1' + '}'.repeat(e.depth);
      return text(`${yaml}extra: ${nest}\n`);
    }
    case 'duplicateKey':
      return text(`${yaml}${yaml}`);
    case 'tabs':
      return text(yaml.replace(/^ {2}/gm, '\t'));
  }
}

/** A file of `kind` (mostly) or of another kind (a wrong-kind mistake). */
const yamlFile = (name: string, kind: Kind): fc.Arbitrary<InputFile> =>
  fc.constant(null).chain(() =>
    sane
      ? validDoc[kind].map((doc) => ({ name, content: encode(doc, { mode: 'yaml' }) }))
      : fc.tuple(fc.oneof({ weight: 6, arbitrary: docOf[kind] }, { weight: 1, arbitrary: fc.oneof(topologyDoc, experimentDoc, scenarioDoc) }), encoding).map(([doc, e]) => ({ name, content: encode(doc, e) })),
  );

/**
 * Documents valid by construction, for sane cases: 3 to 5 voters (ids 1..n, so "kill:3" and
 * "zone-down:az1" always name something) plus up to 2 observers, plain settings, a light failure
 * model. What makes them interesting is the flags and faults around them.
 */
const validDoc: Record<Kind, fc.Arbitrary<Record<string, unknown>>> = {
  topology: fc
    .record({
      voters: fc.integer({ min: 3, max: 5 }),
      observers: fc.integer({ min: 0, max: 2 }),
      zones: fc.integer({ min: 1, max: 3 }),
      tickTime: fc.constantFrom(500, 1000, 2000),
      crossZone: fc.constantFrom('1ms', '5ms', '30ms'),
    })
    .map(({ voters, observers, zones, tickTime, crossZone }) => ({
      name: 'fuzz',
      zookeeper: { tickTime },
      latency: { crossZone: { dist: 'uniform', min: '0.5ms', max: crossZone } },
      servers: Array.from({ length: voters + observers }, (_, i) => ({ id: i + 1, zone: `az${(i % zones) + 1}`, ...(i >= voters ? { role: 'observer' } : {}) })),
    })),
  experiment: fc
    .record({ mttf: fc.constantFrom('1d', '30d', '1y'), mttr: fc.constantFrom('10m', '1h', '8h'), restarts: fc.boolean(), zones: fc.boolean() })
    .map(({ mttf, mttr, restarts, zones }) => ({
      name: 'fuzz',
      runs: 2,
      horizon: '1d',
      seed: 1,
      failures: {
        hostFailures: { mttf: { dist: 'exponential', mean: mttf }, mttr: { dist: 'lognormal', median: mttr, sigma: 1 } },
        ...(restarts ? { processRestarts: { every: { dist: 'exponential', mean: '2d' }, downtime: '3m' } } : {}),
        ...(zones ? { domainOutages: [{ level: 'zone', every: { dist: 'exponential', mean: '10d' }, duration: { dist: 'lognormal', median: '1h', sigma: 0.8 } }] } : {}),
      },
    })),
  scenario: fc
    .record({ seed: fc.integer({ min: 1, max: 99 }), duration: shortDuration, faults: fc.array(faultSpec, { maxLength: 3 }), writes: fc.constantFrom(0, 5, 20), naive: fc.boolean() })
    .map(({ seed, duration, faults, writes, naive }) => ({
      seed,
      duration,
      faults,
      ...(writes > 0 ? { workload: { writes } } : {}),
      ...(naive ? { quorumRule: 'naive' } : {}),
    })),
};

// ---------------------------------------------------------------------------------------------
// Outputs

/** An output target and what exists there before the run (to catch partial writes and rollbacks). */
interface OutTarget {
  readonly path: string;
  readonly setup: 'none' | 'file' | 'dirWithOld' | 'dangling';
}
const outTarget = (base: string): fc.Arbitrary<OutTarget> =>
  mix<OutTarget>(
    fc.constantFrom<OutTarget>({ path: base, setup: 'none' }, { path: `${base}-old`, setup: 'dirWithOld' }, { path: `nested/${base}/deeper`, setup: 'none' }),
    fc.constantFrom<OutTarget>(
      { path: `${base}-file`, setup: 'file' },
      { path: `${base}-old`, setup: 'dirWithOld' },
      { path: `${base}-link`, setup: 'dangling' },
      { path: `nested/${base}/deeper`, setup: 'none' },
      { path: '/proc/self/zksim-fuzz', setup: 'none' },
      { path: '', setup: 'none' },
      { path: `${base}-file/below`, setup: 'file' },
    ),
  );

// ---------------------------------------------------------------------------------------------
// Cases

export type Command = 'validate' | 'run' | 'availability' | 'sweep' | 'merge' | 'chart' | 'check';

export interface FuzzCase {
  readonly command: Command;
  readonly files: readonly InputFile[];
  readonly outs: readonly OutTarget[];
  readonly args: readonly string[];
  /** send SIGTERM after this many ms (run and availability) */
  readonly interruptAfterMs?: number;
}

/** Flags shared by every command's "careless user" mistakes: an unknown flag, a stray word. */
const junkArgs = mix(fc.constant<string[]>([]), fc.constantFrom(['--nope'], ['stray'], ['--seed'], ['--', '-x'], ['\u001b[2J'], ['--json=maybe']), [8, 1]);
const flag = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<string[]> =>
  fc.option(value.map((v) => [name, v]), { nil: undefined, freq: 2 }).map((a) => a ?? []);
const bool = (name: string): fc.Arbitrary<string[]> => fc.boolean().map((b) => (b ? [name] : []));
const outFlag = (name: string, base: string): fc.Arbitrary<{ args: string[]; outs: OutTarget[] }> =>
  fc.option(outTarget(base), { nil: undefined, freq: 2 }).map((o) => (o ? { args: [name, o.path], outs: [o] } : { args: [], outs: [] }));

const caseOf = (
  command: Command,
  files: fc.Arbitrary<InputFile[]>,
  args: (files: InputFile[]) => fc.Arbitrary<string[]>,
  outs: fc.Arbitrary<{ args: string[]; outs: OutTarget[] }[]> = fc.constant([]),
  interrupt: fc.Arbitrary<number | undefined> = fc.constant(undefined),
): fc.Arbitrary<FuzzCase> =>
  files.chain((fs) =>
    fc.tuple(args(fs), outs, junkArgs, interrupt).map(([a, o, junk, i]) => ({
      command,
      files: fs,
      outs: o.flatMap((x) => x.outs),
      args: [command, ...a, ...o.flatMap((x) => x.args), ...junk],
      ...(i === undefined ? {} : { interruptAfterMs: i }),
    })),
  );

const validateCase = caseOf(
  'validate',
  fc.tuple(fc.array(fc.constantFrom<Kind>('topology', 'experiment', 'scenario'), { minLength: 1, maxLength: 3 }), fc.boolean()).chain(([kinds, withTopology]) =>
    fc.tuple(...kinds.map((k, i) => yamlFile(`f${i}.yaml`, k)), withTopology ? yamlFile('topo.yaml', 'topology') : fc.constant(null)).map((fs) => fs.filter((f): f is InputFile => f !== null)),
  ),
  (fs) =>
    fc.tuple(flag('--kind', mix(fc.constantFrom('topology', 'experiment', 'scenario'), fc.constantFrom('bogus', ''))))
      .map(([kind]) => [...fs.filter((f) => f.name !== 'topo.yaml').map((f) => f.name), ...kind, ...(fs.some((f) => f.name === 'topo.yaml') ? ['--topology', 'topo.yaml'] : [])]),
);

const runCase = caseOf(
  'run',
  fc.tuple(yamlFile('topo.yaml', 'topology'), fc.option(yamlFile('scenario.yaml', 'scenario'), { nil: null })).map((fs) => fs.filter((f): f is InputFile => f !== null)),
  (fs) =>
    fc
      .tuple(
        flag('--seed', seedText),
        // always a duration: a scenario file's own may be long (valid but expensive)
        durationFlag.map((d) => ['--duration', d]),
        fc.array(faultSpec, { maxLength: 3 }).map((f) => f.flatMap((s) => ['--fault', s])),
        flag('--writes', numberText),
        flag('--reads', numberText),
        flag('--session-timeout', mix(shortDuration, weirdDuration, [1, 1])),
        flag('--quorum-rule', mix(fc.constantFrom('majority', 'naive'), fc.constant('bogus'))),
        flag('--unsafe', mix(fc.constant('ack-before-fsync'), fc.constant('bogus'))),
        bool('--json'),
      )
      .map((parts) => ['topo.yaml', ...(fs.some((f) => f.name === 'scenario.yaml') ? ['--scenario', 'scenario.yaml'] : []), ...parts.flat()]),
  fc.tuple(outFlag('--out', 'out'), outFlag('--trace', 'trace.jsonl')),
  // now and then a SIGTERM (a Ctrl-C or a batch system's kill), while loading or simulating
  fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 300, max: 3000 }) }),
);

const setFlag = mix(
  fc.constantFrom('zookeeper.tickTime=1000', 'failures.hostFailures.mttf.mean=30d', 'failures.bursts.zoneJoin=0.25', 'latency.sameZone.max=2ms', 'failures.processRestarts.every.mean=2h'),
  fc
    .tuple(
      fc.constantFrom('zookeeper.tickTime', 'failures.hostFailures.mttf.mean', 'failures.bursts.zoneJoin', 'latency.sameZone.max', 'failures.processRestarts.every.mean', 'servers.0.zone', 'nope.path', '', 'runs'),
      fc.constantFrom('1000', '0', '-1', '1e300', '1ms', '1us', 'abc', '', '\u001b[2J', '2h', '30d', '0.5'),
    )
    .map(([p, v]) => `${p}=${v}`),
  [1, 2],
).map((kv) => ['--set', kv]);

/** --runs and --horizon always given: without them the experiment's own (1000 × 1 year) apply. */
const studyFlags = fc
  .tuple(
    mix(fc.constantFrom('1', '2', '3'), fc.constantFrom('0', '-1', '1e300', 'abc', '', '2.5', '9007199254740993')).map((r) => ['--runs', r]),
    mix(fc.constantFrom('1h', '6h', '1d'), weirdDuration).map((h) => ['--horizon', h]),
    flag('--seed', seedText),
    fc.array(setFlag, { maxLength: 2 }).map((s) => s.flat()),
    fc.option(fc.tuple(mix(fc.constant('30d'), fc.constantFrom('1ms', '0s', 'abc'), [1, 2]), mix(fc.constant('2h'), fc.constantFrom('1us', '-1h'), [1, 2])).map(([f, r]) => ['--node-mttf', f, '--node-mttr', r]), { nil: undefined, freq: 4 }).map((a) => a ?? []),
    flag('--precision', mix(fc.constant('0.1'), fc.constantFrom('0', '-1', '2', 'abc'), [1, 2])),
    flag('--workers', mix(fc.constantFrom('1', '2', '999'), fc.constantFrom('0', '-1', 'x'), [1, 1])),
    flag('--shard', mix(fc.constantFrom('1/2', '2/2', '1/1'), fc.constantFrom('3/2', '0/1', '1/0', 'x', '1/9007199254740993'), [1, 2])),
    bool('--show-model'),
    bool('--json'),
    fc.constant(['--no-progress']),
  )
  .map((parts) => parts.flat());

const availabilityCase = caseOf(
  'availability',
  fc
    .tuple(fc.array(fc.constant(0), { minLength: 1, maxLength: 2 }), fc.boolean())
    .chain(([ts, withExp]) => fc.tuple(...ts.map((_, i) => yamlFile(`t${i}.yaml`, 'topology')), withExp ? yamlFile('exp.yaml', 'experiment') : fc.constant(null)))
    .map((fs) => fs.filter((f): f is InputFile => f !== null)),
  (fs) =>
    studyFlags.map((flags) => [
      ...fs.filter((f) => f.name.startsWith('t')).map((f) => f.name),
      ...(fs.some((f) => f.name === 'exp.yaml') ? ['--experiment', 'exp.yaml'] : []),
      ...flags,
    ]),
  fc.tuple(outFlag('--out', 'out'), outFlag('--checkpoint', 'cp.json')),
  fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 300, max: 3000 }) }),
);

const sweepCase = caseOf(
  'sweep',
  fc.tuple(yamlFile('topo.yaml', 'topology'), fc.option(yamlFile('exp.yaml', 'experiment'), { nil: null })).map((fs) => fs.filter((f): f is InputFile => f !== null)),
  (fs) =>
    fc
      .tuple(
        mix(fc.constantFrom('node-mttf=30d,60d', 'node-mttr=1h,2h', 'zookeeper.tickTime=1000,2000', 'failures.bursts.zoneJoin=0,1'), fc.constantFrom('node-mttf=', '=1,2', 'nope=1', 'zookeeper.tickTime=abc,1e300', 'node-mttf=1us', ''), [1, 1]),
        studyFlags,
      )
      .map(([vary, flags]) => ['topo.yaml', '--vary', vary, ...(fs.some((f) => f.name === 'exp.yaml') ? ['--experiment', 'exp.yaml'] : []), ...flags]),
  fc.tuple(outFlag('--out', 'out')),
);

const checkCommandCase = caseOf(
  'check',
  fc.option(yamlFile('topo.yaml', 'topology'), { nil: null }).map((f) => (f ? [f] : [])),
  (fs) =>
    fc
      .tuple(
        mix(fc.constant('1'), fc.constantFrom('0', '-1', 'abc', '1e300', '')).map((r) => ['--runs', r]),
        flag('--seed', seedText),
        flag('--quorum-rule', mix(fc.constantFrom('majority', 'naive'), fc.constant('bogus'))),
        flag('--unsafe', mix(fc.constant('ack-before-fsync'), fc.constant('bogus'))),
        bool('--liveness'),
      )
      // without --topology check explores every shipped topology: keep to one
      .map((parts) => [...(fs.length > 0 ? ['--topology', 'topo.yaml'] : ['--topology', 'TOPOLOGIES/n3-1az.yaml']), ...parts.flat()]),
  fc.tuple(outFlag('--out', 'cx')),
);

// ---------------------------------------------------------------------------------------------
// JSON inputs for merge and chart: what the CLI wrote, then damaged

export interface Fixtures {
  /** `availability --shard 1/2 --json` and `2/2`, and `run --json` on n3-1az */
  readonly shard1: string;
  readonly shard2: string;
  readonly run: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `v` (arrays and objects), the root included. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

interface Damage {
  /** which value to change, as an index into `paths` (modulo their number) */
  readonly pick: number;
  readonly op: 'replace' | 'delete';
  readonly value: unknown;
  /** recompute the digest afterwards, so the loaders' own checks (not only the digest) are reached */
  readonly resign: boolean;
}
const damage: fc.Arbitrary<Damage> = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom('replace' as const, 'delete' as const),
  value: fc.oneof(weirdScalar, fc.constantFrom(-5, 5, 1e9, 0.999, '3/2', '1/2', '2/2', 'zksim-availability', '\u001b[2J\u001b]0;x\u0007', 'a\u0000b\u009b')),
  resign: fc.boolean(),
});

function damaged(text: string, ds: readonly Damage[]): string {
  const doc = JSON.parse(text) as Json;
  let root: Json = doc;
  for (const d of ds) {
    const all = paths(root);
    const p = all[d.pick % all.length]!;
    if (p.length === 0) {
      root = d.value as Json;
      continue;
    }
    let parent: Json = root;
    for (const k of p.slice(0, -1)) parent = (parent as Record<string | number, Json>)[k]!;
    const last = p[p.length - 1]!;
    if (d.op === 'delete' && Array.isArray(parent)) parent.splice(last as number, 1);
    else if (d.op === 'delete') delete (parent as Record<string, Json>)[last];
    else (parent as Record<string | number, Json>)[last] = d.value as Json;
  }
  if (ds.some((d) => d.resign) && root !== null && typeof root === 'object' && !Array.isArray(root) && 'digest' in root) {
    root.digest = contentDigest(root, 'digest');
  }
  return JSON.stringify(root);
}

/** A JSON input: as written, damaged, truncated, random bytes, or not JSON at all. */
type JsonFile = { readonly source: keyof Fixtures; readonly how: 'asIs' } | { readonly source: keyof Fixtures; readonly how: 'damage'; readonly damages: Damage[] } | { readonly source: keyof Fixtures; readonly how: 'truncate'; readonly at: number } | { readonly how: 'bytes'; readonly bytes: Uint8Array } | { readonly how: 'yamlFile'; readonly file: InputFile };
const jsonFile = (sources: readonly (keyof Fixtures)[]): fc.Arbitrary<JsonFile> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...sources).map((source) => ({ source, how: 'asIs' }) as const) },
    { weight: 6, arbitrary: fc.record({ source: fc.constantFrom(...sources), damages: fc.array(damage, { minLength: 1, maxLength: 3 }) }).map((r) => ({ ...r, how: 'damage' }) as const) },
    { weight: 1, arbitrary: fc.record({ source: fc.constantFrom(...sources), at: fc.double({ min: 0, max: 1, noNaN: true }) }).map((r) => ({ ...r, how: 'truncate' }) as const) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ how: 'bytes', bytes }) as const) },
    { weight: 1, arbitrary: yamlFile('x', 'topology').map((file) => ({ how: 'yamlFile', file }) as const) },
  );

/** Cases whose files depend on fixtures carry a recipe; `materialize` turns it into bytes. */
export interface JsonCase {
  readonly command: 'merge' | 'chart';
  readonly inputs: readonly JsonFile[];
  readonly outs: readonly OutTarget[];
  readonly flags: readonly string[];
}

const mergeCase: fc.Arbitrary<JsonCase> = fc
  .tuple(
    mix<JsonFile[]>(
      fc.constant([{ source: 'shard1', how: 'asIs' }, { source: 'shard2', how: 'asIs' }]),
      fc.array(jsonFile(['shard1', 'shard2', 'run']), { minLength: 1, maxLength: 3 }),
      [1, 3],
    ),
    bool('--json'),
    outFlag('--out', 'merged'),
    junkArgs,
  )
  .map(([inputs, json, out, junk]) => ({ command: 'merge', inputs, outs: out.outs, flags: [...json, ...out.args, ...junk] }));

const chartCase: fc.Arbitrary<JsonCase> = fc
  .tuple(
    jsonFile(['run', 'shard1', 'shard2']),
    flag('--format', fc.constantFrom('svg', 'png', 'html', 'svg,png,html', 'gif', '', ',', 'svg,svg')),
    // always an --out: the default (the JSON file's directory) is the case directory itself
    outTarget('charts').map((o) => ({ args: ['--out', o.path], outs: [o] })),
    junkArgs,
  )
  .map(([input, format, out, junk]) => ({ command: 'chart', inputs: [input], outs: out.outs, flags: [...format, ...out.args, ...junk] }));

export type AnyCase = { readonly kind: 'files'; readonly c: FuzzCase } | { readonly kind: 'json'; readonly c: JsonCase };

/** Every command, weighted towards the cheap ones (validate) and the ones with the most inputs. */
const someCase: fc.Arbitrary<AnyCase> = fc.oneof(
  { weight: 3, arbitrary: validateCase.map((c) => ({ kind: 'files', c }) as const) },
  { weight: 4, arbitrary: runCase.map((c) => ({ kind: 'files', c }) as const) },
  { weight: 3, arbitrary: availabilityCase.map((c) => ({ kind: 'files', c }) as const) },
  { weight: 1, arbitrary: sweepCase.map((c) => ({ kind: 'files', c }) as const) },
  { weight: 2, arbitrary: mergeCase.map((c) => ({ kind: 'json', c }) as const) },
  { weight: 2, arbitrary: chartCase.map((c) => ({ kind: 'json', c }) as const) },
  { weight: 1, arbitrary: checkCommandCase.map((c) => ({ kind: 'files', c }) as const) },
);

/** A case: sane (valid choices only) or not, half and half; see `mix`. */
export const anyCase: fc.Arbitrary<AnyCase> = fc.boolean().chain((s) => {
  sane = s;
  return someCase;
});

function materialize(c: JsonCase, fx: Fixtures): FuzzCase {
  const files = c.inputs.map((j, i): InputFile => {
    const name = `in${i}.json`;
    switch (j.how) {
      case 'asIs':
        return { name, content: new TextEncoder().encode(fx[j.source]) };
      case 'damage':
        return { name, content: new TextEncoder().encode(damaged(fx[j.source], j.damages)) };
      case 'truncate':
        return { name, content: new TextEncoder().encode(fx[j.source].slice(0, Math.floor(fx[j.source].length * j.at))) };
      case 'bytes':
        return { name, content: j.bytes };
      case 'yamlFile':
        return { name, content: j.file.content };
    }
  });
  return { command: c.command, files, outs: c.outs, args: [c.command, ...files.map((f) => f.name), ...c.flags] };
}

// ---------------------------------------------------------------------------------------------
// Running and judging one case

export interface Settings {
  /** the checkout whose dist/cli/main.js runs */
  readonly root: string;
  /** hang bound per invocation, wall time */
  readonly timeoutMs: number;
}

/** What `case` looks like on a command line, for a failure report. */
export function describeCase(a: AnyCase, fx: Fixtures): string {
  const c = a.kind === 'files' ? a.c : materialize(a.c, fx);
  const files = c.files.map((f) => {
    const body = typeof f.content === 'string' ? `<${f.content}>` : JSON.stringify(new TextDecoder().decode(f.content).slice(0, 2000));
    return `  ${f.name}: ${body}`;
  });
  const outs = c.outs.map((o) => `  out ${JSON.stringify(o.path)}: ${o.setup}`);
  return [`zksim ${c.args.map((x) => JSON.stringify(x)).join(' ')}${c.interruptAfterMs !== undefined ? ` (SIGTERM after ${c.interruptAfterMs} ms)` : ''}`, ...files, ...outs].join('\n');
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * Run one case in a fresh temporary directory (removed afterwards) and throw, with the reason,
 * if any part of the property fails.
 */
export async function checkCase(a: AnyCase, fx: Fixtures, s: Settings): Promise<{ command: Command; status: number | null }> {
  const c = a.kind === 'files' ? a.c : materialize(a.c, fx);
  const dir = mkdtempSync(join(tmpdir(), 'zksim-fuzz-'));
  try {
    for (const f of c.files) {
      if (f.content === 'directory') mkdirSync(join(dir, f.name));
      else if (f.content !== 'missing') writeFileSync(join(dir, f.name), f.content);
    }
    // shipped topologies, reachable without a path outside the case directory
    symlinkSync(join(s.root, 'topologies'), join(dir, 'TOPOLOGIES'));
    for (const o of c.outs) {
      const p = join(dir, o.path);
      if (o.path.startsWith('/') || o.path === '') continue;
      if (o.setup === 'file') writeFileSync(p.replace(/\/below$/, ''), 'previous\n');
      if (o.setup === 'dirWithOld') {
        mkdirSync(p, { recursive: true });
        writeFileSync(join(p, 'availability.json'), '{"old": true}\n');
        writeFileSync(join(p, 'run.json'), '{"old": true}\n');
      }
      if (o.setup === 'dangling') symlinkSync(join(dir, 'nowhere', 'x'), p);
    }
    const before = snapshotTree(dir);
    // argv cannot carry NUL (the OS ends a string there): U+0001 stands in as the control character
    const args = c.args.map((x) => x.replaceAll('\u0000', '\u0001'));
    const r = await zksimBounded(s.root, args, { cwd: dir, timeoutMs: s.timeoutMs, ...(c.interruptAfterMs !== undefined ? { interruptAfterMs: c.interruptAfterMs } : {}) });
    judge(c, r, before, snapshotTree(dir), s);
    return { command: c.command, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function judge(c: FuzzCase, r: BoundedResult, before: Map<string, string>, after: Map<string, string>, s: Settings): void {
  const fail = (why: string): never => {
    throw new Error(`${why}\n  exit ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}\n  stderr: ${JSON.stringify(r.stderr.slice(0, 3000))}\n  stdout: ${JSON.stringify(r.stdout.slice(0, 500))}`);
  };
  if (r.timedOut) fail(`did not end within the hang bound (${s.timeoutMs} ms)`);
  // A SIGTERM that lands while Node is still loading the CLI (before its handlers exist) ends the
  // process by the signal itself: what a shell reports as 143, the documented code.
  const interrupted = c.interruptAfterMs !== undefined && r.status === null && r.signal === 'SIGTERM';
  if (r.status === null && !interrupted) fail(`ended by signal ${r.signal ?? '?'} instead of exiting`);
  const status = interrupted ? 143 : r.status!;
  const allowed = new Set([0, 2]);
  if (c.command === 'run' || c.command === 'check') allowed.add(1);
  if (c.interruptAfterMs !== undefined) allowed.add(143);
  if (!allowed.has(status)) fail(`exit ${status} is not documented for ${c.command} (allowed: ${[...allowed].join(', ')})`);
  if (hasStackTrace(r.stderr) || hasStackTrace(r.stdout)) fail('a stack trace was printed');
  if (/\n[ \t]*\n/.test(r.stderr.trim())) fail('stderr is more than one paragraph');
  // exit 1 of run/check is a result (a violation, reported on stdout), not an error
  const isResult = status === 0 || (status === 1 && (c.command === 'run' || c.command === 'check'));
  if (!isResult && !interrupted && r.stderr.trim() === '') fail('a non-zero exit without a message on stderr');
  const raw = RAW_CONTROL.exec(r.stderr) ?? RAW_CONTROL.exec(r.stdout);
  if (raw) fail(`a raw control character U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} was printed`);
  // Input files never change. What was in an --out directory before may be replaced by a run that
  // succeeds (exit 0, or 1: a violation is a result), never by one that fails.
  const inputs = new Set(c.files.map((f) => f.name));
  for (const [p, content] of before) {
    if ((inputs.has(p) || (status !== 0 && status !== 1)) && after.get(p) !== content) fail(`${p} was changed or removed`);
  }
  const tmp = [...after.keys()].filter((p) => /\.tmp\/?$/.test(p) || /\.tmp[^/]*$/.test(p));
  if (tmp.length > 0) fail(`left ${tmp.join(', ')} behind`);
  if (status !== 0 && status !== 1) {
    // an interrupted study keeps its --checkpoint: that is what it is for (resume)
    const checkpoint = c.args.includes('--checkpoint') ? c.args[c.args.indexOf('--checkpoint') + 1] : undefined;
    const kept = (p: string): boolean => status === 143 && p === checkpoint;
    const added = [...after.keys()].filter((p) => !before.has(p) && !kept(p));
    if (added.length > 0) fail(`exit ${status} but left new files: ${added.join(', ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures

/** Write the JSON inputs merge and chart start from, with the built CLI (about 3 s of CPU). */
export async function makeFixtures(root: string): Promise<Fixtures> {
  const one = async (args: string[]): Promise<string> => {
      const r = await zksimBounded(root, args, { cwd: root, timeoutMs: 120_000 });
      if (r.status !== 0) throw new Error(`fixture ${args.join(' ')} failed: exit ${r.status}: ${r.stderr}`);
      return r.stdout;
    };
  const study = ['availability', 'topologies/n3-1az.yaml', '--runs', '4', '--horizon', '1d', '--seed', '3', '--workers', '1', '--json', '--no-progress'];
    const [shard1, shard2, run] = await Promise.all([
      one([...study, '--shard', '1/2']),
      one([...study, '--shard', '2/2']),
      one(['run', 'topologies/n3-1az.yaml', '--duration', '20s', '--fault', 'kill:leader@5s+5s', '--json']),
    ]);
    return { shard1, shard2, run };
}

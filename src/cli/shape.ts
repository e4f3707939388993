/**
 * Shape checks for the JSON files the CLI reads back (results for `chart` and `merge`,
 * checkpoints): a hand-edited, truncated or foreign file is refused with its file name, the field
 * path and what was expected, before any code that would fail on it deep inside with a TypeError.
 * They check the fields those readers use, not the numbers' meaning (merge and checkpoint
 * integrity are checked where the numbers are used).
 */
import { UserError } from './errors.js';

/** A field's expected shape: a predicate and how to say it. */
export interface Shape {
  readonly expected: string;
  /** null when the value fits; else the path (below the given one) and what was expected there */
  readonly check: (value: unknown, path: string) => { path: string; expected: string; found: unknown } | null;
}

function leaf(expected: string, ok: (v: unknown) => boolean): Shape {
  return { expected, check: (v, path) => (ok(v) ? null : { path, expected, found: v }) };
}

export const string = leaf('a string', (v) => typeof v === 'string');
export const number = leaf('a number', (v) => typeof v === 'number' && Number.isFinite(v));
export const boolean = leaf('true or false', (v) => typeof v === 'boolean');
export const anyValue = leaf('a value', () => true);

export function literal(value: string): Shape {
  return leaf(JSON.stringify(value), (v) => v === value);
}

export function nullable(inner: Shape): Shape {
  return { expected: `${inner.expected} or null`, check: (v, path) => (v === null ? null : inner.check(v, path)) };
}

export function oneOf(...shapes: Shape[]): Shape {
  const expected = shapes.map((s) => s.expected).join(' or ');
  return { expected, check: (v, path) => (shapes.some((s) => s.check(v, path) === null) ? null : { path, expected, found: v }) };
}

export function array(item: Shape): Shape {
  return {
    expected: `a list of ${item.expected}`,
    check: (v, path) => {
      if (!Array.isArray(v)) return { path, expected: `a list`, found: v };
      for (let i = 0; i < v.length; i++) {
        const bad = item.check(v[i], `${path}[${i}]`);
        if (bad) return bad;
      }
      return null;
    },
  };
}

export function record(value: Shape): Shape {
  return {
    expected: `a mapping of ${value.expected}`,
    check: (v, path) => {
      if (!isRecord(v)) return { path, expected: 'an object', found: v };
      for (const [k, x] of Object.entries(v)) {
        const bad = value.check(x, `${path}.${k}`);
        if (bad) return bad;
      }
      return null;
    },
  };
}

/** An object with these fields; a key ending in `?` may be absent. Other fields are ignored. */
export function object(fields: Readonly<Record<string, Shape>>, expected = 'an object'): Shape {
  return {
    expected,
    check: (v, path) => {
      if (!isRecord(v)) return { path, expected, found: v };
      for (const [key, shape] of Object.entries(fields)) {
        const optional = key.endsWith('?');
        const name = optional ? key.slice(0, -1) : key;
        const at = path === '' ? name : `${path}.${name}`;
        if (!(name in v) || v[name] === undefined) {
          if (optional) continue;
          return { path: at, expected: shape.expected, found: undefined };
        }
        const bad = shape.check(v[name], at);
        if (bad) return bad;
      }
      return null;
    },
  };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeFound(v: unknown): string {
  if (v === undefined) return 'none';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return `${typeof v} ${String(v)}`;
}

/** Throws `file: path: expected …, found …` (exit 2) unless `value` fits `shape`. */
export function requireShape(value: unknown, shape: Shape, file: string, what: string): void {
  const bad = shape.check(value, '');
  if (bad === null) return;
  const where = bad.path === '' ? `${file}: not ${what}` : `${file}: ${bad.path}`;
  throw new UserError(`${where}: expected ${bad.expected}, found ${describeFound(bad.found)}`);
}

/** Parses JSON, naming the file when it is not JSON. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

// ---------------------------------------------------------------------------------------------
// The documents

const ci = array(number);

/** An availability row as the charts, tables and merge read it. */
const availabilityRow = object({
  topology: string,
  voters: number,
  runs: number,
  horizonYears: number,
  writeAvailability: number,
  writeAvailabilityCi95: ci,
  'quorumAvailability?': number,
  'quorumAvailabilityCi95?': ci,
  analyticQuorumAvailability: nullable(number),
  downtimeMinutesPerYear: number,
  downtimeByCause: record(number),
  'downtimeByProcess?': record(number),
  'variant?': nullable(object({ key: string, value: string })),
});

/** What `chart` renders from `zksim availability --json` (older documents without `kind` too). */
export const availabilityForChart = object(
  { seed: string, 'experiment?': string, 'version?': string, results: array(availabilityRow), 'notes?': array(string), 'assumptions?': array(string) },
  'a zksim availability document (seed, results[])',
);

/** What `chart` renders from `zksim run --json`. */
export const runForChart = object(
  {
    seed: string,
    'topology?': string,
    'version?': string,
    durationMs: number,
    'faults?': array(string),
    elections: array(object({ startedAtMs: number, endedAtMs: nullable(number), durationMs: nullable(number) })),
    timeline: array(object({ atMs: number, who: oneOf(number, string), kind: string, what: string })),
    // the typed events (report/run-json.ts RunEventJson) the timeline chart reads; documents
    // written before they existed are refused here rather than drawn without roles
    eventLog: array(object({ type: string, atMs: number }, 'an event ({ type, atMs, … })')),
    'config?': object({ 'servers?': array(object({ id: number, 'zone?': string, 'role?': string })) }),
    'writes?': nullable(object({ 'latencyHistogramUs?': object({ count: number, buckets: array(number) }) })),
  },
  'a zksim run document (seed, durationMs, elections, timeline, eventLog)',
);

const shard = nullable(object({ index: number, count: number }));

/** What `merge` reads of each shard (the numbers' integrity is checked by mergeDocuments). */
export const availabilityForMerge = object(
  {
    kind: literal('zksim-availability'),
    'format?': number,
    seed: string,
    version: string,
    options: object({ runs: number, horizonUs: number, precision: nullable(number), shard, chunkSize: number }),
    results: array(
      object({
        topology: string,
        'variant?': nullable(object({ key: string, value: string })),
        config: object({ topology: object({}), experiment: object({}) }),
        statistics: object({}),
        'stoppedBy?': string,
      }),
    ),
  },
  'a zksim availability document (the --json output of zksim availability --shard K/N)',
);

/** A `--checkpoint` file, before montecarlo's own checks (fingerprint, accumulators). */
export const checkpointShape = object(
  {
    kind: literal('zksim-checkpoint'),
    fingerprint: string,
    parts: object({
      version: string,
      seed: string,
      runs: number,
      horizonUs: number,
      precision: nullable(number),
      shard: nullable(string),
      chunkSize: number,
      studies: array(string),
    }),
    studies: array(object({ key: string, nextChunk: number, finished: nullable(string), acc: object({}) })),
  },
  'a zksim checkpoint (written by --checkpoint)',
);

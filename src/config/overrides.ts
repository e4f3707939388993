/**
 * `--set PATH=VALUE` on frozen configuration objects (experiments, topologies), with immer's
 * `produce`: the result is a new frozen object sharing every untouched branch with the base.
 *
 * PATH uses the YAML spelling: `failures.hostFailures.mttr.median`, `failures.bursts.window`,
 * `failures.domainOutages[0].duration.mean` (or `.0.`), `zookeeper.tickTime`, `latency.sameZone.max`,
 * `servers[2].zone`, `servers[1].storage.fsync.median` (a server's own storage, when its file
 * has one). A segment `x` finds the field `x`, else `xUs` / `xMs` (resolved fields carry
 * their unit in the name), and `zookeeper` finds `zk`.
 *
 * VALUE is read against the field it replaces:
 *   - a field in microseconds (name ending in `Us`, or a time parameter of a distribution, i.e. a
 *     key other than sigma/shape next to a `dist`) takes a duration with a unit (`4h`); a bare
 *     number is refused — µs, ms and seconds are too easy to confuse;
 *   - a field in milliseconds (name ending in `Ms`) takes a duration or a bare number of ms, as
 *     topology files do; so do a topology's ZooKeeper times and the time parameters of its
 *     latency and fsync distributions (held in µs: a bare number there is ms, as in the file);
 *   - any other number field takes a number (a duration there is refused);
 *   - a string field takes the text as is; a boolean field takes true/false;
 *   - mappings, lists and null (a process that is off) cannot be replaced wholesale.
 * Only the shape is checked here; re-validate the result (validateExperiment, validateTopology)
 * for ranges and cross-field rules.
 */
import { produce, type Draft } from 'immer';
import { parseDurationUs, US_PER_MS } from '../model/duration.js';
import { durationHint } from './yaml-reader.js';
import { closest } from './suggest.js';

export type ApplySetResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const ALIASES: Readonly<Record<string, string>> = { zookeeper: 'zk' };
const DIMENSIONLESS = new Set(['sigma', 'shape']);
const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** `a.b[0].c` → ['a', 'b', '0', 'c']; null on an empty segment. */
function splitPath(path: string): string[] | null {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  return parts.some((p) => p === '') ? null : parts;
}

/** The YAML spelling of a resolved field name. */
function displayKey(key: string): string {
  for (const [alias, field] of Object.entries(ALIASES)) if (field === key) return alias;
  return key.replace(/(Us|Ms)$/, '');
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'a mapping';
  return `a ${typeof x}`;
}

/** `msAsUs`: a µs field that files write in ms (a topology's times): a bare number is ms. */
type Unit = 'us' | 'ms' | 'msAsUs' | 'number';

/** The top-level keys of a topology whose times (µs fields, distribution parameters) files write in ms. */
const MS_ROOTS: ReadonlySet<string> = new Set(['zk', 'latency', 'storage']);

/** Under a root whose times files write in ms: MS_ROOTS, or a server's own `storage` (`servers[1].storage.fsync.median`). */
function inMsRoot(keys: readonly (string | number)[]): boolean {
  return MS_ROOTS.has(String(keys[0])) || (keys[0] === 'servers' && keys[2] === 'storage');
}

export function applySet<T extends object>(base: T, path: string, rawValue: string): ApplySetResult<T> {
  const parts = splitPath(path.trim());
  if (parts === null) return { ok: false, error: `bad path "${path}": expected keys separated by dots, e.g. failures.hostFailures.mttr.median` };

  // Walk the base to resolve every segment to a real key or index, with errors in YAML spelling.
  const keys: (string | number)[] = [];
  let node: unknown = base;
  let parent: unknown = undefined;
  let where = '';
  for (const part of parts) {
    const here = where === '' ? part : `${where}.${part}`;
    if (Array.isArray(node)) {
      const index = /^\d+$/.test(part) ? Number(part) : Number.NaN;
      if (!(index < node.length)) {
        const range = node.length === 0 ? 'it is empty' : `indices 0..${node.length - 1}`;
        return { ok: false, error: `no ${here}: ${where} is a list (${range})` };
      }
      keys.push(index);
      parent = node;
      node = node[index];
    } else if (isRecord(node)) {
      const fields = Object.keys(node);
      const key = [part, ALIASES[part], `${part}Us`, `${part}Ms`].find((k) => k !== undefined && fields.includes(k));
      if (key === undefined) {
        const names = fields.map(displayKey);
        const guess = closest(part, names);
        const hint = guess === undefined ? '' : ` (did you mean "${where === '' ? guess : `${where}.${guess}`}"?)`;
        return { ok: false, error: `no ${here}${hint}; ${where === '' ? 'top-level keys' : `keys of ${where}`}: ${names.join(', ')}` };
      }
      keys.push(key);
      parent = node;
      node = node[key];
    } else {
      const why = node === null ? `${where} is null (switched off); it has no "${part}"` : `${where} is ${kindOf(node)}, not a mapping`;
      return { ok: false, error: `no ${here}: ${why}` };
    }
    where = here;
  }

  const last = keys[keys.length - 1];
  const lastKey = typeof last === 'string' ? last : '';
  let value: unknown;
  const raw = rawValue.trim();
  if (typeof node === 'number') {
    const isDistParam = isRecord(parent) && typeof parent.dist === 'string' && lastKey !== 'dist';
    const inUs = lastKey.endsWith('Us') || (isDistParam && !DIMENSIONLESS.has(lastKey));
    const unit: Unit = lastKey.endsWith('Ms') ? 'ms' : inUs && inMsRoot(keys) ? 'msAsUs' : inUs ? 'us' : 'number';
    const parsed = readNumber(raw, unit, lastKey);
    if (typeof parsed === 'string') return { ok: false, error: `${path}: ${parsed}` };
    value = parsed;
  } else if (typeof node === 'string') {
    if (lastKey === 'dist' && isRecord(parent) && raw !== node) {
      // Each kind has its own parameters (mean; median and sigma; value; …): switching the kind
      // alone would leave the old kind's parameters behind.
      return { ok: false, error: `${path}: --set cannot change a distribution's kind (${node} to ${raw}): the kinds take different parameters; write the distribution in the experiment file, e.g. { dist: fixed, value: 4h }` };
    }
    value = rawValue;
  } else if (typeof node === 'boolean') {
    if (raw !== 'true' && raw !== 'false') return { ok: false, error: `${path}: expected true or false, found "${rawValue}"` };
    value = raw === 'true';
  } else if (node === null) {
    return { ok: false, error: `${path} is null (switched off); --set cannot add a whole section, write it in the file` };
  } else {
    const inner = isRecord(node) ? `; set one of its keys: ${Object.keys(node).map(displayKey).join(', ')}` : '';
    return { ok: false, error: `${path} is ${kindOf(node)}, not a single value${inner}` };
  }

  const out = produce(base, (draft: Draft<T>) => {
    let target = draft as unknown as Record<string | number, unknown>;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
    target[last as string | number] = value;
  });
  return { ok: true, value: out };
}

/** A number in the field's unit, or an error message. */
function readNumber(raw: string, unit: Unit, key: string): number | string {
  const us = parseDurationUs(raw);
  const isNumber = NUMBER_RE.test(raw);
  if (unit === 'us') {
    if (us !== null) return us;
    if (isNumber) return `expected a duration with a unit such as 90s, 4h or 30d, found bare number ${raw} (add a unit)`;
    return `expected a duration with a unit such as 90s, 4h or 30d, found "${raw}"${durationHint(raw)}`;
  }
  if (unit === 'msAsUs') {
    if (us !== null) return us;
    if (isNumber) return Number(raw) * US_PER_MS;
    return `expected a duration such as 2ms or a number of milliseconds, found "${raw}"${durationHint(raw)}`;
  }
  if (unit === 'ms') {
    if (us !== null) return us / US_PER_MS;
    if (isNumber) return Number(raw);
    return `expected a duration such as 2s or a number of milliseconds, found "${raw}"${durationHint(raw)}`;
  }
  if (isNumber) return Number(raw);
  if (us !== null) return `expected a plain number, found the duration "${raw}" (${displayKey(key)} has no unit)`;
  return `expected a number, found "${raw}"`;
}

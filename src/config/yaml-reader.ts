/**
 * What every YAML file reader of config/ shares: errors placed at the offending node (a missing
 * value at its key; semantic errors at the node of the path or its nearest ancestor), unknown
 * keys with a "did you mean", and typed scalar reads. TopologyReader and ExperimentReader extend it.
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLError } from 'yaml';
import type { ConfigError } from './errors.js';
import { parseDurationUs, US_PER_DURATION_UNIT } from '../model/duration.js';
import { didYouMean } from './suggest.js';

export interface Entry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: unknown;
}

export function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return `"${v}"`;
    return `${typeof v} ${String(v)}`;
  }
  // Anchors and aliases are not read (a value is written where it is used); the error is placed at the alias.
  if (isAlias(node)) return `the alias *${node.source} (YAML anchors and aliases are not supported: write the value out)`;
  return 'an unsupported node';
}

/** 2⁵³ − 1 µs, the longest duration the simulator's clock (integer microseconds in a double) holds. */
export const MAX_DURATION_TEXT = '285 years';

const DURATION_SYNTAX = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d|w|y)$/;

/**
 * Why a text shaped like a duration was still refused by parseDurationUs, as a suffix for the
 * error message: too long (naming the limit) or finer than a microsecond; '' otherwise.
 */
export function durationHint(text: string): string {
  const m = DURATION_SYNTAX.exec(text.trim());
  if (m === null || parseDurationUs(text) !== null) return ''; // not a duration, or refused for another reason (zero)
  const approxUs = Number(m[1]) * (US_PER_DURATION_UNIT[m[2] ?? 's'] ?? 1);
  if (approxUs > Number.MAX_SAFE_INTEGER) return ` (too long: durations up to ${MAX_DURATION_TEXT})`;
  return ' (finer than a microsecond, the simulator\'s unit of time)';
}

/** `durationHint` for a YAML node: '' unless it is a string scalar. */
export function durationHintOf(node: unknown): string {
  return isScalar(node) && typeof node.value === 'string' ? durationHint(node.value) : '';
}

export class YamlReader {
  readonly errors: ConfigError[] = [];
  /** YAML node of every path we read, to place semantic errors */
  protected readonly nodes = new Map<string, Node>();
  protected readonly errorPaths: string[] = [];

  constructor(
    protected readonly file: string,
    protected readonly lineCounter: LineCounter,
  ) {}

  errorAtOffset(path: string, offset: number | undefined, message: string): void {
    const error: { -readonly [K in keyof ConfigError]: ConfigError[K] } = { file: this.file, path, message };
    if (offset !== undefined) {
      const { line, col } = this.lineCounter.linePos(offset);
      error.line = line === 0 ? 1 : line;
      error.column = line === 0 ? col + 1 : col;
    }
    this.errors.push(error);
    this.errorPaths.push(path);
  }

  /**
   * The YAML library's syntax errors in user terms, each at its position: a duplicate key is
   * named, a second document (`---`) is "one document expected", an unexpected token says what to
   * check; others keep the library's text without its advice to callers. `text`: the parsed source.
   */
  syntaxErrors(errors: readonly YAMLError[], text: string): void {
    for (const e of errors) this.errorAtOffset('', e.pos[0], yamlSyntaxMessage(e, text));
  }

  /** At the node; a missing value (`key:` with nothing after it) is reported at its key. */
  errorAt(path: string, node: unknown, message: string): void {
    const empty = node === null || node === undefined || (isScalar(node) && node.value === null);
    this.errorAtOffset(path, offsetOf(empty ? (this.nodes.get(path) ?? node) : node), message);
  }

  /** Semantic errors: placed at the node of the path, or of its nearest ancestor that exists. */
  errorAtPath(path: string, message: string): void {
    let probe = path;
    for (;;) {
      const node = this.nodes.get(probe);
      if (node !== undefined || probe === '') {
        this.errorAt(path, node, message);
        return;
      }
      probe = parentPath(probe);
    }
  }

  /** True when a reading error already covers this path or an ancestor (avoid double reports). */
  hasErrorAtOrAbove(path: string): boolean {
    return this.errorPaths.some((p) => p === '' || p === path || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
  }

  protected remember(path: string, node: unknown): void {
    if (isNode(node) && !(isScalar(node) && node.value === null)) this.nodes.set(path, node);
  }

  /**
   * The entries of a mapping, reporting unknown keys (with `expected`, by default every known key
   * listed); null (after an error) when not a mapping.
   */
  protected entries(node: unknown, path: string, known: readonly string[], expected = `one of ${known.join(', ')}`): Entry[] | null {
    this.remember(path, node);
    if (!isMap(node)) {
      this.errorAt(path, node, `expected a mapping, found ${describe(node)}`);
      return null;
    }
    const out: Entry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      const keyPath = join(path, '?');
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
        this.errorAt(keyPath, keyNode, `expected a key name, found ${describe(keyNode)}`);
        continue;
      }
      const key = keyNode.value;
      if (!known.includes(key)) {
        this.errorAt(join(path, key), keyNode, `unknown key "${key}"${didYouMean(key, known)}; expected ${expected}`);
        continue;
      }
      const value: unknown = pair.value;
      out.push({ key, keyNode, value });
      const empty = !isNode(value) || (isScalar(value) && value.value === null);
      this.remember(join(path, key), empty ? keyNode : value);
    }
    return out;
  }

  protected string(node: unknown, path: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.errorAt(path, node, `expected a string, found ${describe(node)}`);
    return undefined;
  }

  protected integer(node: unknown, path: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'number' && Number.isSafeInteger(node.value)) return node.value;
    this.errorAt(path, node, `expected an integer, found ${describe(node)}`);
    return undefined;
  }

  protected boolean(node: unknown, path: string): boolean | undefined {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.errorAt(path, node, `expected true or false, found ${describe(node)}`);
    return undefined;
  }

  protected number(node: unknown, path: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
    this.errorAt(path, node, `expected a number, found ${describe(node)}`);
    return undefined;
  }

  protected oneOf<T extends string>(node: unknown, path: string, choices: readonly T[]): T | undefined {
    if (isScalar(node) && typeof node.value === 'string' && (choices as readonly string[]).includes(node.value)) {
      return node.value as T;
    }
    const hint = isScalar(node) && typeof node.value === 'string' ? didYouMean(node.value, choices) : '';
    this.errorAt(path, node, `expected one of ${choices.join(', ')}, found ${describe(node)}${hint}`);
    return undefined;
  }

  /** Required keys of a mapping that read fine; reports each missing one at the mapping. */
  protected requireKeys(node: unknown, path: string, entries: readonly Entry[], required: readonly string[]): boolean {
    let ok = true;
    for (const key of required) {
      if (!entries.some((e) => e.key === key)) {
        this.errorAt(join(path, key), node, `expected "${key}", found none`);
        ok = false;
      }
    }
    return ok;
  }
}

export function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value) || isAlias(value);
}

export function offsetOf(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `servers[2].zone` → `servers[2]` → `servers` → `` */
export function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

/** One YAML syntax error in user terms (YamlReader.syntaxErrors). */
export function yamlSyntaxMessage(e: YAMLError, text: string): string {
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^\s*(?:"([^"]*)"|'([^']*)'|([^\s:,{}[\]]+))/.exec(text.slice(e.pos[0]));
    const name = key === null ? null : (key[1] ?? key[2] ?? key[3] ?? null);
    return `${name === null ? 'a key' : `the key "${name}"`} appears twice in this mapping: expected each key once`;
  }
  if (/multiple documents/i.test(e.message)) return 'expected one YAML document, found a second one (after ---): put everything in one document';
  if (e.code === 'UNEXPECTED_TOKEN') return 'YAML syntax: unexpected text here: check the quotes, the commas between the entries of { } and [ ], and the indentation';
  return `YAML syntax: ${e.message.replace(/;\s*please use .*$/i, '')}`;
}

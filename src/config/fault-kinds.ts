/**
 * The text half of the fault-kind table (ARCHITECTURE.md "One place per fault kind"): for each
 * kind its `--fault` keywords, syntax, help line, parser and formatter. The behaviour half (apply,
 * repair, affected servers, the `check` arbitrary) is scenario/fault-kinds.ts, whose entries extend
 * these; `parseFault`, `formatFault`, the `run --help` fault lines and the README's fault table
 * (checked by test/scenario/fault-table.test.ts) all come from the table. Pure; no I/O.
 *
 * A fault's text is `KEYWORD:TARGET@T[+DUR]`: T and DUR are durations with a unit (`10s`, `1.5m`,
 * `0s`); without `+DUR` the fault is never repaired. NODE is a server id or `leader` (whoever
 * leads when the fault fires).
 */
import type { DomainLevel } from '../model/experiment.js';
import type { ServerId } from '../model/ids.js';
import { formatDurationUs, parseDurationUs } from '../model/duration.js';
import type { FaultBase, FaultKind, FaultOf, NodeFault, NodeKind } from '../model/faults.js';
import {
  fail,
  formatInlineDistribution,
  formatNode,
  knownServer,
  parseInlineDistribution,
  parseNode,
  parsePercent,
  parseTwoSides,
  parseZone,
  splitParam,
  type FaultParseContext,
} from './fault-parse.js';
import { durationHint } from './yaml-reader.js';
import { RECONFIG_SYNTAX } from './reconfig-syntax.js';
import { MAINTENANCE_SYNTAX } from './maintenance-syntax.js';
import { BYZANTINE_SYNTAX } from './byzantine-syntax.js';

/** The fields of fault `F` that its target text gives (everything but the timing and source). */
export type FaultTarget<F extends FaultBase> = Omit<F, 'atUs' | 'durationUs' | 'source'>;

/** How one fault kind is written. */
export interface FaultSyntax<F extends FaultBase = FaultBase> {
  /** the kind in `FaultSpec` (one kind may have several keywords: domain-down) */
  readonly kind: F['kind'];
  /** the words before the colon that select this kind, in help order */
  readonly keywords: readonly string[];
  /** the syntax, one per keyword, e.g. `kill:NODE@T[+DUR]` (help, README) */
  readonly syntax: readonly string[];
  /** what happens, one sentence (help, README) */
  readonly help: string;
  /**
   * The fault's target fields from `target`, the text between `KEYWORD:` and the last `@`.
   * Throws (via fault-parse.ts `fail`) a message naming the fault text and what was expected.
   */
  parse(keyword: string, target: string, ctx: FaultParseContext): FaultTarget<F>;
  /** `KEYWORD:TARGET`, the canonical text before `@`; `parse` of it gives the same fields back */
  head(f: F): string;
  /**
   * Set for a kind that takes no `+DUR` (it is over the instant it fires: `start`, `blackhole`):
   * what to say when one is given, e.g. `a start is never repaired`.
   */
  readonly noDuration?: string;
}

function nodeSyntax<K extends NodeKind>(kind: K, help: string): FaultSyntax<NodeFault<K>> {
  return {
    kind,
    keywords: [kind],
    syntax: [`${kind}:NODE@T[+DUR]`],
    help,
    parse: (_keyword, target, ctx) => ({ kind, node: parseNode(target, ctx) }) as FaultTarget<NodeFault<K>>,
    head: (f) => `${kind}:${formatNode(f.node)}`,
  };
}

const DOMAIN_KEYWORDS: Readonly<Record<DomainLevel, string>> = { zone: 'zone-down', rack: 'rack-down', region: 'region-down' };

function parseDomain(keyword: string, target: string, ctx: FaultParseContext): FaultTarget<FaultOf<'domain-down'>> {
  const level: DomainLevel = keyword === 'rack-down' ? 'rack' : keyword === 'region-down' ? 'region' : 'zone';
  const name = target.trim();
  if (level === 'zone') return { kind: 'domain-down', level, name: parseZone(name, ctx) };
  const known = [...new Set(ctx.topology.servers.map((s) => s[level]))];
  if (!known.includes(name)) fail(`unknown ${level} ${name} in ${ctx.quoted} (${level}s: ${known.join(', ')})`);
  return { kind: 'domain-down', level, name };
}

/** `A>B:PARAM`: the directed links and the parameter text (loss, delay). */
function parseLinksParam(keyword: string, target: string, ctx: FaultParseContext, example: string): [ServerId[], ServerId[], string] {
  const [links, param] = splitParam(target, `expected FROM>TO:${example} (e.g. ${keyword}:1>2,3:${example}@10s+1m)`, ctx);
  const [from, to] = parseTwoSides(links, '>', `expected FROM>TO:${example} (e.g. ${keyword}:1>2,3:${example}@10s+1m)`, 'on both sides of', ctx);
  return [from, to, param];
}

/** The issue-13 kinds: late starts and gray failures (a pause, a slow or full disk, a lossy or slow link, a middlebox). */
const GRAY_SYNTAX = {
  start: {
    kind: 'start',
    keywords: ['start'],
    syntax: ['start:NODE@T'],
    help: 'NODE (a server id) is not running at time 0 and starts at T: staggered cold starts, late joiners; no +DUR',
    noDuration: 'a start is never repaired',
    parse: (_keyword, target, ctx) => {
      const t = target.trim();
      if (!/^\d+$/.test(t)) fail(`expected a server id (start names a server, not "leader"), found "${t}" in ${ctx.quoted}`);
      return { kind: 'start', server: knownServer(Number(t), ctx) };
    },
    head: (f) => `start:${f.server}`,
  },
  pause: nodeSyntax('pause', 'a stop-the-world pause (JVM GC): the process runs no timers, sends and handles nothing, its connections stay open and its peers\' timeouts run; resumes after DUR'),
  'slow-disk': {
    kind: 'slow-disk',
    keywords: ['slow-disk'],
    syntax: ['slow-disk:NODE:fsync=DIST@T[+DUR]', 'slow-disk:NODE:stall@T[+DUR]'],
    help: 'every fsync of NODE\'s disk takes DIST (200ms, exponential(200ms), lognormal(50ms,1.2), uniform(100ms,2s)); stall: no write completes until the repair',
    parse: (_keyword, target, ctx) => {
      const [node, param] = splitParam(target, 'expected NODE:fsync=DIST or NODE:stall (e.g. slow-disk:2:fsync=200ms@10s+5m)', ctx);
      const p = param.trim();
      if (p === 'stall') return { kind: 'slow-disk', node: parseNode(node, ctx), fsync: 'stall' };
      if (!p.startsWith('fsync=')) fail(`expected fsync=DIST or stall after the node, found "${p}" in ${ctx.quoted}`);
      return { kind: 'slow-disk', node: parseNode(node, ctx), fsync: parseInlineDistribution(p.slice('fsync='.length), ctx) };
    },
    head: (f) => `slow-disk:${formatNode(f.node)}:${f.fsync === 'stall' ? 'stall' : `fsync=${formatInlineDistribution(f.fsync)}`}`,
  },
  'disk-full': nodeSyntax('disk-full', 'every write to NODE\'s disk fails (ENOSPC): the txn-log thread dies, the server drops its role and elects again, a snapshot write exits the process; writable again after DUR'),
  loss: {
    kind: 'loss',
    keywords: ['loss'],
    syntax: ['loss:A>B:P%@T[+DUR]'],
    help: 'each transmission from A to B lost with probability P (TCP retransmits: late, in order, never reordered); B to A unaffected',
    parse: (keyword, target, ctx) => {
      const [from, to, param] = parseLinksParam(keyword, target, ctx, '30%');
      return { kind: 'loss', from, to, percent: parsePercent(param, ctx) };
    },
    head: (f) => `loss:${f.from.join(',')}>${f.to.join(',')}:${f.percent}%`,
  },
  delay: {
    kind: 'delay',
    keywords: ['delay'],
    syntax: ['delay:A>B:EXTRA@T[+DUR]'],
    help: 'EXTRA (a duration) added to every one-way delivery from A to B; B to A unaffected',
    parse: (keyword, target, ctx) => {
      const [from, to, param] = parseLinksParam(keyword, target, ctx, '50ms');
      const extraUs = parseDurationUs(param);
      if (extraUs === null || extraUs === 0) fail(`expected a positive extra delay such as 50ms, found "${param.trim()}" in ${ctx.quoted}${durationHint(param)}`);
      return { kind: 'delay', from, to, extraUs };
    },
    head: (f) => `delay:${f.from.join(',')}>${f.to.join(',')}:${formatDurationUs(f.extraUs)}`,
  },
  blackhole: {
    kind: 'blackhole',
    keywords: ['blackhole'],
    syntax: ['blackhole:A|B@T'],
    help: 'a middlebox silently drops the established connections between the groups (no RST: each end finds out by its own timeouts); new connections work, so no +DUR',
    noDuration: 'a blackhole drops the connections open at T and is over; new connections work',
    parse: (_keyword, target, ctx) => ({
      kind: 'blackhole',
      groups: parseTwoSides(target, '|', 'expected two groups separated by "|" (e.g. blackhole:1|2,3@10s)', 'in both groups of', ctx),
    }),
    head: (f) => `blackhole:${f.groups[0].join(',')}|${f.groups[1].join(',')}`,
  },
} as const satisfies { readonly [K in 'start' | 'pause' | 'slow-disk' | 'disk-full' | 'loss' | 'delay' | 'blackhole']: FaultSyntax<FaultOf<K>> };

/** The built-in kinds' syntax; one entry per `FaultKind`, the compiler checks none is missing. */
export const FAULT_SYNTAX = {
  kill: nodeSyntax('kill', 'the process is killed; the host stays up, so peers see their connections reset once its kernel has closed them (process.exitClose) plus one network delay; restarted after DUR (a full process start)'),
  crash: nodeSyntax('crash', 'the host goes down silently: peers notice only through timeouts'),
  isolate: nodeSyntax('isolate', 'every link of NODE cut, both directions'),
  partition: {
    kind: 'partition',
    keywords: ['partition'],
    syntax: ['partition:A,B|C,D@T[+DUR]'],
    help: 'links between the two groups cut; members are server ids or zone names; servers not named keep their links',
    parse: (_keyword, target, ctx) => ({
      kind: 'partition',
      groups: parseTwoSides(target, '|', 'expected two groups separated by "|" (e.g. partition:1,2|3@10s)', 'in both groups of', ctx),
    }),
    head: (f) => `partition:${f.groups[0].join(',')}|${f.groups[1].join(',')}`,
  },
  oneway: {
    kind: 'oneway',
    keywords: ['oneway'],
    syntax: ['oneway:A>B@T[+DUR]'],
    help: "A's messages to B dropped, B's to A still delivered",
    parse: (_keyword, target, ctx) => {
      const [from, to] = parseTwoSides(target, '>', 'expected FROM>TO (e.g. oneway:1>2,3@10s)', 'on both sides of', ctx);
      return { kind: 'oneway', from, to };
    },
    head: (f) => `oneway:${f.from.join(',')}>${f.to.join(',')}`,
  },
  'domain-down': {
    kind: 'domain-down',
    keywords: ['zone-down', 'rack-down', 'region-down'],
    syntax: ['zone-down:ZONE@T[+DUR]', 'rack-down:RACK@T[+DUR]', 'region-down:REGION@T[+DUR]'],
    help: 'every host in the domain down (silent)',
    parse: parseDomain,
    head: (f) => `${DOMAIN_KEYWORDS[f.level]}:${f.name}`,
  },
  wipe: nodeSyntax('wipe', 'as crash, and the server comes back with an empty disk'),
  ...GRAY_SYNTAX,
  reconfig: RECONFIG_SYNTAX,
  maintenance: MAINTENANCE_SYNTAX,
  ...BYZANTINE_SYNTAX,
} as const satisfies { readonly [K in FaultKind]: FaultSyntax<FaultOf<K>> };

/** The built-in kinds in table order: help, error messages and `FAULT_KINDS` list them so. */
export const FAULT_KIND_ORDER = [
  'kill',
  'crash',
  'isolate',
  'partition',
  'oneway',
  'domain-down',
  'wipe',
  'start',
  'pause',
  'slow-disk',
  'disk-full',
  'loss',
  'delay',
  'blackhole',
  'reconfig',
  'maintenance',
  'inflate-vote',
  'ack-unlogged',
  'flip-txn',
] as const satisfies readonly FaultKind[];

/** Compile-time check that FAULT_KIND_ORDER names every FaultKind: a kind left out fails to typecheck here. */
const everyKindOrdered: Exclude<FaultKind, (typeof FAULT_KIND_ORDER)[number]> extends never ? true : never = true;
void everyKindOrdered;

/**
 * A fault-kind table: entries looked up by kind (`FaultBase.kind`) and by keyword. Built from
 * `FAULT_SYNTAX` by default; scenario/fault-kinds.ts builds the full table (with apply, repair and
 * arbitraries) as a subclass, and a test may register extra kinds (`withFaultKinds`).
 * Throws when two entries share a kind or a keyword.
 */
export class FaultSyntaxTable<E extends FaultSyntax<any> = FaultSyntax<any>> {
  private readonly kinds = new Map<string, E>();
  private readonly words = new Map<string, E>();
  /** every keyword, in table order */
  readonly keywords: readonly string[];

  constructor(readonly entries: readonly E[]) {
    const keywords: string[] = [];
    for (const e of entries) {
      if (this.kinds.has(e.kind)) throw new Error(`fault kind ${e.kind} registered twice`);
      this.kinds.set(e.kind, e);
      for (const w of e.keywords) {
        if (this.words.has(w)) throw new Error(`fault keyword ${w} registered twice`);
        this.words.set(w, e);
        keywords.push(w);
      }
    }
    this.keywords = keywords;
  }

  /** The entry of `kind`; throws for a kind the table lacks (a fault built in code, not parsed). */
  entry(kind: string): E {
    const e = this.kinds.get(kind);
    if (e === undefined) throw new Error(`unknown fault kind ${JSON.stringify(kind)} (kinds: ${[...this.kinds.keys()].join(', ')})`);
    return e;
  }

  /** The entry a keyword selects; undefined when none does. */
  byKeyword(word: string): E | undefined {
    return this.words.get(word);
  }
}

/** The built-in syntax table. */
export const FAULT_SYNTAX_TABLE: FaultSyntaxTable = new FaultSyntaxTable(FAULT_KIND_ORDER.map((k) => FAULT_SYNTAX[k] as FaultSyntax<any>));

/**
 * The `--fault` vocabulary, parsed against a topology (pure; no I/O). The kinds, their syntax and
 * help lines are the table in config/fault-kinds.ts (`faultHelpLines` prints them); this module
 * splits `KEYWORD:TARGET@T[+DUR]` and hands TARGET to the kind's parser.
 */
import type { FaultBase, FaultSpec } from '../model/faults.js';
import type { Topology } from '../model/topology.js';
import { FAULT_SYNTAX_TABLE, type FaultSyntax, type FaultSyntaxTable } from './fault-kinds.js';
import { FaultSyntaxError, fail, formatTiming, parseTiming } from './fault-parse.js';
import { didYouMean } from './suggest.js';

export type ParseFaultResult<F extends FaultBase = FaultSpec> = { readonly ok: true; readonly fault: F } | { readonly ok: false; readonly error: string };

/** Every built-in keyword (the words before `:`), in table order. */
export const FAULT_KINDS: readonly string[] = FAULT_SYNTAX_TABLE.keywords;

/**
 * `text` as a fault, or `{ ok: false, error }` with a message naming the text and what was
 * expected (unknown kind with a suggestion, unknown server/zone/domain with the known ones, bad
 * time). `table` defaults to the built-in kinds; with another table the fault is of its kinds.
 */
export function parseFault(text: string, topology: Topology): ParseFaultResult;
export function parseFault(text: string, topology: Topology, table: FaultSyntaxTable): ParseFaultResult<FaultBase>;
export function parseFault(text: string, topology: Topology, table: FaultSyntaxTable = FAULT_SYNTAX_TABLE): ParseFaultResult<FaultBase> {
  try {
    return { ok: true, fault: parseOrThrow(text.trim(), topology, table) };
  } catch (e) {
    if (e instanceof FaultSyntaxError) return { ok: false, error: e.message };
    throw e;
  }
}

function parseOrThrow(text: string, topology: Topology, table: FaultSyntaxTable): FaultBase {
  const quoted = JSON.stringify(text);
  const kinds = table.keywords;
  const colon = text.indexOf(':');
  if (colon < 0) fail(`missing KIND: in ${quoted} (expected e.g. kill:1@10s; kinds: ${kinds.join(', ')})`);
  const keyword = text.slice(0, colon);
  const entry = table.byKeyword(keyword);
  if (entry === undefined) fail(`unknown fault kind "${keyword}" in ${quoted}${didYouMean(keyword, kinds)} (kinds: ${kinds.join(', ')})`);
  const rest = text.slice(colon + 1);
  const at = rest.lastIndexOf('@');
  if (at < 0) fail(`missing @TIME in ${quoted}`);
  const timing = parseTiming(rest.slice(at + 1), quoted);
  if (timing.durationUs !== null && entry.noDuration !== undefined) fail(`${keyword} takes no +DUR (${entry.noDuration}), in ${quoted}`);
  const target = entry.parse(keyword, rest.slice(0, at), { topology, quoted }) as Omit<FaultBase, 'atUs' | 'durationUs'>;
  return { ...target, ...timing };
}

/** The canonical text of a fault (zones shown expanded): `parseFault(formatFault(f))` gives f back. */
export function formatFault(fault: FaultBase, table: FaultSyntaxTable = FAULT_SYNTAX_TABLE): string {
  return `${table.entry(fault.kind).head(fault)}${formatTiming(fault.atUs, fault.durationUs)}`;
}

/**
 * The fault lines of `run --help`, one per keyword: the syntax padded to one column, then the
 * kind's help sentence (on the first keyword of a kind; the others say "likewise").
 */
export function faultHelpLines(table: FaultSyntaxTable = FAULT_SYNTAX_TABLE): string[] {
  const rows: [string, string][] = [];
  for (const e of table.entries as readonly FaultSyntax[]) e.syntax.forEach((syntax, i) => rows.push([syntax, i === 0 ? e.help : '(likewise)']));
  const width = Math.max(...rows.map(([syntax]) => syntax.length));
  return rows.map(([syntax, help]) => `${syntax.padEnd(width)}  ${help}`);
}

/** The `run --help` section on faults: the syntax rules, then `faultHelpLines` indented. */
export function faultHelpText(table: FaultSyntaxTable = FAULT_SYNTAX_TABLE): string {
  const intro = 'Faults (--fault, repeatable): T and DUR are durations with a unit (10s, 1.5m, 0s); without +DUR the fault is never repaired; NODE is a server id or "leader" (whoever leads when it fires)';
  return `\n${intro}\n${faultHelpLines(table).map((l) => `  ${l}`).join('\n')}`;
}

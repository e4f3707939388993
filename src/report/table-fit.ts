/**
 * Tables that fit the terminal (issue 16 §4). A measure-by-column table (the availability table:
 * one line per measure, one column per topology) wider than the screen is
 *   1. split into column groups, each repeating the measure names (as `column` and R's print do),
 *      when the measure names and the widest column fit side by side;
 *   2. otherwise transposed: one block per column, `measure: value` lines, long values wrapped.
 * Prose lines (header, notes, warnings) are word-wrapped with a hanging indent. A table that fits,
 * or a width of Infinity (output not to a terminal and no COLUMNS), prints as it always did.
 * Pure: the caller passes the width (cli/study.ts terminalWidth).
 */

/** The table: measure names down the side, one heading per column, cells[measure][column]. */
export interface MeasureGrid {
  readonly labels: readonly string[];
  readonly heads: readonly string[];
  readonly cells: readonly (readonly string[])[];
}

/** Below this a terminal is not worth fitting (a value needs room); wider texts are cut to it. */
export const MIN_WIDTH = 20;

/** Space between columns. */
const GAP = 2;

/** The grid's lines, fitted to `width` columns (terminal cells: one per UTF-16 unit, as the table pads). */
export function gridLines(grid: MeasureGrid, width: number = Infinity): string[] {
  const labelWidth = Math.max(0, ...grid.labels.map((l) => l.length));
  const widths = grid.heads.map((h, j) => Math.max(h.length, ...grid.cells.map((c) => (c[j] ?? '').length)));
  const total = labelWidth + widths.reduce((a, w) => a + GAP + w, 0);
  if (total <= width) return block(grid, widths, grid.heads.map((_, j) => j), labelWidth);
  const groups = columnGroups(widths, labelWidth, width);
  if (groups !== null) return groups.flatMap((g, i) => [...(i > 0 ? [''] : []), ...block(grid, widths, g, labelWidth)]);
  return transposed(grid, Math.max(width, MIN_WIDTH));
}

/** The measure names and the columns `cols`, padded as the table always was. */
function block(grid: MeasureGrid, widths: readonly number[], cols: readonly number[], labelWidth: number): string[] {
  const line = (label: string, values: readonly string[]): string =>
    `${label.padEnd(labelWidth)}  ${cols.map((j, k) => (values[k] ?? '').padStart(widths[j] ?? 0)).join('  ')}`.trimEnd();
  return [
    line('', cols.map((j) => grid.heads[j] ?? '')),
    line('', cols.map((j) => '─'.repeat(widths[j] ?? 0))),
    ...grid.labels.map((label, i) => line(label, cols.map((j) => grid.cells[i]?.[j] ?? ''))),
  ];
}

/** Consecutive columns packed greedily under `width`; null when one column alone does not fit beside the names. */
function columnGroups(widths: readonly number[], labelWidth: number, width: number): number[][] | null {
  const groups: number[][] = [];
  let current: number[] = [];
  let used = labelWidth;
  for (const [j, w] of widths.entries()) {
    if (labelWidth + GAP + w > width) return null;
    if (used + GAP + w > width) {
      groups.push(current);
      current = [];
      used = labelWidth;
    }
    current.push(j);
    used += GAP + w;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * One block per column: its heading underlined, then `measure: value` for every measure with a
 * value (a section heading, whose cells are empty, stays as a line of its own).
 */
function transposed(grid: MeasureGrid, width: number): string[] {
  const out: string[] = [];
  grid.heads.forEach((head, j) => {
    if (j > 0) out.push('');
    out.push(...wrapLine(head, width), '─'.repeat(Math.min(width, Math.max(1, head.length))));
    grid.labels.forEach((label, i) => {
      const value = grid.cells[i]?.[j] ?? '';
      const name = label.trimEnd();
      if (name === '' && value === '') return;
      out.push(...wrapLine(value === '' ? name : `${name}: ${value}`, width));
    });
  });
  return out;
}

/**
 * A line word-wrapped to `width`: continuation lines indented 4 past the line's own indentation;
 * a word longer than the room is cut (never a line wider than the width).
 */
export function wrapLine(text: string, maxWidth: number = Infinity): string[] {
  if (text.length <= maxWidth) return [text];
  const width = Math.max(maxWidth, MIN_WIDTH);
  const indent = /^ */.exec(text)?.[0] ?? '';
  const hang = `${indent}    `.slice(0, Math.max(0, width - MIN_WIDTH / 2));
  const words = text.slice(indent.length).split(' ');
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    const lead = lines.length === 0 && line === indent ? indent : line === hang ? hang : null;
    const candidate = lead !== null ? `${line}${word}` : `${line} ${word}`;
    if (candidate.length <= width || lead !== null) {
      line = candidate;
    } else {
      lines.push(line);
      line = `${hang}${word}`;
    }
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = `${hang}${line.slice(width)}`;
    }
  }
  lines.push(line);
  return lines;
}

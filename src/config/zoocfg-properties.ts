/**
 * Java `.properties` text (what ZooKeeper reads zoo.cfg and its dynamic file with:
 * QuorumPeerConfig.parse → `java.util.Properties.load`) → entries with their positions. Pure.
 *
 * The rules of `Properties.load(Reader)`: natural lines end at \n, \r or \r\n; a line whose
 * first non-blank character is `#` or `!` is a comment; a line ending in an odd number of
 * backslashes continues on the next, whose leading blanks are dropped; the key ends at the
 * first unescaped `=`, `:` or blank, then blanks, at most one `=` or `:`, and blanks are
 * skipped; escapes `\t \n \r \f \uXXXX`, and `\` before any other character is that character.
 * Blanks are space, tab and form feed. A key given twice keeps its last value (Properties is a
 * hash table); `duplicates` lists the earlier ones so callers can say so.
 *
 * Simplified: the text is read as UTF-8 (Properties.load(InputStream) reads ISO-8859-1; zoo.cfg
 * files are ASCII in practice). A leading UTF-8 byte order mark (U+FEFF, what some Windows editors
 * write) is skipped and reported in `bom`: Java would read its three bytes as `ï»¿`, part of the
 * first key, so callers say so rather than misname that key.
 */

/** One `key=value` of a properties text. */
export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line of the key's first character */
  readonly line: number;
  /** 1-based column of the key's first character */
  readonly column: number;
  /** 1-based column where the value starts (on `line`, or the last line it continues to) */
  readonly valueColumn: number;
}

/** A malformed `\uXXXX` escape: Properties.load throws IllegalArgumentException ("Malformed \uxxxx encoding"). */
export interface PropertyProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ParsedProperties {
  /** in file order, the last of each key only */
  readonly entries: readonly PropertyEntry[];
  /** earlier occurrences of a key given again later */
  readonly duplicates: readonly PropertyEntry[];
  readonly problems: readonly PropertyProblem[];
  /** the text started with a byte order mark, skipped */
  readonly bom: boolean;
}

const BLANK = /[ \t\f]/;
const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** Logical lines: continuation lines joined, each with the line it starts on. */
function logicalLines(text: string): { text: string; line: number; column: number }[] {
  const natural = text.split(/\r\n|\r|\n/);
  const out: { text: string; line: number; column: number }[] = [];
  for (let i = 0; i < natural.length; i++) {
    const first = natural[i] ?? '';
    const lead = /^[ \t\f]*/.exec(first)?.[0].length ?? 0;
    let body = first.slice(lead);
    if (body === '' || body.startsWith('#') || body.startsWith('!')) continue;
    const start = i;
    while (endsWithOddBackslashes(body) && i + 1 < natural.length) {
      i++;
      body = body.slice(0, -1) + (natural[i] ?? '').replace(/^[ \t\f]*/, '');
    }
    if (endsWithOddBackslashes(body)) body = body.slice(0, -1); // a continuation at the end of the file
    out.push({ text: body, line: start + 1, column: lead + 1 });
  }
  return out;
}

function endsWithOddBackslashes(s: string): boolean {
  const run = /\\*$/.exec(s)?.[0].length ?? 0;
  return run % 2 === 1;
}

/** `s` with its escapes resolved; a malformed \uXXXX is reported at `at` (offset in s). */
function unescape(s: string, report: (offset: number, message: string) => void): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i] as string;
    if (n === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
        report(i - 1, `malformed \\uXXXX escape "\\u${hex}" (expected four hex digits)`);
        continue;
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else out += ESCAPES[n] ?? n;
  }
  return out;
}

/** The entries of a properties text; never throws. */
export function parseProperties(withBom: string): ParsedProperties {
  const bom = withBom.startsWith('\uFEFF');
  const text = bom ? withBom.slice(1) : withBom;
  const byKey = new Map<string, PropertyEntry>();
  const duplicates: PropertyEntry[] = [];
  const problems: PropertyProblem[] = [];
  for (const l of logicalLines(text)) {
    let k = 0;
    while (k < l.text.length && !/[=:]/.test(l.text[k] as string) && !BLANK.test(l.text[k] as string)) k += l.text[k] === '\\' ? 2 : 1;
    const rawKey = l.text.slice(0, Math.min(k, l.text.length));
    let v = k;
    while (v < l.text.length && BLANK.test(l.text[v] as string)) v++;
    if (v < l.text.length && /[=:]/.test(l.text[v] as string)) v++;
    while (v < l.text.length && BLANK.test(l.text[v] as string)) v++;
    const report = (offset: number, message: string): void => {
      problems.push({ line: l.line, column: l.column + offset, message });
    };
    const key = unescape(rawKey, report);
    const value = unescape(l.text.slice(v), (offset, m) => report(v + offset, m));
    const entry: PropertyEntry = { key, value, line: l.line, column: l.column, valueColumn: l.column + v };
    const earlier = byKey.get(key);
    if (earlier !== undefined) {
      duplicates.push(earlier);
      byKey.delete(key);
    }
    byKey.set(key, entry);
  }
  const entries = [...byKey.values()].sort((a, b) => a.line - b.line);
  return { entries, duplicates, problems, bom };
}

/**
 * Issue 10: names from user files reach the terminal, the SVG/PNG charts and report.html, so they
 * hold printable characters only; durations past what the clock holds name the limit; aliases are
 * reported where they are.
 */
import { describe, expect, it } from 'vitest';
import { parseFault, parseTopology, resolveTopology, validateTopology, type ConfigError } from '../../src/config/index.js';
import { durationHint } from '../../src/config/yaml-reader.js';
import { parseDurationUs } from '../../src/model/duration.js';
import { escapeControl } from '../../src/cli/io.js';
import { xmlSafe } from '../../src/cli/render/svg.js';

function errors(text: string): ConfigError[] {
  const r = parseTopology(text, 't.yaml');
  if (r.ok) throw new Error('expected errors, the topology parsed');
  return r.errors;
}

describe('names hold printable characters only', () => {
  it.each([
    ['NUL', '\\0', 'U+0000'],
    ['ESC', '\\e', 'U+001B'],
    ['BEL', '\\a', 'U+0007'],
    ['DEL', '\\x7f', 'U+007F'],
    ['C1 CSI', '\\x9b', 'U+009B'],
    ['bidi override', '\\u202e', 'U+202E'],
    ['line separator', '\\u2028', 'U+2028'],
    ['tab', '\\t', 'U+0009'],
  ])('a %s in a zone, host, rack or region is an error at that field, with its line', (_what, escape, code) => {
    for (const key of ['zone', 'host', 'rack', 'region']) {
      const zone = key === 'zone' ? `"a${escape}z"` : 'az1';
      const extra = key === 'zone' ? '' : `, ${key}: "x${escape}"`;
      const es = errors(`servers:\n  - { id: 1, zone: ${zone}${extra} }\n`);
      expect(es.map((e) => e.path)).toEqual([`servers[0].${key}`]);
      expect(es[0]?.line).toBe(2);
      expect(es[0]?.message).toContain(code);
      expect(es[0]?.message).toContain('printable');
    }
  });

  it('a topology name is checked too; a description may hold tabs and line breaks but no other control', () => {
    expect(errors('name: "n\\e[2J"\nservers:\n  - { id: 1, zone: az1 }\n').map((e) => e.path)).toEqual(['name']);
    expect(parseTopology('description: "a\\tb\\nc"\nservers:\n  - { id: 1, zone: az1 }\n', 't.yaml').ok).toBe(true);
    expect(errors('description: "a\\0b"\nservers:\n  - { id: 1, zone: az1 }\n').map((e) => e.path)).toEqual(['description']);
  });

  it('printable Unicode (accents, CJK, emoji, spaces) is fine, and a defaulted rack is not reported twice', () => {
    expect(parseTopology('servers:\n  - { id: 1, zone: "zone é 東京 🚀" }\n', 't.yaml').ok).toBe(true);
    // the default rack is "<zone>-<host>": the bad zone is the one error
    expect(errors('servers:\n  - { id: 1, zone: "a\\0" }\n').map((e) => e.path)).toEqual(['servers[0].zone']);
  });

  it('validateTopology checks names of topologies built in code or changed by --set', () => {
    const t = resolveTopology({ name: 'x', servers: [{ id: 1, zone: 'a\u001bb' }] });
    expect(validateTopology(t).map((i) => i.path)).toContain('servers[0].zone');
  });
});

describe('durations past the clock name the limit', () => {
  it('2^53 µs is the last duration accepted; past it the hint says 285 years', () => {
    expect(parseDurationUs(`${Number.MAX_SAFE_INTEGER}us`)).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseDurationUs('285y')).not.toBeNull();
    expect(parseDurationUs('286y')).toBeNull();
    expect(durationHint('286y')).toBe(' (too long: durations up to 285 years)');
    expect(durationHint('1e300s')).toBe('');
    expect(durationHint('0.5us')).toContain('microsecond');
    expect(durationHint('abc')).toBe('');
    expect(durationHint('0s')).toBe(''); // a duration, refused elsewhere for being zero
  });

  it('a --fault time or duration past the limit says so', () => {
    const r = parseFault('kill:1@1s+300y', resolveTopology({ name: 'x', servers: [{ id: 1, zone: 'az1' }] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('durations up to 285 years');
  });

  it('a topology time past the limit says so at its field', () => {
    const es = errors('zookeeper:\n  tickTime: 300y\nservers:\n  - { id: 1, zone: az1 }\n');
    expect(es[0]?.path).toBe('zookeeper.tickTime');
    expect(es[0]?.message).toContain('durations up to 285 years');
  });
});

describe('YAML aliases', () => {
  it('are reported at their line and column, saying they are not supported', () => {
    const es = errors('servers:\n  - { id: 1, zone: &z az1 }\n  - { id: 2, zone: *z }\n  - *missing\n');
    expect(es.map((e) => [e.line, e.column, e.path])).toEqual([
      [3, 20, 'servers[1].zone'],
      [4, 5, 'servers[2]'],
    ]);
    expect(es[0]?.message).toContain('alias *z');
  });
});

describe('terminal and SVG safety', () => {
  it('escapeControl makes controls visible and keeps JSON valid and equal', () => {
    expect(escapeControl('a\u001b[2Jb\tc\nd\u009b\u202e')).toBe('a\\u001b[2Jb\tc\nd\\u009b\\u202e');
    const json = JSON.stringify({ name: 'x\u009by\u007f' });
    expect(JSON.parse(escapeControl(json))).toEqual({ name: 'x\u009by\u007f' });
  });

  it('xmlSafe replaces what XML forbids, so the PNG renderer never sees a NUL', () => {
    expect(xmlSafe('<text>a\u0000b\u0007c\td\ud800e</text>')).toBe('<text>a\ufffdb\ufffdc\td\ufffde</text>');
    expect(xmlSafe('ok 😀')).toBe('ok 😀');
  });
});

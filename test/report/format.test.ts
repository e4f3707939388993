import { describe, expect, it } from 'vitest';
import { makeZxid, formatZxid } from '../../src/model/zxid.js';
import { formatDuration, formatDurationMs, formatYears } from '../../src/stats/format.js';

const MS = 1_000;
const S = 1_000_000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe('formatDuration: one auto-scaled formatter for every duration a person reads', () => {
  it('picks ms / s / min / h / d / y with three significant digits', () => {
    expect(formatDuration(250)).toBe('0.25 ms');
    expect(formatDuration(250 * MS)).toBe('250 ms');
    expect(formatDuration(12_345_678)).toBe('12.3 s');
    expect(formatDuration(90 * S)).toBe('1.5 min');
    expect(formatDuration(3.1 * H)).toBe('3.1 h');
    expect(formatDuration(34_683.3 * MIN)).toBe('24.1 d'); // the "34683.3m"
    expect(formatDuration(2 * 365 * D)).toBe('2 y');
  });

  it('switches unit exactly at each boundary, and rounding never shows a unit at its limit', () => {
    expect(formatDuration(999 * MS)).toBe('999 ms');
    expect(formatDuration(999.6 * MS)).toBe('1.00 s'); // not exact: three digits (issue 16)
    expect(formatDuration(S)).toBe('1 s');
    expect(formatDuration(59.9 * S)).toBe('59.9 s');
    expect(formatDuration(59.96 * S)).toBe('1.00 min');
    expect(formatDuration(MIN)).toBe('1 min');
    expect(formatDuration(59.96 * MIN)).toBe('1.00 h');
    expect(formatDuration(H)).toBe('1 h');
    expect(formatDuration(23.9 * H)).toBe('23.9 h');
    expect(formatDuration(23.99 * H)).toBe('1.00 d');
    expect(formatDuration(D)).toBe('1 d');
    expect(formatDuration(364 * D)).toBe('364 d');
    expect(formatDuration(364.9 * D)).toBe('1.00 y');
  });

  it('never prints a count of a smaller unit past its next one (no "120.5m", no "1000 ms")', () => {
    for (let us = 1; us < 1e15; us *= 1.37) {
      const [value, unit] = formatDuration(us).split(' ');
      const limit: Record<string, number> = { ms: 1000, s: 60, min: 60, h: 24, d: 365 };
      if (unit !== 'y') expect(Number(value), formatDuration(us)).toBeLessThan(limit[unit ?? ''] ?? 0);
    }
  });

  it('says what it cannot scale', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(-90 * S)).toBe('-1.5 min');
    expect(formatDuration(NaN)).toBe('–');
    expect(formatDuration(Infinity)).toBe('∞');
    expect(formatDurationMs(null)).toBe('–');
    expect(formatDurationMs(1500)).toBe('1.5 s');
  });

  it('formatYears writes spans of years the same way', () => {
    expect(formatYears(40)).toBe('40 y');
    expect(formatYears(12 / 365)).toBe('12 d');
    expect(formatYears(1.5 / (365 * 24))).toBe('1.5 h');
  });
});

describe('formatZxid: as ZooKeeper prints it (ZxidUtils.zxidToString, 0x-prefixed as in its logs)', () => {
  it('is 0x + the 64-bit value in hex, epoch in the high 32 bits', () => {
    expect(formatZxid(makeZxid(1, 5))).toBe('0x100000005');
    expect(formatZxid(makeZxid(0x2a, 0xffffffff))).toBe('0x2affffffff');
    expect(formatZxid(0)).toBe('0x0');
    expect(formatZxid(-1)).toBe('0xffffffffffffffff');
  });
});

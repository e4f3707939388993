import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDurationUs, parseDurationUs } from '../../src/model/duration.js';

describe('parseDurationUs', () => {
  it.each([
    ['500us', 500],
    ['500ms', 500_000],
    ['0.05ms', 50],
    ['10s', 10_000_000],
    ['5m', 300_000_000],
    ['2h', 7_200_000_000],
    ['1.5h', 5_400_000_000],
    ['30d', 2_592_000_000_000],
    ['1w', 604_800_000_000],
    ['1y', 365 * 86_400_000_000],
    ['0s', 0],
    [' 10s ', 10_000_000],
  ])('%s → %i µs', (text, us) => {
    expect(parseDurationUs(text)).toBe(us);
  });

  it.each(['10', '1.5', '', 's', '-1s', '1h30m', '10 s', '1.s', '.5s', '10sec', '0.5us', '1e3ms'])('rejects %j', (text) => {
    expect(parseDurationUs(text)).toBeNull();
  });

  it('is exact where floats are not (0.1ms is 100 µs, 1.1ms is 1100 µs)', () => {
    expect(parseDurationUs('0.1ms')).toBe(100);
    expect(parseDurationUs('1.1ms')).toBe(1100);
    expect(parseDurationUs('0.000001s')).toBe(1);
  });
});

describe('formatDurationUs', () => {
  it.each([
    [10_000_000, '10s'],
    [5_400_000_000, '1.5h'],
    [250_000, '250ms'],
    [90_000_000, '1.5m'],
    [1_500, '1.5ms'],
    [7, '7us'],
    [0, '0s'],
    [604_800_000_000, '1w'],
    [8 * 86_400_000_000, '8d'],
    [2 * 31_536_000_000_000, '2y'],
  ])('%i µs → %s', (us, text) => {
    expect(formatDurationUs(us)).toBe(text);
  });

  it('round-trips through parseDurationUs', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })), (us) => {
        expect(parseDurationUs(formatDurationUs(us))).toBe(us);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { US_PER_MS, US_PER_S, US_PER_YEAR, isTimeUs, msToUs, sToUs, usToMs } from '../../src/core/time.js';

describe('time', () => {
  it('converts with integer microseconds', () => {
    expect(US_PER_MS).toBe(1000);
    expect(US_PER_S).toBe(1_000_000);
    expect(US_PER_YEAR).toBe(31_536_000_000_000);
    expect(msToUs(2000)).toBe(2_000_000);
    expect(msToUs(0.0015)).toBe(2); // rounds to an integer
    expect(Number.isInteger(msToUs(1 / 3))).toBe(true);
    expect(sToUs(1.5)).toBe(1_500_000);
    expect(usToMs(1500)).toBe(1.5);
  });

  it('recognises valid instants', () => {
    expect(isTimeUs(0)).toBe(true);
    expect(isTimeUs(US_PER_YEAR * 100)).toBe(true);
    expect(isTimeUs(-1)).toBe(false);
    expect(isTimeUs(0.5)).toBe(false);
    expect(isTimeUs(Infinity)).toBe(false);
  });
});

/**
 * Simulated time is an integer count of microseconds since the start of a trial.
 *
 * Integers (not float milliseconds) so that sums of delays are exact and two events scheduled
 * "at the same time" by different paths really compare equal; a Number holds integers exactly up
 * to 2^53 µs ≈ 285 years, far beyond any trial.
 */
export type TimeUs = number;

export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;
export const US_PER_MIN = 60 * US_PER_S;
export const US_PER_HOUR = 60 * US_PER_MIN;
export const US_PER_DAY = 24 * US_PER_HOUR;
/** A 365-day year: availability targets ("five nines per year") are quoted against this. */
export const US_PER_YEAR = 365 * US_PER_DAY;

/** Milliseconds (possibly fractional, e.g. a sampled latency) to whole microseconds, rounded. */
export function msToUs(ms: number): TimeUs {
  return Math.round(ms * US_PER_MS);
}

export function sToUs(s: number): TimeUs {
  return Math.round(s * US_PER_S);
}

/** Microseconds to (fractional) milliseconds, for reporting. */
export function usToMs(us: TimeUs): number {
  return us / US_PER_MS;
}

export function usToS(us: TimeUs): number {
  return us / US_PER_S;
}

/** True for values that can be a simulated instant or delay: a safe, non-negative integer. */
export function isTimeUs(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

// Availabilities, durations and spans of years for reading: used by montecarlo/ (warnings) and report/ (tables).

/**
 * An availability for reading: enough digits for two significant digits of the unavailability
 * U = 1 − A ("99.999755%"); "100%" only when U is exactly 0; when A would round to 100% with ten
 * digits, "1 − 2.1e-12" instead of a misleading "100.000000000%". Pass `u` when it is known
 * exactly (1 − A loses U's digits near 1).
 */
export function formatAvailability(a: number, u: number = 1 - a): string {
  if (!Number.isFinite(a) || !Number.isFinite(u)) return '–';
  if (u <= 0) return '100%';
  const decimals = Math.ceil(-Math.log10(u)) + 1;
  if (decimals > 10) return `1 − ${u.toExponential(1)}`;
  return `${(a * 100).toFixed(Math.max(2, decimals) - 1)}%`;
}

/**
 * An availability interval for reading, or "n/a (none seen)" when no episode was seen and the
 * interval says nothing: zero width ([100%, 100%] claims certainty exactly when nothing is known)
 * or vacuous ([0%, 100%], a failure-biased column with no cycle showing the event).
 */
export function formatAvailabilityInterval(ci: readonly number[], episodes: number, what: string): string {
  const lo = ci[0] ?? NaN;
  const hi = ci[1] ?? NaN;
  if (episodes === 0 && (lo === hi || (lo <= 0 && hi >= 1))) return `n/a (no ${what} seen)`;
  return `${formatAvailability(lo)} – ${formatAvailability(hi)}`;
}

/** A span of years for a sentence, as formatDuration writes it: 40 → "40 y", 0.033 → "12 d", 1e-7 → "3.16 s". */
export function formatYears(y: number): string {
  return formatDuration(y * US_PER_YEAR);
}

/** µs in a year of 365 days (model/duration.ts parses `1y` so too). */
const US_PER_YEAR = 31_536_000_000_000;

/** The units a person reads a duration in, smallest first (µs per unit). */
const HUMAN_UNITS: readonly (readonly [string, number])[] = [
  ['ms', 1_000],
  ['s', 1_000_000],
  ['min', 60_000_000],
  ['h', 3_600_000_000],
  ['d', 86_400_000_000],
  ['y', 31_536_000_000_000],
];

/**
 * A duration for people, auto-scaled, three significant digits: 250 → `0.25 ms`, 12_345_678 →
 * `12.3 s`, 90_000_000 → `1.5 min`, 2_081_000_000_000 → `24.1 d` (never `34683.3m`). Trailing
 * zeros are dropped only when the value is exact in its unit (90 s → `1.5 min`, 4 d → `4 d`);
 * otherwise all three digits stay (13.04 h → `13.0 h`, never `13 h`, issue 16). ≥ 365 d in
 * years (a year is 365 days, as in parseDurationUs). Rounding never shows a unit's limit
 * (59.99 s → `1.00 min`, not `60.0 s`). 0 → `0 s`; NaN → `–`; ±Infinity → `∞`. For reading only:
 * flags and files take formatDurationUs's exact form.
 */
export function formatDuration(us: number): string {
  if (Number.isNaN(us)) return '–';
  if (us < 0) return `-${formatDuration(-us)}`;
  if (us === Infinity) return '∞';
  if (us === 0) return '0 s';
  let i = 0;
  while (i + 1 < HUMAN_UNITS.length && us >= (HUMAN_UNITS[i + 1]?.[1] ?? Infinity)) i += 1;
  const [unit, size] = HUMAN_UNITS[i] ?? ['ms', 1_000];
  let value = Number((us / size).toPrecision(3));
  const next = HUMAN_UNITS[i + 1];
  if (next !== undefined && value * size >= next[1]) {
    // Rounded up to the next unit's size (59.96 s → 60.0 s): say it in that unit, from the rounded value.
    return `${threeDigits((value * size) / next[1], false)} ${next[0]}`;
  }
  // exact up to float noise (30/365 y of µs is 30 d, not 30.0 d)
  return `${threeDigits(us / size, Math.abs(us - value * size) <= 1e-9 * us)} ${unit}`;
}

/** x to three significant digits; trailing zeros dropped when `exact` (or past the point: 1230). */
function threeDigits(x: number, exact: boolean): string {
  const text = x.toPrecision(3);
  return exact || text.includes('e') ? String(Number(text)) : text;
}

/** formatDuration of a JSON-contract value in ms (null → `–`). */
export function formatDurationMs(ms: number | null): string {
  return ms === null ? '–' : formatDuration(ms * 1000);
}

/**
 * An amount per year for reading (downtime min/yr, outages/yr), by one rule everywhere: plain
 * numbers, never an exponent, thousands grouped: 140_000 → `140,000`, 123.4 → `123`, 12.34 →
 * `12.3`, 0.01234 → `0.012` (two significant digits below 1). 0 → `0`; NaN, ±Infinity → `–`.
 */
export function formatPerYear(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  if (x < 0) return `-${formatPerYear(-x)}`;
  if (x >= 100) return groupThousands(Math.round(x));
  if (x >= 1) return x.toFixed(1);
  const v = Number(x.toPrecision(2)); // 0.0996 → 0.1, so that it is written `0.10`, not `0.100`
  if (v >= 1) return v.toFixed(1);
  // toPrecision writes 1.2e-7 below 1e-6: say it with the digits instead
  return v.toFixed(Math.min(20, 1 - Math.floor(Math.log10(v))));
}

/**
 * An estimate with its 95% interval for reading: `x ± h` when the interval is symmetric about x
 * (as written: both half-widths print the same), else the interval itself, `x [lo, hi]` — an
 * interval clamped at 0 (a rate, a downtime) is asymmetric, and `x ± (hi − lo)/2` would then claim
 * an upper end it does not have (23.2 ± 33.2 for [0, 66.5]). `fmt` writes each number.
 */
export function formatEstimateInterval(x: number, ci: readonly number[], fmt: (v: number) => string): string {
  const lo = ci[0] ?? NaN;
  const hi = ci[1] ?? NaN;
  if (fmt(x - lo) === fmt(hi - x)) return `${fmt(x)} ± ${fmt(hi - x)}`;
  return `${fmt(x)} [${fmt(lo)}, ${fmt(hi)}]`;
}

/** An integer with its thousands grouped by commas: 1234567 → `1,234,567` (no locale: deterministic). */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

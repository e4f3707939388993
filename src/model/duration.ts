/**
 * Human durations <-> integer microseconds (the simulator's unit of time).
 *
 * Accepted: a non-negative decimal number followed by exactly one unit, e.g. `500us`, `0.05ms`,
 * `10s`, `5m`, `1.5h`, `30d`, `1w`, `1y` (a year is 365 days). A bare number is rejected: a
 * duration without a unit is the classic ms-or-seconds mistake. Combinations (`1h30m`) are not
 * supported. Parsing is exact (decimal arithmetic, no float rounding); a value that is not a
 * whole number of microseconds (`0.5us`) is rejected rather than rounded.
 */

/**
 * Microseconds per millisecond, for the edges that speak ms (topology files, the JSON contract):
 * config/ multiplies by it once when reading, the JSON writers divide once when writing.
 */
export const US_PER_MS = 1000;

/** Milliseconds per second, for text and charts that show a JSON-contract ms value in seconds. */
export const MS_PER_S = 1000;

/**
 * Simulated µs as seconds with a fixed number of decimals, for text: (12_345_678, 3) → "12.346",
 * (12_345_678, 6) → "12.345678". No unit, since the texts print `12.346s` or `12.346 s`. A value
 * from the JSON contract (ms) goes through core's msToUs first: one conversion, one formatter.
 */
export function formatSecondsFixed(us: number, decimals: number): string {
  return (us / 1_000_000).toFixed(decimals);
}

const US_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['us', 1n],
  ['µs', 1n],
  ['ms', 1_000n],
  ['s', 1_000_000n],
  ['m', 60_000_000n],
  ['h', 3_600_000_000n],
  ['d', 86_400_000_000n],
  ['w', 604_800_000_000n],
  ['y', 31_536_000_000_000n],
]);

/** Microseconds per duration unit (`ms` → 1000, `h` → 3.6e9), as plain numbers for estimates. */
export const US_PER_DURATION_UNIT: Readonly<Record<string, number>> = Object.fromEntries([...US_PER_UNIT].map(([unit, us]) => [unit, Number(us)]));

const DURATION_RE = /^(\d+)(?:\.(\d+))?(us|µs|ms|s|m|h|d|w|y)$/;

/** `10s` → 10_000_000; null when the text is not a duration with a unit. */
export function parseDurationUs(text: string): number | null {
  const match = DURATION_RE.exec(text.trim());
  if (match === null) return null;
  const [, whole = '', fraction = '', unit = ''] = match;
  const factor = US_PER_UNIT.get(unit);
  if (factor === undefined) return null;
  const scale = 10n ** BigInt(fraction.length);
  const scaled = (BigInt(whole) * scale + BigInt(fraction === '' ? '0' : fraction)) * factor;
  if (scaled % scale !== 0n) return null;
  const us = scaled / scale;
  if (us > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(us);
}

/** Largest unit first; `m` and `y` are included so that 90 s prints as `1.5m`, 730 d as `2y`. */
const FORMAT_UNITS: readonly (readonly [string, number])[] = [
  ['y', 31_536_000_000_000],
  ['w', 604_800_000_000],
  ['d', 86_400_000_000],
  ['h', 3_600_000_000],
  ['m', 60_000_000],
  ['s', 1_000_000],
  ['ms', 1_000],
];

/**
 * 10_000_000 → `10s`, 5_400_000_000 → `1.5h`, 250_000 → `250ms`. Picks the largest unit in which
 * the value is ≥ 1 with at most three decimals, so `parseDurationUs(formatDurationUs(x)) === x`
 * for every non-negative safe integer x.
 */
export function formatDurationUs(us: number): string {
  const whole = Math.round(us);
  if (whole < 0) return `-${formatDurationUs(-whole)}`;
  if (whole === 0) return '0s';
  for (const [unit, size] of FORMAT_UNITS) {
    const thousandths = BigInt(whole) * 1000n;
    if (whole >= size && thousandths % BigInt(size) === 0n) {
      return `${formatThousandths(thousandths / BigInt(size))}${unit}`;
    }
  }
  return `${whole}us`;
}

/** 1500 → "1.5", 2000 → "2", 1125 → "1.125": exact, no float formatting. */
function formatThousandths(thousandths: bigint): string {
  const intPart = thousandths / 1000n;
  const frac = thousandths % 1000n;
  if (frac === 0n) return String(intPart);
  return `${intPart}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

// Availabilities and spans of years for reading: used by montecarlo/ (warnings) and report/ (tables).

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
 * An availability interval for reading, or "n/a (none seen)" when it has zero width because no
 * episode was seen: [100%, 100%] claims certainty exactly when nothing is known.
 */
export function formatAvailabilityInterval(ci: readonly number[], episodes: number, what: string): string {
  const lo = ci[0] ?? NaN;
  const hi = ci[1] ?? NaN;
  if (episodes === 0 && lo === hi) return `n/a (no ${what} seen)`;
  return `${formatAvailability(lo)} – ${formatAvailability(hi)}`;
}

/** "40y", "12d", "1.5h", "3.6s": a span of years for a sentence. */
export function formatYears(y: number): string {
  if (y >= 1) return `${Number(y.toPrecision(4))}y`;
  const days = y * 365;
  if (days >= 1) return `${Number(days.toPrecision(4))}d`;
  const hours = days * 24;
  if (hours >= 1) return `${Number(hours.toPrecision(3))}h`;
  return `${Number((hours * 3600).toPrecision(3))}s`;
}

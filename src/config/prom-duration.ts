/**
 * Prometheus's duration syntax (prometheus/common model.ParseDuration and Duration.String), for
 * alert rules files (config/alerts.ts) and `zksim alerts tune --for`: what Prometheus accepts is
 * what zksim accepts and prints, so the PromQL and rules it prints paste as they are.
 */

const PROM_UNITS = [['y', 365 * 86_400e6], ['w', 7 * 86_400e6], ['d', 86_400e6], ['h', 3_600e6], ['m', 60e6], ['s', 1e6], ['ms', 1e3]] as const;

/**
 * Prometheus's duration syntax (common/model ParseDuration): `[0-9]+(ms|s|m|h|d|w|y)` concatenated,
 * largest unit first, each at most once (`1m30s`, `1h`), or `0`; no fractions. µs, or null when
 * `text` is not one.
 */
export function parsePromDurationUs(text: string): number | null {
  if (text === '0') return 0;
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (m === null || text === '') return null;
  return PROM_UNITS.reduce((us, [, size], i) => us + (m[i + 1] === undefined ? 0 : Number(m[i + 1]) * size), 0);
}

/** What parsePromDurationUs accepts, for messages. */
export function promDurationExpected(allowZero: boolean): string {
  return `expected a Prometheus duration: whole numbers with units ms, s, m, h, d, w, y, largest first (15s, 5m, 1m30s, 1h)${allowZero ? ', or 0s' : ''}`;
}

/** `us` in Prometheus's duration syntax, largest units first (90 s → 1m30s; 0 → 0s). */
export function promDuration(us: number): string {
  if (us === 0) return '0s';
  let rest = Math.ceil(us / 1000) * 1000;
  let out = '';
  for (const [unit, size] of PROM_UNITS.slice(2)) {
    if (rest >= size) (out += `${Math.floor(rest / size)}${unit}`), (rest %= size);
  }
  return out;
}

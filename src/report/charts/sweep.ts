/**
 * `zksim sweep` charts: write availability against the swept value, one line per topology, on a
 * time axis when the values are durations (issue 16 §6: 1h, 12h, 48h were equally spaced).
 */
import type { TopLevelSpec } from 'vega-lite';
import { parseDurationUs } from '../../model/duration.js';
import { NINES_AXIS_TITLE, NINES_NOTE, availabilityMeta, ci, ninesFields, ninesScale, type AvailabilityInput } from './availability.js';
import { CHART_CONFIG, PLOT_WIDTH, nines, round, subtitle } from './common.js';

/** Availability against the swept value, one line per topology (a `zksim sweep --json` document). */
export function sweepLines(doc: AvailabilityInput): TopLevelSpec {
  const rows = doc.results.filter((r) => r.variant);
  const key = rows[0]?.variant?.key ?? 'value';
  const order: string[] = [];
  for (const r of rows) if (r.variant && !order.includes(r.variant.value)) order.push(r.variant.value);
  const values = rows.map((r) => {
    const [lo, hi] = ci(r);
    return {
      topology: r.topology,
      key: r.variant?.key ?? key,
      value: r.variant?.value ?? '',
      hours: hoursOf(r.variant?.value ?? ''),
      number: Number(r.variant?.value ?? ''),
      writeAvailability: r.writeAvailability,
      ...ninesFields(r.writeAvailability, lo, hi),
      analyticQuorumAvailability: r.analyticQuorumAvailability,
      analyticNines: r.analyticQuorumAvailability === null ? null : round(nines(r.analyticQuorumAvailability), 4),
    };
  });
  const x = sweptAxis(key, order);
  const fitted = ninesScale(values.flatMap((v) => [v.ninesLow, v.ninesHigh, v.analyticNines]), false);
  const y = { type: 'quantitative' as const, title: `write availability (${NINES_AXIS_TITLE})`, scale: fitted.scale };
  const color = { field: 'topology', type: 'nominal', title: 'topology' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Write availability against ${key}, with 95% confidence intervals`,
      subtitle: [
        subtitle(availabilityMeta(doc)),
        `solid: simulated write availability with 95% CI${values.some((v) => v.analyticNines !== null) ? '; dashed: closed-form quorum availability' : '; no closed form for this failure model'}`,
        [NINES_NOTE, fitted.note].filter((t) => t !== '').join('; '),
      ],
    },
    config: CHART_CONFIG,
    width: Math.max(PLOT_WIDTH, order.length * 80),
    height: 320,
    data: { values },
    encoding: { x, color },
    layer: [
      { mark: { type: 'line', point: { filled: true, size: 60 } }, encoding: { y: { ...y, field: 'nines' } } },
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { ...y, field: 'ninesLow' }, y2: { field: 'ninesHigh' } } },
      {
        transform: [{ filter: 'datum.analyticNines != null' }],
        mark: { type: 'line', strokeDash: [5, 3], opacity: 0.8 },
        encoding: { y: { ...y, field: 'analyticNines' } },
      },
    ],
  };
}

/**
 * The x axis of a sweep: durations (1h, 12h, 48h) on a time axis in hours, logarithmic when they span
 * more than a decade (equal spacing made 1h→12h look like 12h→48h); other numbers on a linear axis;
 * anything else as categories in the order swept. Ticks sit at the swept values, labelled as typed.
 */
export function sweptAxis(key: string, order: readonly string[]): Record<string, unknown> {
  const hours = order.map(hoursOf);
  const numbers = order.map((v) => (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(v.trim()) ? Number(v) : null));
  const numeric = hours.every((h) => h !== null) ? { values: hours as number[], unit: 'time' } : numbers.every((n) => n !== null) ? { values: numbers as number[], unit: '' } : null;
  if (numeric === null || order.length < 2) return { field: 'value', type: 'ordinal', sort: order, title: `${key} (swept value)`, axis: { labelAngle: 0 } };
  const lo = Math.min(...numeric.values);
  const log = lo > 0 && Math.max(...numeric.values) / lo > 10;
  const labels = Object.fromEntries(numeric.values.map((v, i) => [String(v), order[i] as string]));
  return {
    field: numeric.unit === 'time' ? 'hours' : 'number',
    type: 'quantitative',
    title: `${key} (swept value${numeric.unit ? `, ${numeric.unit}` : ''}${log ? ', log scale' : ''})`,
    scale: log ? { type: 'log', nice: false, padding: 24 } : { zero: false, nice: false, padding: 24 },
    axis: { values: numeric.values, labelExpr: `${JSON.stringify(labels)}[''+datum.value] || datum.label`, grid: true },
  };
}

/** A swept value as hours when it is a duration ('12h', '30m', '2d'), else null. */
function hoursOf(value: string): number | null {
  const us = parseDurationUs(value);
  return us === null || us <= 0 ? null : us / 3.6e9;
}

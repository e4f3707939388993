// Issue 9 review: charts, tables and report.html never present an untrusted estimate as an answer.
import { describe, expect, test } from 'vitest';
import { availabilityNines, percent, type AvailabilityInput } from '../../src/report/charts/index.js';
import { availabilityTables, availabilityWarnings, reportHtml } from '../../src/report/html/index.js';

function row(topology: string, untrusted: boolean, warnings: string[]) {
  return {
    topology,
    voters: 5,
    runs: 40,
    horizonYears: 1,
    writeAvailability: 0.99999755,
    writeUnavailability: 2.45e-6,
    writeAvailabilityCi95: [0.99999729, 0.99999781],
    outageEpisodes: 357,
    analyticQuorumAvailability: 0.9999847,
    analyticQuorumUnavailability: 1.53e-5,
    downtimeMinutesPerYear: 1.3,
    downtimeByCause: { quorumLost: 0, partitioned: 0, leaderIsolated: 1.3, electing: 0, syncing: 0 },
    meanYearsToQuorumLoss: null,
    meanYearsToQuorumLossSource: null,
    simulatedMeanYearsToQuorumLossCi95: [10.84, null],
    tooFewMttqlEvents: true,
    writeAvailabilityUntrusted: untrusted,
    tooFewWriteEpisodes: false,
    warnings,
    variant: null,
  };
}

const doc = {
  seed: '1',
  experiment: 'az-outage',
  version: '9.9.9',
  results: [row('n5-3az', true, ['impossible: <b>too few</b> quorum losses']), row('n3-3az', false, [])],
} as unknown as AvailabilityInput;

describe('untrusted estimates are marked everywhere (issue 9 review)', () => {
  test('nines chart: the untrusted bar is hollow and gray with its own legend entry and a *', () => {
    const spec = availabilityNines(doc) as any;
    const values = spec.data.values;
    expect(values.map((v: any) => [v.series, v.trusted])).toEqual([
      ['simulated, not to be trusted (*)', false],
      ['simulated write availability', true],
    ]);
    expect(values[0].text).toMatch(/ \*$/);
    expect(spec.layer[0].encoding.color.scale.domain).toContain('simulated, not to be trusted (*)');
    expect(spec.layer[0].encoding.fillOpacity.value).toBeLessThan(0.5);
    expect(JSON.stringify(spec.title.subtitle)).toContain('hollow gray bars marked *');
  });

  test('report tables: * on untrusted write availability, the MTTQL lower bound, never 100.0000000%', () => {
    const main = availabilityTables(doc)[0];
    expect(main?.rows[0]?.[2]).toMatch(/\*$/);
    expect(main?.rows[1]?.[2]).not.toMatch(/\*$/);
    expect(main?.rows[0]).toContain('≥ 10.8 y (95% lower bound, none seen)');
    expect(main?.rows[0]).toContain('10.8 y – ∞ *');
    expect(percent(1 - 2.1e-12)).toBe('1 − 2.1e-12');
    expect(percent(0.999)).toBe('99.90%');
  });

  test('report.html: a Warnings block in the Tables section, escaped', () => {
    const warnings = availabilityWarnings(doc);
    expect(warnings).toEqual(['n5-3az: impossible: <b>too few</b> quorum losses']);
    const html = reportHtml({ title: 't', subtitle: 's', charts: [], tables: availabilityTables(doc), warnings });
    expect(html).toContain('<h3>Warnings (1)</h3><ul><li>n5-3az: impossible: &lt;b&gt;too few&lt;/b&gt; quorum losses</li></ul>');
    expect(html.indexOf('id="warnings"')).toBeGreaterThan(html.indexOf('<section id="tables">'));
    expect(html.indexOf('id="warnings"')).toBeLessThan(html.indexOf('<table>'));
    expect(reportHtml({ title: 't', subtitle: 's', charts: [], tables: [] })).not.toContain('id="warnings"');
  });
});

/**
 * `--format csv` on availability, sweep and merge (issue 16 §4): one row per topology or sweep
 * value, units in the headers, 95% intervals as two columns, and every number equal to the JSON's.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** A small, fixed study: two layouts, 8 trials of 30 days, seed 7 (seconds, not minutes). */
const STUDY = ['topologies/n3-1az.yaml', 'topologies/n5-3az.yaml', '--runs', '8', '--horizon', '30d', '--seed', '7', '--workers', '1', '--method', 'naive', '--no-progress'];

/** RFC 4180 without quoted commas (our cells have none but the quoted ones checked below): a plain split. */
function parseCsv(text: string): Record<string, string>[] {
  const [head = '', ...lines] = text.trimEnd().split('\n');
  const headers = head.split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    expect(cells).toHaveLength(headers.length);
    return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** A JSON value as the CSV must print it: the number in full, null empty. */
function asCell(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

describe('zksim availability / merge --format csv', () => {
  let json: { results: Record<string, unknown>[] };
  let jsonFile: string;
  beforeAll(async () => {
    const r = await zksim(['availability', ...STUDY, '--json']);
    expect(r.stderr).toBe('');
    json = JSON.parse(r.stdout);
    jsonFile = join(tempDir('zksim-csv-'), 'study.json');
    writeFileSync(jsonFile, r.stdout);
  }, 120_000);

  it('prints one row per topology whose numbers equal the JSON document', async () => {
    const r = await zksim(['availability', ...STUDY, '--format', 'csv']);
    expect(r.status).toBe(0);
    const rows = parseCsv(r.stdout);
    expect(rows.map((x) => x.topology)).toEqual(['n3-1az', 'n5-3az']);
    rows.forEach((row, i) => {
      const j = json.results[i] as Record<string, unknown> & { downtimeByCause: Record<string, number>; writeAvailabilityCi95: number[]; downtimeMinutesPerYearCi95: number[] };
      expect(row.write_availability).toBe(asCell(j.writeAvailability));
      expect(row.write_availability_ci95_low).toBe(asCell(j.writeAvailabilityCi95[0]));
      expect(row.write_availability_ci95_high).toBe(asCell(j.writeAvailabilityCi95[1]));
      expect(row.downtime_min_per_year).toBe(asCell(j.downtimeMinutesPerYear));
      expect(row.downtime_min_per_year_ci95_high).toBe(asCell(j.downtimeMinutesPerYearCi95[1]));
      expect(row.downtime_electing_min_per_year).toBe(asCell(j.downtimeByCause.electing));
      expect(row.downtime_leader_isolated_min_per_year).toBe(asCell(j.downtimeByCause.leaderIsolated));
      expect(row.quorum_loss_p50_ms).toBe(asCell(j.quorumLossMsP50));
      expect(row.election_p99_ms).toBe(asCell(j.electionMsP99));
      expect(row.mttql_years).toBe(asCell(j.meanYearsToQuorumLoss));
      expect(row.p_quorum_loss_per_year).toBe(asCell(j.quorumLossProbabilityPerYear));
      expect(row.trials).toBe(String(j.runs));
      // Every numeric header carries its unit or is a count, fraction or probability named so.
      for (const h of Object.keys(row)) expect(h).toMatch(/^[a-z0-9_]+$/);
    });
  }, 120_000);

  it('merge --format csv of the saved document prints the same CSV', async () => {
    const direct = await zksim(['availability', ...STUDY, '--format', 'csv']);
    const merged = await zksim(['merge', jsonFile, '--format', 'csv']);
    expect(merged.status).toBe(0);
    expect(merged.stdout).toBe(direct.stdout);
  }, 120_000);

  it('refuses an unknown format, and --json with --format csv, before simulating (exit 2, no stack trace)', async () => {
    for (const args of [['--format', 'xml'], ['--json', '--format', 'csv']]) {
      const r = await zksim(['availability', 'topologies/n3-1az.yaml', '--runs', '100000', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--format|--json/);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
    const m = await zksim(['merge', jsonFile, '--format', 'yaml']);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain('expected one of table, csv, json');
  });
});

describe('zksim sweep --format csv', () => {
  it('has one row per value, with the variant in its own columns', async () => {
    const r = await zksim(['sweep', 'topologies/n3-1az.yaml', '--vary', 'node-mttr=1h,4h', '--node-mttf', '10d', '--runs', '4', '--horizon', '30d', '--workers', '1', '--no-progress', '--format', 'csv']);
    expect(r.status).toBe(0);
    const rows = parseCsv(r.stdout);
    expect(rows.map((x) => [x.topology, x.variant_key, x.variant_value])).toEqual([
      ['n3-1az', 'node-mttr', '1h'],
      ['n3-1az', 'node-mttr', '4h'],
    ]);
  }, 120_000);
});

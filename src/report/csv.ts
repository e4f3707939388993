/**
 * `--format csv` of `availability`, `sweep` and `merge` (issue 16 §4): one row per topology (or
 * sweep value) with the table's measures as plain numbers, the unit in each header
 * (`downtime_min_per_year`, `quorum_loss_p50_ms`, `mttql_years`), a 95% interval as two columns
 * (`…_ci95_low`, `…_ci95_high`), probabilities and availabilities as fractions (0.99995, not
 * 99.995%). A value the JSON has as null (no episode seen, no closed form) is an empty cell. The
 * numbers are the JSON document's (schemas/availability.schema.json), printed in full precision,
 * so a script reading the CSV gets what one reading `--json` gets. Written with csv-stringify
 * (RFC 4180 quoting). A pure function of the document.
 */
import { stringify } from 'csv-stringify/sync';
import type { AvailabilityDocument, ResultRow } from '../montecarlo/index.js';
import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES } from '../observe/index.js';

type Cell = number | string | boolean | null;
type Column = readonly [header: string, value: (r: ResultRow) => Cell];

/** `quorumLost` → `quorum_lost`: JSON keys as CSV header words. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `name`, `name_ci95_low`, `name_ci95_high`. */
function withCi(name: string, value: (r: ResultRow) => number | null, ci: (r: ResultRow) => readonly (number | null)[] | null | undefined): Column[] {
  return [
    [name, value],
    [`${name}_ci95_low`, (r) => ci(r)?.[0] ?? null],
    [`${name}_ci95_high`, (r) => ci(r)?.[1] ?? null],
  ];
}

/** The columns, in the table's order; the cause and process columns are always all there, so every CSV of a version has one header. */
export const CSV_COLUMNS: readonly Column[] = [
  ['topology', (r) => r.topology],
  ['variant_key', (r) => r.variant?.key ?? null],
  ['variant_value', (r) => r.variant?.value ?? null],
  ['voters', (r) => r.voters],
  ['observers', (r) => r.observers],
  ['trials', (r) => r.runs],
  ['stopped_by', (r) => r.stoppedBy],
  ['method', (r) => r.method],
  ['horizon_years', (r) => r.horizonYears],
  ...withCi('write_availability', (r) => r.writeAvailability, (r) => r.writeAvailabilityCi95),
  ...withCi('write_unavailability', (r) => r.writeUnavailability, (r) => r.writeUnavailabilityCi95),
  ['nines', (r) => r.nines],
  ['write_availability_untrusted', (r) => r.writeAvailabilityUntrusted ?? r.tooFewWriteEpisodes],
  ...withCi('downtime_min_per_year', (r) => r.downtimeMinutesPerYear, (r) => r.downtimeMinutesPerYearCi95),
  ...withCi('quorum_availability', (r) => r.quorumAvailability, (r) => r.quorumAvailabilityCi95),
  ['quorum_availability_untrusted', (r) => r.tooFewQuorumEpisodes],
  ['closed_form_quorum_availability', (r) => r.analyticQuorumAvailability],
  ['quorum_downtime_min_per_year', (r) => r.quorumDowntimeMinutesPerYear],
  ...DOWNTIME_CAUSES.map((c): Column => [`downtime_${snakeCase(c)}_min_per_year`, (r) => r.downtimeByCause[c]]),
  ...DOWNTIME_PROCESSES.map((p): Column => [`downtime_by_${snakeCase(p)}_min_per_year`, (r) => r.downtimeByProcess[p] ?? 0]),
  ['write_outages_per_year', (r) => r.outagesPerYear],
  ['write_outage_episodes', (r) => r.failureOutageEpisodes],
  ['quorum_losses_per_year', (r) => r.quorumLossesPerYear],
  ['quorum_loss_episodes', (r) => r.quorumLossEpisodes],
  ['quorum_loss_p50_ms', (r) => r.quorumLossMsP50],
  ['quorum_loss_p99_ms', (r) => r.quorumLossMsP99],
  ...withCi('elections_per_year', (r) => r.electionsPerYear, (r) => r.electionsPerYearCi95),
  ['election_p50_ms', (r) => r.electionMsP50],
  ['election_p99_ms', (r) => r.electionMsP99],
  ['mttql_years', (r) => r.meanYearsToQuorumLoss],
  ['mttql_source', (r) => r.meanYearsToQuorumLossSource],
  ...withCi('simulated_mttql_years', (r) => r.simulatedMeanYearsToQuorumLoss, (r) => r.simulatedMeanYearsToQuorumLossCi95),
  ...withCi('p_quorum_loss_per_year', (r) => r.quorumLossProbabilityPerYear, (r) => r.quorumLossProbabilityPerYearCi95),
  ['session_timeout_ms', (r) => r.sessionTimeoutMs],
  ...withCi('p_write_outage_over_session_timeout_per_year', (r) => r.longOutageProbabilityPerYear, (r) => r.longOutageProbabilityPerYearCi95),
];

type EstimatedBackup = Extract<NonNullable<ResultRow['backup']>, { totalLossPath: true }>;

/** A backup's figure, or null when the row has none (no policy, no total-loss path, not estimated). */
function backupFigure<T>(r: ResultRow, f: (b: EstimatedBackup) => T): T | null {
  const b = r.backup;
  return b !== undefined && b.totalLossPath && b.estimated ? f(b) : null;
}

/** Added when some row has a backup policy (the table's backup lines). */
const BACKUP_COLUMNS: readonly Column[] = [
  ...withCi('backup_total_losses_per_year', (r) => backupFigure(r, (b) => b.lossesPerYear), (r) => backupFigure(r, (b) => b.lossesPerYearCi95)),
  ['backup_writes_lost_min_per_year', (r) => backupFigure(r, (b) => b.lossWindowMinutesPerYear)],
  ['backup_acked_writes_lost_per_year', (r) => backupFigure(r, (b) => b.writesLostPerYear)],
  ['backup_restore_downtime_min_per_year', (r) => backupFigure(r, (b) => b.restoreDowntimeMinutesPerYear)],
];

/** The columns a document's CSV has: CSV_COLUMNS, and the backup ones when a row has a backup policy. */
export function csvColumns(doc: AvailabilityDocument): readonly Column[] {
  return doc.results.some((r) => r.backup !== undefined) ? [...CSV_COLUMNS, ...BACKUP_COLUMNS] : CSV_COLUMNS;
}

/** A cell: numbers in full (String(x) reads back to the same double), non-finite and null empty. */
function cellText(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return String(v);
}

/** The document as CSV: a header line, then one line per result row. */
export function availabilityCsv(doc: AvailabilityDocument): string {
  const columns = csvColumns(doc);
  const rows = doc.results.map((r) => columns.map(([, f]) => cellText(f(r))));
  return stringify([columns.map(([h]) => h), ...rows], { record_delimiter: 'unix' });
}

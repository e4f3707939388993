/**
 * `zksim run --alerts FILE`: the rules evaluated over one run (observe/alerts.ts), from the run
 * document's typed events (report/run-json.ts eventLog, read back into µs), with the run seed's
 * scrape phase (observe/alerts.ts scrapePhaseUs) — the instants its study trial would scrape at.
 */
import type { AlertRules } from '../config/alerts.js';
import type { TrialEvent } from '../model/index.js';
import { evaluateRules, scrapePhaseUs } from '../observe/alerts.js';
import { signalsFromEvents } from '../observe/metrics.js';
import type { RunAlertJson } from './charts/alerts.js';
import type { RunEventJson, RunJson } from './run-json.js';

/** The `alerts` section of `zksim run --alerts … --json`. Times in ms. */
export interface RunAlertsJson {
  /** the rules file's name */
  readonly rules: string;
  readonly scrapeIntervalMs: number;
  /** where the scrape grid sits: scrapes at phaseMs + k × scrapeIntervalMs */
  readonly phaseMs: number;
  /** every alert that fired, rule by rule in the file's order, each rule's in time order */
  readonly fired: readonly RunAlertJson[];
}

/** An event of the JSON contract back in the simulator's units (eventJson's inverse: `…Ms` → `…Us`). */
function eventUs(e: RunEventJson): TrialEvent {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k.endsWith('Ms') && (typeof v === 'number' || v === null)) out[`${k.slice(0, -2)}Us`] = v === null ? null : Math.round(v * 1000);
    else out[k] = v;
  }
  return out as unknown as TrialEvent;
}

/** The run's alerts under `rules`, evaluated from time 0 to the run's end. */
export function runAlerts(doc: Pick<RunJson, 'seed' | 'durationMs' | 'eventLog' | 'config'>, rules: AlertRules): RunAlertsJson {
  const servers = doc.config.servers.map((s) => s.id);
  const voters = new Set(doc.config.servers.filter((s) => s.role !== 'observer' && s.member !== false).map((s) => s.id));
  const signals = signalsFromEvents(doc.eventLog.map(eventUs), { servers, voters, storage: doc.config.storage });
  const phaseUs = scrapePhaseUs(doc.seed, rules.scrapeIntervalUs);
  const episodes = evaluateRules(rules, signals, { phaseUs, startUs: 0, endUs: Math.round(doc.durationMs * 1000), voters: voters.size });
  return {
    rules: rules.name,
    scrapeIntervalMs: rules.scrapeIntervalUs / 1000,
    phaseMs: phaseUs / 1000,
    fired: episodes.map((e) => ({ alert: e.alert, severity: e.severity, activeAtMs: e.activeAtUs / 1000, firedAtMs: e.firedAtUs / 1000, resolvedAtMs: e.resolvedAtUs === null ? null : e.resolvedAtUs / 1000 })),
  };
}

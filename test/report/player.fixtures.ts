import type { RunEventJson } from '../../src/report/run-json.js';

/**
 * Each server's role at `tMs` from a run's event log (`run --json` eventLog), folded as plainly as
 * possible and apart from report/player/state.ts, so the player is checked against the events
 * rather than against itself: STARTING until its first election, LOOKING, the decided role, DOWN
 * once its process stopped, STARTING again when a repair restarts it.
 */
export function rolesAt(events: readonly RunEventJson[], ids: readonly number[], tMs: number): Record<number, string> {
  const roles: Record<number, string> = Object.fromEntries(ids.map((id) => [id, 'STARTING']));
  for (const e of events) {
    if (e.atMs > tMs) break;
    if (e.type === 'looking') roles[e.server] = 'LOOKING';
    else if (e.type === 'roleDecided') roles[e.server] = e.role;
    else if (e.type === 'processStopped') roles[e.server] = 'DOWN';
    else if (e.type === 'faultRepaired' && e.effect === 'restarted') for (const s of e.servers) roles[s] = 'STARTING';
  }
  return roles;
}

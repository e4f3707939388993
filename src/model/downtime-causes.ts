import type { WriteDowntimeCause } from './events.js';

/**
 * The one name of each cause wherever a person reads it (tables, timelines, chart legends,
 * report.html, README), in ZooKeeper's terms: electing is LOOKING (FastLeaderElection), syncing is
 * a learner's Learner.syncWithLeader (Zab's synchronization phase), leader isolated is a leader cut
 * off or gone whose followers have not yet timed out (syncLimit × tickTime). JSON keeps the keys.
 */
export const DOWNTIME_CAUSE_LABELS: Readonly<Record<WriteDowntimeCause, string>> = {
  quorumLost: 'quorum lost',
  partitioned: 'quorum partitioned',
  leaderIsolated: 'leader isolated',
  electing: 'electing',
  syncing: 'syncing',
};

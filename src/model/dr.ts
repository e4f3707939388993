/**
 * A disaster-recovery site fed by asynchronous replication (a topology's `dr:` section, read by
 * config/dr.ts): design (b) of issue 14 §2. Design (a), observers of the primary ensemble in the
 * DR region, needs no section: they are servers of the topology with `role: observer`.
 *
 * ZooKeeper has no built-in cross-cluster replication (zookeeperReconfig.md and zookeeperAdmin.md
 * describe one ensemble; observers are its only remote-read feature). Deployments that keep a
 * separate standby ensemble copy committed changes with an external tool: one that tails the
 * primary's txn log or snapshots (log shipping) or mirrors the tree through watches. zksim models
 * any of them abstractly: the DR ensemble's history is the primary's committed history, in zxid
 * order, each txn applied `lag` after the primary committed it (scenario/dr.ts AsyncReplica).
 * Times in µs.
 */
import type { Distribution } from './distribution.js';

export interface DrReplication {
  /** the only kind modelled: committed txns copied to a separate ensemble after a lag */
  readonly replication: 'async';
  /** the DR region's name (where the standby ensemble runs; a region no primary server uses) */
  readonly region: string;
  /** voters of the standby ensemble (it runs there all along; its own failures are not simulated) */
  readonly voters: number;
  /** the primary's commit → the txn applied on the standby ensemble, µs, drawn per txn; applied in zxid order */
  readonly lag: Distribution;
}

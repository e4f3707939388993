// demos — the interview demos (issue 6, part 3). Each is a pure builder; cli/commands/demo.ts runs them.
import type { Demo } from './common.js';
import { evenNodes } from './even-nodes.js';
import { twoZones } from './two-zones.js';
import { splitBrain } from './split-brain.js';
import { rollingRestart } from './rolling-restart.js';
import { calibrationDemo } from './calibration.js';
import { backupRestore } from './backup-restore.js';
import { rollingUpgrade } from './rolling-upgrade.js';
import { migration } from './migration.js';
import { reconfig } from './reconfig.js';
import { drPartition } from './dr-partition.js';
import { drFailover } from './dr-failover.js';
import { byzantine } from './byzantine.js';

export * from './common.js';
export * as evenNodesDemo from './even-nodes.js';
export * as twoZonesDemo from './two-zones.js';
export * as splitBrainDemo from './split-brain.js';
export * as rollingRestartDemo from './rolling-restart.js';
export * as calibration from './calibration.js';
export * as backupRestoreDemo from './backup-restore.js';
export * as rollingUpgradeDemo from './rolling-upgrade.js';
export * as migrationDemo from './migration.js';
export * as reconfigDemo from './reconfig.js';
export * as drPartitionDemo from './dr-partition.js';
export * as drFailoverDemo from './dr-failover.js';
export * as byzantineDemo from './byzantine.js';

/** Every demo, in the order `zksim demo` lists them. */
export const DEMOS: readonly Demo[] = [evenNodes, twoZones, splitBrain, rollingRestart, rollingUpgrade, migration, reconfig, drPartition, drFailover, backupRestore, byzantine, calibrationDemo];

export function findDemo(name: string): Demo | null {
  return DEMOS.find((d) => d.name === name) ?? null;
}

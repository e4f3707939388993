/** The topology the backup tests share: three voters in three zones, copies every 10 s, a 15 s restore procedure. */
import { parseTopology } from '../../src/config/index.js';
import type { Topology } from '../../src/model/index.js';

export const BACKUP_YAML = `
name: n3-backup
servers:
  - { id: 1, zone: az1 }
  - { id: 2, zone: az2 }
  - { id: 3, zone: az3 }
backup:
  snapshotEvery: 30s
  logShipEvery: 10s
  writesPerSec: 20
  restore: { detect: 5s, decide: 10s, fetchMBps: 100 }
`;

/** `text` parsed (throws on an error: the tests' own files must be valid). */
export function backupTopology(text = BACKUP_YAML): Topology {
  const parsed = parseTopology(text, 'n3-backup.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.topology;
}

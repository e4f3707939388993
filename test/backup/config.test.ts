/**
 * A topology's `backup:` section (config/backup.ts): defaults, every key read, and errors placed at
 * the file, line and column of the bad value with what was expected.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError, parseTopology } from '../../src/config/index.js';
import { DEFAULT_BACKUP, DEFAULT_RESTORE } from '../../src/config/backup.js';

const SERVERS = `servers:
  - { id: 1, zone: az1 }
  - { id: 2, zone: az2 }
  - { id: 3, zone: az3 }
`;

function errors(backup: string): string[] {
  const r = parseTopology(`${SERVERS}backup:\n${backup}`, 't.yaml');
  return r.ok ? [] : r.errors.map(formatConfigError);
}

describe('backup: section', () => {
  it('is absent unless written; `backup: {}` takes every default', () => {
    const none = parseTopology(SERVERS, 't.yaml');
    expect(none.ok && none.topology.backup).toBe(undefined);
    const r = parseTopology(`${SERVERS}backup: {}\n`, 't.yaml');
    expect(r.ok && r.topology.backup).toEqual(DEFAULT_BACKUP);
    expect(DEFAULT_BACKUP).toMatchObject({ source: 'leader', snapshotEveryUs: 3600e6, logShipEveryUs: 300e6, retainCount: 3, retainForUs: null });
  });

  it('the shipped topologies/backup/n3-3az-backup.yaml reads: hourly snapshots, 5-minute shipping', () => {
    const r = parseTopology(readFileSync('topologies/backup/n3-3az-backup.yaml', 'utf8'), 'n3-3az-backup.yaml');
    expect(r.ok && r.topology.backup).toMatchObject({ snapshotEveryUs: 3600e6, logShipEveryUs: 300e6, retainCount: 3, writesPerSec: 50 });
  });

  it('reads every key: durations with units, a fixed delay or a distribution', () => {
    const r = parseTopology(
      `${SERVERS}backup:
  source: 2
  snapshotEvery: 6h
  logShipEvery: 30s
  retain: { count: 7, for: 2d }
  writesPerSec: 50
  restore:
    detect: 90s
    decide: { dist: lognormal, median: 20m, sigma: 0.5 }
    fetchMBps: 250
`,
      't.yaml',
    );
    expect(r.ok && r.topology.backup).toEqual({
      source: 2,
      snapshotEveryUs: 6 * 3600e6,
      logShipEveryUs: 30e6,
      retainCount: 7,
      retainForUs: 2 * 86_400e6,
      restore: { detect: { dist: 'constant', value: 90e6 }, decide: { dist: 'lognormal', median: 20 * 60e6, sigma: 0.5 }, fetchMBps: 250 },
      writesPerSec: 50,
    });
    expect(DEFAULT_RESTORE.fetchMBps).toBe(100);
  });

  it('places each error at its value, naming the field and what was expected', () => {
    expect(errors('  logShipEvery: 5\n')).toEqual(['t.yaml:6:17: backup.logShipEvery: expected a positive duration with a unit such as 5m or 1h, found number 5']);
    expect(errors('  snapshotEvry: 1h\n')[0]).toMatch(/^t\.yaml:6:3: backup\.snapshotEvry: unknown key "snapshotEvry" \(did you mean "snapshotEvery"\?\)/);
    expect(errors('  source: 9\n')).toEqual(['t.yaml:6:3: backup.source: expected "leader" or the id of a server in this topology (1, 2, 3), found 9']);
    expect(errors('  source: follower\n')).toEqual(['t.yaml:6:11: backup.source: expected "leader" or a server id, found "follower"']);
    expect(errors('  retain: { count: 0 }\n')).toEqual(['t.yaml:6:20: backup.retain.count: expected at least 1 snapshot kept, found 0']);
    expect(errors('  restore: { fetchMBps: -1 }\n')).toEqual(['t.yaml:6:25: backup.restore.fetchMBps: expected a positive rate in MB/s, found -1']);
    expect(errors('  restore: { decide: { dist: lognormal, median: 20m, sigma: 5 } }\n')).toEqual([
      't.yaml:6:22: backup.restore.decide: expected 0 < sigma ≤ 3, found 5',
    ]);
    expect(errors('  restore: { detect: { dist: constant, value: 30d } }\n')).toEqual([
      't.yaml:6:22: backup.restore.detect: expected a mean delay above 0 and at most a week, found 43200 minutes',
    ]);
    expect(errors('  snapshotEvery: 1d\n  retain: { for: 1h }\n')).toEqual([
      't.yaml:7:18: backup.retain.for: expected at least snapshotEvery (1d): the newest snapshot would be purged before the next, found 1h',
    ]);
    expect(errors('  - 1h\n')[0]).toMatch(/^t\.yaml:6:3: backup: expected a mapping, found a list/);
  });
});

/**
 * The must-hold rule over many shipping schedules and loss instants (issue 14 §3): after a total
 * loss, the writes lost are exactly those acknowledged after the last shipped log — every write
 * acknowledged before the last shipment survives the restore, every lost write was acknowledged
 * after it, and the count the backup reports equals the acknowledged writes missing from the
 * restored history. Fixed fast-check seed: the same cases on every run.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { Trial } from '../../src/scenario/index.js';
import { S, faults } from '../helpers/topologies.js';
import { BACKUP_YAML, backupTopology } from './helpers.js';

it('lost writes = the acknowledged writes after the last shipped log, for any interval and loss instant', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 20 }), fc.integer({ min: 20_000, max: 60_000 }), fc.integer({ min: 1, max: 1000 }), (shipS, lossMs, seed) => {
      const t = backupTopology(BACKUP_YAML.replace('logShipEvery: 10s', `logShipEvery: ${shipS}s`).replace('snapshotEvery: 30s', 'snapshotEvery: 1h'));
      const lossUs = lossMs * 1000;
      const acked: { writeId: number; atUs: number }[] = [];
      const trial: Trial = new Trial({
        topology: t,
        seed,
        durationUs: lossUs + 60 * S,
        faults: faults(t, ...t.servers.map((s) => `wipe:${s.id}@${lossMs}ms+10s`)),
        workload: { writesPerSec: 30, readsPerSec: 0, sessionTimeoutUs: 30 * S },
        hooks: { onReply: (_n, writeId, ok) => void (ok && acked.push({ writeId, atUs: trial.nowUs })) },
      });
      const result = trial.run();
      const loss = result.recorder.events.find((e) => e.type === 'dataLost');
      if (loss?.type !== 'dataLost') throw new Error('no total loss');
      // shipments at multiples of the interval, strictly before the loss (the cluster serves throughout)
      const lastShipUs = Math.floor((lossUs - 1) / (shipS * S)) * shipS * S;
      expect(loss.lastShippedUs).toBe(lastShipUs);
      const kept = new Set((result.durable.get(1)?.log ?? []).map((x) => x.writeId));
      const before = acked.filter((a) => a.atUs < lossUs);
      const lost = before.filter((a) => !kept.has(a.writeId));
      expect(before.filter((a) => a.atUs <= lastShipUs).every((a) => kept.has(a.writeId))).toBe(true);
      expect(lost.every((a) => a.atUs > lastShipUs)).toBe(true);
      expect(loss.ackedLost).toBe(lost.length);
      expect(result.safety.total).toBe(0);
    }),
    { seed: 14, numRuns: 12 },
  );
});

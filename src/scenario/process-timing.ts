/**
 * How long a ZooKeeper process takes for its own work (issue 13; model/topology.ts
 * ProcessSettings): the three steps of a start — jvmStart (spawn → client port), loadDataBase
 * (snapshot deserialisation and txn-log replay, ZKDatabase.loadDataBase), startLeaderElection
 * (AdminServer start, election port bound: QuorumPeer.start in 3.8) — and the CPU work a peer
 * asks for on the failover path (model/effects.ts WorkKind). Draws come from the trial's
 * `process` stream, so they never shift the network's or the disk's.
 */
import type { Rng, Simulation } from '../core/index.js';
import type { ProcessSettings, ServerId, StorageSettings, WorkKind } from '../model/index.js';
import { drawDelayUs } from '../net/index.js';
import { PRIORITY_NET, type SimEvent } from './sim-events.js';

/** The steps of a process start, in order; the last binds the election port and starts FLE. */
export type BootStep = 'jvmStart' | 'loadDataBase' | 'startLeaderElection';
const NEXT: Readonly<Record<BootStep, BootStep | null>> = { jvmStart: 'loadDataBase', loadDataBase: 'startLeaderElection', startLeaderElection: null };

/** What a start reads off the disk: the snapshot's bytes and the txns logged after it. */
export interface DatabaseSize {
  readonly snapshotBytes: number;
  readonly txnsToReplay: number;
}

/** What a start of a process with this disk reads: the last snapshot and the txns logged after it. */
export function databaseSize(durable: { readonly hasSnapshot: boolean; readonly snapshotLength: number; readonly log: readonly unknown[] }, storage: StorageSettings): DatabaseSize {
  const snapshotBytes = durable.hasSnapshot ? storage.snapshotMB * 1024 * 1024 + durable.snapshotLength * storage.txnBytes : 0;
  return { snapshotBytes, txnsToReplay: durable.log.length - durable.snapshotLength };
}

interface Boot {
  readonly id: number;
  readonly host: string;
  readonly database: DatabaseSize;
  stepStartUs: number;
  /** in a CPU-bound step (jvmStart, startLeaderElection): counted in its host's starts */
  onCpu: boolean;
}

/** The CPU-bound steps of a start (the database load waits on the disk). */
const CPU_BOUND: ReadonlySet<BootStep> = new Set<BootStep>(['jvmStart', 'startLeaderElection']);

export class ProcessTiming {
  private readonly boots = new Map<ServerId, Boot>();
  private readonly starting = new Set<ServerId>();
  private nextBoot = 1;
  /** per host: processes in a CPU-bound start step now */
  private readonly startingOnHost = new Map<string, number>();

  constructor(
    private readonly settings: ProcessSettings,
    private readonly rng: Rng,
    private readonly sim: Simulation<SimEvent>,
    private readonly hostOf: (id: ServerId) => string,
  ) {}

  /** The peer's `work` effect: `workDone` after a draw of its kind. */
  work(node: ServerId, inc: number, token: number, what: WorkKind): void {
    this.sim.schedule(this.sim.nowUs + Math.max(1, drawDelayUs(this.settings[what], this.rng)), PRIORITY_NET, { kind: 'workDone', node, inc, token });
  }

  /** kill -9 → the kernel has closed the process's sockets, µs. */
  exitCloseUs(): number {
    return drawDelayUs(this.settings.exitClose, this.rng);
  }

  /** The servers between spawn and binding their election port (a live view, not a copy). */
  startingNodes(): ReadonlySet<ServerId> {
    return this.starting;
  }

  /** Is `node` between spawn and binding its election port? */
  booting(node: ServerId): boolean {
    return this.boots.has(node);
  }

  /**
   * Spawn processes at this instant: their steps follow as `boot` events. Processes spawned
   * together on one host share its cores alike (each counts all of them).
   */
  spawn(starts: readonly { readonly node: ServerId; readonly database: DatabaseSize }[]): void {
    const boots = starts.map(({ node, database }) => {
      const boot: Boot = { id: this.nextBoot++, host: this.hostOf(node), database, stepStartUs: this.sim.nowUs, onCpu: true };
      this.boots.set(node, boot);
      this.starting.add(node);
      this.startingOnHost.set(boot.host, (this.startingOnHost.get(boot.host) ?? 0) + 1);
      return boot;
    });
    starts.forEach(({ node }, i) => this.schedule(node, boots[i] as Boot, 'jvmStart'));
  }

  /** The process died (or its host) before it was up: its pending steps are void. */
  abort(node: ServerId): void {
    const boot = this.boots.get(node);
    if (boot) this.leaveCpu(boot);
    this.boots.delete(node);
    this.starting.delete(node);
  }

  /**
   * A `boot` event: null when void (the start was aborted), else the step done, how long it took
   * and whether the process is now electing (the last step).
   */
  stepDone(node: ServerId, bootId: number, step: BootStep): { tookUs: number; bytes: number; electing: boolean } | null {
    const boot = this.boots.get(node);
    if (!boot || boot.id !== bootId) return null;
    const tookUs = this.sim.nowUs - boot.stepStartUs;
    boot.stepStartUs = this.sim.nowUs;
    this.leaveCpu(boot);
    const next = NEXT[step];
    if (next === null) {
      this.boots.delete(node);
      this.starting.delete(node);
    }
    else this.schedule(node, boot, next);
    return { tookUs, bytes: step === 'loadDataBase' ? boot.database.snapshotBytes : 0, electing: next === null };
  }

  /**
   * A CPU-bound step of k starts at once on a host with `coresPerHost` cores takes
   * max(1, k / cores) times its draw (processor sharing, fixed when the step begins).
   */
  private schedule(node: ServerId, boot: Boot, step: BootStep): void {
    let us = this.durationUs(step, boot.database);
    const cores = this.settings.coresPerHost;
    if (CPU_BOUND.has(step)) {
      if (!boot.onCpu) this.startingOnHost.set(boot.host, (this.startingOnHost.get(boot.host) ?? 0) + 1);
      boot.onCpu = true;
      const k = this.startingOnHost.get(boot.host) ?? 1;
      if (cores !== undefined) us = Math.ceil(us * Math.max(1, k / cores));
    }
    this.sim.schedule(this.sim.nowUs + Math.max(1, us), PRIORITY_NET, { kind: 'boot', node, boot: boot.id, step });
  }

  private leaveCpu(boot: Boot): void {
    if (!boot.onCpu) return;
    boot.onCpu = false;
    this.startingOnHost.set(boot.host, (this.startingOnHost.get(boot.host) ?? 1) - 1);
  }

  private durationUs(step: BootStep, db: DatabaseSize): number {
    const s = this.settings;
    if (step === 'jvmStart') return drawDelayUs(s.jvmStart, this.rng);
    if (step === 'startLeaderElection') return drawDelayUs(s.startLeaderElection, this.rng);
    const loadUs = (db.snapshotBytes / (s.snapshotLoadMBps * 1024 * 1024)) * 1e6;
    const replayUs = (db.txnsToReplay / s.txnReplayPerSec) * 1e6;
    return Math.ceil(loadUs + replayUs);
  }
}

/**
 * The kernel events of one trial and their tie-break priorities: what scenario/trial.ts routes
 * and its parts (timers, disk, fault injector, workload) schedule.
 */
import type { ServerId } from '../model/index.js';
import type { NetEvent } from '../net/index.js';
import type { BootStep } from './process-timing.js';
import type { WorkloadEvent } from './workload.js';

/** Ties at one instant: faults first, then network deliveries (and disk, clients), then timers. */
export const PRIORITY_FAULT = 0;
export const PRIORITY_NET = 1;
export const PRIORITY_TIMER = 2;

export type SimEvent =
  | NetEvent
  | { readonly kind: 'timer'; readonly node: ServerId; readonly inc: number; readonly timer: string }
  | { readonly kind: 'fault'; readonly index: number }
  | { readonly kind: 'repair'; readonly index: number }
  | { readonly kind: 'write'; readonly node: ServerId; readonly writeId: number }
  | { readonly kind: 'fsynced'; readonly node: ServerId; readonly inc: number; readonly token: number }
  /** the disk failed that write (scenario/disk.ts setFull) */
  | { readonly kind: 'diskError'; readonly node: ServerId; readonly inc: number; readonly token: number }
  /** a peer's `work` is done (scenario/process-timing.ts) */
  | { readonly kind: 'workDone'; readonly node: ServerId; readonly inc: number; readonly token: number }
  /** a step of a process start is done (scenario/process-timing.ts; `boot` tells one start from another) */
  | { readonly kind: 'boot'; readonly node: ServerId; readonly boot: number; readonly step: BootStep }
  /** the operator's restore from backup after a total loss (scenario/backup.ts) */
  | { readonly kind: 'restore' }
  /** a step of plan `runner` asked to be woken now (scenario/plan-runner.ts PlanRunners) */
  | { readonly kind: 'plan'; readonly runner: number }
  | WorkloadEvent;

import { EventQueue, type EventHandle } from './queue.js';
import { SimulationLimitError } from './limits.js';
import type { TimeUs } from './time.js';

/**
 * Called once per event, in (time, priority, insertion) order, with the clock already at the
 * event's time. The caller's events are plain data (a discriminated union); this one function
 * dispatches on them, so the kernel stores no closures and a trace can print every event.
 */
export type EventHandler<E> = (event: E, nowUs: TimeUs) => void;

/**
 * The discrete-event kernel: a clock and a queue, nothing else (no randomness, no model).
 * Only the queue advances time: `nowUs` jumps to each event's time as it is processed.
 */
export class Simulation<E> {
  private readonly queue = new EventQueue<E>();
  private currentUs: TimeUs = 0;
  private processed = 0;
  private stopRequested = false;

  constructor(startUs: TimeUs = 0) {
    assertTime(startUs, 'startUs');
    this.currentUs = startUs;
  }

  get nowUs(): TimeUs {
    return this.currentUs;
  }

  /** Events handled so far (by `step` and `runUntil`), for cost-per-event accounting. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Events scheduled and not yet processed or cancelled. */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Time of the next pending event, or +Infinity when none. */
  peekTimeUs(): TimeUs {
    return this.queue.peekTime();
  }

  /** Schedule `event` at absolute time `atUs` (an integer, not in the past). Lower priority runs first among equal times. */
  schedule(atUs: TimeUs, priority: number, event: E): EventHandle {
    assertTime(atUs, 'atUs');
    if (atUs < this.currentUs) throw new RangeError(`cannot schedule in the past: atUs=${atUs} < nowUs=${this.currentUs}`);
    if (!Number.isFinite(priority)) throw new RangeError(`priority must be finite, got ${priority}`);
    return this.queue.push(atUs, priority, event);
  }

  scheduleAfter(delayUs: TimeUs, priority: number, event: E): EventHandle {
    assertTime(delayUs, 'delayUs');
    const atUs = this.currentUs + delayUs;
    assertTime(atUs, 'nowUs + delayUs');
    if (!Number.isFinite(priority)) throw new RangeError(`priority must be finite, got ${priority}`);
    return this.queue.push(atUs, priority, event);
  }

  /** Cancel a pending event; false if it already ran or was cancelled (harmless, so timers can be reset blindly). */
  cancel(handle: EventHandle): boolean {
    return this.queue.cancel(handle);
  }

  /** Ask `runUntil` to return after the current handler. The clock stays at that event's time. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Process the single next event, if any. Returns whether one was processed. Ignores the end-time of `runUntil`. */
  step(handler: EventHandler<E>): boolean {
    if (this.queue.size === 0) return false;
    this.currentUs = this.queue.peekTime();
    const event = this.queue.pop() as E;
    this.processed++;
    handler(event, this.currentUs);
    return true;
  }

  /**
   * Process every event with time <= endUs in order (including events handlers schedule within
   * the window), then set the clock to endUs. If a handler calls `stop()`, return right after it
   * with the clock at that event's time; a later `runUntil` resumes from there.
   */
  runUntil(endUs: TimeUs, handler: EventHandler<E>): void {
    assertTime(endUs, 'endUs');
    if (endUs < this.currentUs) throw new RangeError(`runUntil into the past: endUs=${endUs} < nowUs=${this.currentUs}`);
    this.stopRequested = false;
    const queue = this.queue;
    for (let nextUs = queue.peekTime(); nextUs <= endUs; nextUs = queue.peekTime()) {
      this.currentUs = nextUs;
      const event = queue.pop() as E;
      this.processed++;
      handler(event, this.currentUs);
      if (this.stopRequested) {
        this.stopRequested = false;
        return;
      }
    }
    this.currentUs = endUs;
  }
}

function assertTime(value: number, name: string): void {
  // Past the clock's range (2^53 µs ≈ 285 years, or a non-finite draw): the inputs, not the code.
  if (value > Number.MAX_SAFE_INTEGER || value === Number.POSITIVE_INFINITY) {
    throw new SimulationLimitError(
      `simulated time left the clock's range (${name} = ${value} µs; the clock holds 2^53 µs, about 285 years): a delay drawn from a latency, fsync or failure distribution, or a timeout, was too long for this run; shorten the duration or the distribution's tail`,
    );
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer number of microseconds, got ${value}`);
  }
}

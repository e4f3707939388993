import type { TimeUs } from './time.js';

/**
 * Opaque ticket for a scheduled event, used only to cancel it. Encodes (slot, generation) so a
 * stale handle — its event already popped or cancelled and its slot reused — is recognised and
 * ignored instead of cancelling someone else's event.
 */
export type EventHandle = number;

/** At most this many events pending at once (slots); plenty for a queue of thousands. */
const SLOT_LIMIT = 1 << 24;
/** Generations wrap here so handles stay exact integers (2^24 · 2^29 = 2^53). */
const GEN_LIMIT = 1 << 29;
const INITIAL_CAPACITY = 64;

/**
 * Binary min-heap of events keyed by (timeUs, priority, seq), seq being the insertion counter, so
 * equal times pop by priority (lower first) and then in insertion order: runs are reproducible.
 *
 * Layout, chosen for speed: each pending event lives in a *slot*; its keys sit in parallel typed
 * arrays indexed by slot and its payload in a plain array. The heap itself is an Int32Array of
 * slot numbers, and `heapPosBySlot` tracks where each slot sits so `cancel` is an O(log n)
 * indexed removal: cancelled events leave the heap at once, never linger, and `size` is exact.
 * Freed slots are recycled through a free list, so steady state allocates nothing.
 */
export class EventQueue<P> {
  private timeBySlot = new Float64Array(INITIAL_CAPACITY);
  private priorityBySlot = new Float64Array(INITIAL_CAPACITY);
  private seqBySlot = new Float64Array(INITIAL_CAPACITY);
  private genBySlot = new Int32Array(INITIAL_CAPACITY);
  /** Index into `heap`, or -1 while the slot is free. */
  private heapPosBySlot = new Int32Array(INITIAL_CAPACITY).fill(-1);
  private payloadBySlot: (P | undefined)[] = [];
  private heap = new Int32Array(INITIAL_CAPACITY);
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  /** Slots ever used; slots >= this are untouched. */
  private slotsUsed = 0;
  private nextSeq = 0;
  private count = 0;

  /** Number of pending (pushed, not yet popped or cancelled) events. */
  get size(): number {
    return this.count;
  }

  /** Insert an event; lower `priority` pops first among equal times. */
  push(timeUs: TimeUs, priority: number, payload: P): EventHandle {
    const slot = this.allocateSlot();
    this.timeBySlot[slot] = timeUs;
    this.priorityBySlot[slot] = priority;
    this.seqBySlot[slot] = this.nextSeq++;
    this.payloadBySlot[slot] = payload;
    this.siftUp(slot, this.count++);
    return this.genBySlot[slot]! * SLOT_LIMIT + slot;
  }

  /** Time of the next event, or +Infinity when empty (so `peekTime() <= end` needs no branch). */
  peekTime(): TimeUs {
    return this.count === 0 ? Infinity : this.timeBySlot[this.heap[0]!]!;
  }

  /** Remove and return the next event's payload; undefined when empty (check `size` first if P may be undefined). */
  pop(): P | undefined {
    if (this.count === 0) return undefined;
    const top = this.heap[0]!;
    const payload = this.payloadBySlot[top];
    this.releaseSlot(top);
    const last = this.heap[--this.count]!;
    if (this.count > 0) this.siftDownFromRoot(last);
    return payload;
  }

  /** Cancel a pending event. Returns false (and does nothing) for a handle already popped or cancelled. */
  cancel(handle: EventHandle): boolean {
    if (!Number.isSafeInteger(handle) || handle < 0) return false;
    const slot = handle % SLOT_LIMIT;
    const gen = (handle - slot) / SLOT_LIMIT;
    if (slot >= this.slotsUsed || this.genBySlot[slot] !== gen) return false;
    const pos = this.heapPosBySlot[slot]!;
    if (pos < 0) return false;
    this.releaseSlot(slot);
    const last = this.heap[--this.count]!;
    if (pos < this.count) {
      // Move the last element into the hole; it may need to go either way.
      if (pos > 0 && this.less(last, this.heap[(pos - 1) >> 1]!)) this.siftUp(last, pos);
      else this.siftDown(last, pos);
    }
    return true;
  }

  private less(a: number, b: number): boolean {
    const ta = this.timeBySlot[a]!;
    const tb = this.timeBySlot[b]!;
    if (ta !== tb) return ta < tb;
    const pa = this.priorityBySlot[a]!;
    const pb = this.priorityBySlot[b]!;
    if (pa !== pb) return pa < pb;
    return this.seqBySlot[a]! < this.seqBySlot[b]!;
  }

  /** Place `slot` at `pos` or above, shifting later parents down (one write per level). */
  private siftUp(slot: number, pos: number): void {
    const heap = this.heap;
    const heapPos = this.heapPosBySlot;
    const timeBySlot = this.timeBySlot;
    // The rising entry's keys, loaded once; parents are compared against these.
    const t = timeBySlot[slot]!;
    const p = this.priorityBySlot[slot]!;
    const s = this.seqBySlot[slot]!;
    while (pos > 0) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos]!;
      const pt = timeBySlot[parent]!;
      if (pt < t) break;
      if (pt === t) {
        const pp = this.priorityBySlot[parent]!;
        if (pp < p || (pp === p && this.seqBySlot[parent]! < s)) break;
      }
      heap[pos] = parent;
      heapPos[parent] = pos;
      pos = parentPos;
    }
    heap[pos] = slot;
    heapPos[slot] = pos;
  }

  /** Place `slot` at `pos` or below, shifting smaller children up. */
  private siftDown(slot: number, pos: number): void {
    const heap = this.heap;
    const heapPos = this.heapPosBySlot;
    const n = this.count;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      let childSlot = heap[left]!;
      if (right < n) {
        const rightSlot = heap[right]!;
        if (this.less(rightSlot, childSlot)) {
          child = right;
          childSlot = rightSlot;
        }
      }
      if (!this.less(childSlot, slot)) break;
      heap[pos] = childSlot;
      heapPos[childSlot] = pos;
      pos = child;
    }
    heap[pos] = slot;
    heapPos[slot] = pos;
  }

  /**
   * Re-insert `slot` (the former last entry) after the root was removed, the bottom-up way
   * (Floyd): walk the hole down to a leaf along the earlier child — one comparison per level
   * instead of two — then sift `slot` up from there. It came from the bottom, so it rarely rises far.
   */
  private siftDownFromRoot(slot: number): void {
    const heap = this.heap;
    const heapPos = this.heapPosBySlot;
    const n = this.count;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      let childSlot = heap[child]!;
      if (child + 1 < n) {
        const rightSlot = heap[child + 1]!;
        if (this.less(rightSlot, childSlot)) {
          child++;
          childSlot = rightSlot;
        }
      }
      heap[pos] = childSlot;
      heapPos[childSlot] = pos;
      pos = child;
    }
    this.siftUp(slot, pos);
  }

  private allocateSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    if (this.slotsUsed === this.timeBySlot.length) this.grow();
    return this.slotsUsed++;
  }

  private releaseSlot(slot: number): void {
    this.payloadBySlot[slot] = undefined; // let the payload be collected
    this.heapPosBySlot[slot] = -1;
    this.genBySlot[slot] = (this.genBySlot[slot]! + 1) & (GEN_LIMIT - 1);
    this.freeSlots[this.freeCount++] = slot;
  }

  private grow(): void {
    const capacity = this.timeBySlot.length * 2;
    if (capacity > SLOT_LIMIT) throw new RangeError(`event queue full: more than ${SLOT_LIMIT} pending events`);
    this.timeBySlot = growFloat64(this.timeBySlot, capacity);
    this.priorityBySlot = growFloat64(this.priorityBySlot, capacity);
    this.seqBySlot = growFloat64(this.seqBySlot, capacity);
    this.genBySlot = growInt32(this.genBySlot, capacity, 0);
    this.heapPosBySlot = growInt32(this.heapPosBySlot, capacity, -1);
    this.heap = growInt32(this.heap, capacity, 0);
    this.freeSlots = growInt32(this.freeSlots, capacity, 0);
  }
}

function growFloat64(old: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(capacity);
  grown.set(old);
  return grown;
}

function growInt32(old: Int32Array, capacity: number, fillValue: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity).fill(fillValue);
  grown.set(old);
  return grown;
}

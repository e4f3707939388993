/**
 * Quorum predicates over a set of "up" voters, mirroring ZooKeeper 3.8's
 * `QuorumMaj.containsQuorum` and `QuorumHierarchical.containsQuorum`.
 *
 * Self-contained on purpose (stats/ is tier 1 and imports nothing): the analytic oracle must
 * not share code with the protocol implementation it is used to check, otherwise a bug in one
 * would silently agree with itself.
 *
 * Voters are indexed 0..V-1; `upMask[i]` says whether voter i is in the set.
 */

export type QuorumSystem =
  | { kind: 'majority'; voters: number }
  | {
      kind: 'hierarchical';
      /** group id of voter i (ZooKeeper `group.g=...`; ids are positive integers, 1-based by convention) */
      groups: number[];
      /** weight of voter i (ZooKeeper `weight.s`, default 1; weight 0 = never counts) */
      weights: number[];
    };

/** Number of voters the system is defined over (= required `upMask.length`). */
export function voterCount(q: QuorumSystem): number {
  return q.kind === 'majority' ? q.voters : q.groups.length;
}

/** Smallest quorum of a majority system: QuorumMaj's half = ⌊V/2⌋, a quorum needs > half. */
export function majorityQuorumSize(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

function checkInt(x: number, what: string): void {
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative integer, got ${x}`);
}

/** Throws a RangeError describing the first problem with `q`, if any. */
export function validateQuorumSystem(q: QuorumSystem): void {
  if (q.kind === 'majority') {
    checkInt(q.voters, 'voters');
    return;
  }
  if (q.groups.length !== q.weights.length) {
    throw new RangeError(`groups (${q.groups.length}) and weights (${q.weights.length}) differ in length`);
  }
  q.groups.forEach((g, i) => {
    if (!Number.isInteger(g) || g < 1) throw new RangeError(`group of voter ${i} must be a positive integer, got ${g}`);
  });
  // ZooKeeper weights are longs; the ⌊w/2⌋ rule only means what it says for integers.
  q.weights.forEach((w, i) => checkInt(w, `weight of voter ${i}`));
}

/**
 * Precompiles `q` into a fast predicate (used by the 2^V enumeration in analytic.ts, where the
 * group bookkeeping would otherwise be redone for every state).
 */
export function compileQuorum(q: QuorumSystem): (upMask: readonly boolean[]) => boolean {
  validateQuorumSystem(q);
  const n = voterCount(q);
  const checkLen = (upMask: readonly boolean[]): void => {
    if (upMask.length !== n) throw new RangeError(`upMask has ${upMask.length} entries, quorum system has ${n} voters`);
  };

  if (q.kind === 'majority') {
    // QuorumMaj: half = ⌊V/2⌋; containsQuorum(set) = set.size() > half.
    const half = Math.floor(n / 2);
    return (upMask) => {
      checkLen(upMask);
      let up = 0;
      for (const u of upMask) if (u) up++;
      return up > half;
    };
  }

  // Dense group slots 0..G'-1 in first-appearance order (the count does not depend on order).
  const slotOf = new Map<number, number>();
  const slot: number[] = [];
  for (const g of q.groups) {
    let s = slotOf.get(g);
    if (s === undefined) {
      s = slotOf.size;
      slotOf.set(g, s);
    }
    slot.push(s);
  }
  const groupWeight = new Array<number>(slotOf.size).fill(0);
  q.weights.forEach((w, i) => {
    const s = slot[i] as number;
    groupWeight[s] = (groupWeight[s] as number) + w;
  });
  // QuorumHierarchical.computeGroupWeight: groups of total weight 0 do not count towards G.
  const G = groupWeight.filter((w) => w > 0).length;
  const halfG = Math.floor(G / 2);
  const halfW = groupWeight.map((w) => Math.floor(w / 2));
  const weights = q.weights.slice();
  const acc = new Array<number>(slotOf.size).fill(0);

  return (upMask) => {
    checkLen(upMask);
    acc.fill(0);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!upMask[i]) continue;
      any = true;
      const s = slot[i] as number;
      acc[s] = (acc[s] as number) + (weights[i] as number);
    }
    if (!any) return false; // "if (set.size() == 0) return false"
    let majGroups = 0;
    for (let s = 0; s < acc.length; s++) {
      // strictly more than half the group's weight; a weight-0 group can never satisfy 0 > 0
      if ((acc[s] as number) > (halfW[s] as number)) majGroups++;
    }
    return majGroups > halfG;
  };
}

/** Is the set of voters with `upMask[i] === true` a quorum of `q`? */
export function isQuorum(q: QuorumSystem, upMask: readonly boolean[]): boolean {
  return compileQuorum(q)(upMask);
}

/**
 * Closed-form and exact-enumeration availability models: the oracle that Monte Carlo estimates
 * are printed beside and tested against (see reference/availability.md §1a).
 *
 * Precision rule: an unavailability is always computed as a sum of failure-state probabilities,
 * never as 1 − availability. 1 − 0.99999999999 has only ~5 correct digits in doubles; summing the
 * failure side keeps full relative precision down to denormals.
 */
import { compileQuorum, voterCount, type QuorumSystem } from './quorum.js';

function checkProbability(p: number, what: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${what} must be a probability in [0, 1], got ${p}`);
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${n}`);
}

/** ln(k!) for k = 0..n, by running sums (exact enough: error ~n ulp in the log). */
function logFactorials(n: number): Float64Array {
  const lf = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) lf[k] = (lf[k - 1] as number) + Math.log(k);
  return lf;
}

/**
 * Σ_{k=from..to} C(n,k) a^k (1−a)^(n−k), each term in log space so that large n neither
 * overflows C(n,k) nor underflows a^k. Terms are added smallest-first for accuracy.
 */
function binomialRange(n: number, a: number, from: number, to: number): number {
  if (from > to) return 0;
  const b = 1 - a; // exact for a ∈ [0.5, 1] (Sterbenz), the interesting range
  // Degenerate ends: 0^0 = 1, everything else with a zero base vanishes.
  if (a === 0) return from === 0 ? 1 : 0;
  if (b === 0) return to === n ? 1 : 0;
  const lf = logFactorials(n);
  const la = Math.log(a);
  const lb = Math.log(b);
  const terms: number[] = [];
  for (let k = from; k <= to; k++) {
    terms.push(Math.exp((lf[n] as number) - (lf[k] as number) - (lf[n - k] as number) + k * la + (n - k) * lb));
  }
  terms.sort((x, y) => x - y);
  let s = 0;
  for (const t of terms) s += t;
  return s;
}

/** A(n,a) = P(more than ⌊n/2⌋ of n independent nodes are up), each up with probability a. */
export function majorityAvailability(n: number, a: number): number {
  checkCount(n, 'n');
  checkProbability(a, 'a');
  return binomialRange(n, a, Math.floor(n / 2) + 1, n);
}

/** U(n,a) = P(at most ⌊n/2⌋ up), summed over the failure side directly (accurate for 1e-15). */
export function majorityUnavailability(n: number, a: number): number {
  checkCount(n, 'n');
  checkProbability(a, 'a');
  return binomialRange(n, a, 0, Math.floor(n / 2));
}

export interface EnumerationModel {
  quorum: QuorumSystem;
  /** probability that voter i itself (its process, disk and host) is up, independent of everything else */
  serverUp: number[];
  /**
   * the failure domain(s) voter i lies in, as indices into `zoneUp`: one index (a zone), or a
   * list (e.g. its host, rack, zone and region); the voter is up only while every one is up
   */
  serverZone: (number | readonly number[])[];
  /** probability that domain z is up, independent across domains and of the servers */
  zoneUp: number[];
}

export interface AvailabilityResult {
  availability: number;
  unavailability: number;
}

/** Enumeration cost is 2^(voters); 2^24 leaves × V work is a few seconds — beyond that, simulate. */
export const MAX_ENUMERATED_VOTERS = 24;
/** Domains shared by two or more voters (and ever down) are enumerated too: 2^(shared domains) × 2^(voters) leaves at most. */
export const MAX_ENUMERATED_DOMAINS = 20;

/**
 * Exact steady-state availability with independent server failures and independent domain
 * outages (hosts, racks, zones, regions — any nesting or overlap): a voter is up iff it is up
 * and every domain it lies in is up.
 *
 * A domain holding a single voter is folded into that voter's own probability (the product of
 * independent events), so only domains shared by two or more voters are enumerated; within each
 * state of those, the voters whose domains are all up are enumerated (the others are down with
 * certainty). Domains holding no voter marginalise to 1. Cost ≤ 2^(shared domains) · 2^V leaves:
 * n9 over 3 zones is 2^3 · 2^9. Both sums are accumulated separately so each is accurate on its
 * own; availability + unavailability = 1 up to rounding.
 */
export function enumeratedAvailability(model: EnumerationModel): AvailabilityResult {
  const { quorum, serverUp, serverZone, zoneUp } = model;
  const V = voterCount(quorum);
  if (serverUp.length !== V || serverZone.length !== V) {
    throw new RangeError(`serverUp (${serverUp.length}) and serverZone (${serverZone.length}) must have one entry per voter (${V})`);
  }
  if (V > MAX_ENUMERATED_VOTERS) throw new RangeError(`enumeration over ${V} voters is too large (max ${MAX_ENUMERATED_VOTERS})`);
  serverUp.forEach((p, i) => checkProbability(p, `serverUp[${i}]`));
  zoneUp.forEach((p, z) => checkProbability(p, `zoneUp[${z}]`));
  const domainsOf: number[][] = serverZone.map((zs, i) => {
    const list = typeof zs === 'number' ? [zs] : [...new Set(zs)];
    for (const z of list) {
      if (!Number.isInteger(z) || z < 0 || z >= zoneUp.length) {
        throw new RangeError(`serverZone[${i}] = ${z} is not an index into zoneUp (length ${zoneUp.length})`);
      }
    }
    return list;
  });
  const isQ = compileQuorum(quorum);

  // Fold single-voter domains into the voter; keep the shared ones, in index order. A domain that
  // is never down (up = 1) changes nothing and is dropped before counting.
  const holders = new Map<number, number>();
  for (const list of domainsOf) for (const z of list) if ((zoneUp[z] as number) < 1) holders.set(z, (holders.get(z) ?? 0) + 1);
  const shared = (z: number): boolean => (holders.get(z) ?? 0) > 1;
  const ownUp = serverUp.map((p, i) => (domainsOf[i] as number[]).reduce((q, z) => (holders.get(z) === 1 ? q * (zoneUp[z] as number) : q), p));
  const zones = [...holders.keys()].filter(shared).sort((x, y) => x - y);
  const sharedOf = domainsOf.map((list) => list.filter(shared));
  if (zones.length > MAX_ENUMERATED_DOMAINS) {
    throw new RangeError(`enumeration over ${zones.length} shared failure domains is too large (max ${MAX_ENUMERATED_DOMAINS})`);
  }

  const upMask = new Array<boolean>(V).fill(false);
  let availability = 0;
  let unavailability = 0;

  // Voters whose shared domains are all up in the current domain state: the only random ones.
  const free: number[] = [];
  const walk = (j: number, p: number): void => {
    if (p === 0) return; // a zero-probability branch adds nothing (and avoids 0·∞ issues)
    if (j === free.length) {
      if (isQ(upMask)) availability += p;
      else unavailability += p;
      return;
    }
    const i = free[j] as number;
    const a = ownUp[i] as number;
    upMask[i] = true;
    walk(j + 1, p * a);
    upMask[i] = false;
    walk(j + 1, p * (1 - a));
  };

  const Z = zones.length;
  const zoneIsUp = new Map<number, boolean>();
  for (let zs = 0; zs < 2 ** Z; zs++) {
    let pz = 1;
    for (let k = 0; k < Z; k++) {
      const z = zones[k] as number;
      const up = ((zs >> k) & 1) === 1;
      zoneIsUp.set(z, up);
      const pu = zoneUp[z] as number;
      pz *= up ? pu : 1 - pu;
    }
    if (pz === 0) continue;
    free.length = 0;
    upMask.fill(false);
    for (let i = 0; i < V; i++) if ((sharedOf[i] as number[]).every((z) => zoneIsUp.get(z))) free.push(i);
    walk(0, pz);
  }
  return { availability, unavailability };
}

export interface MttqlInput {
  /** number of voters */
  n: number;
  /** mean time to failure of one node (any unit) */
  mttf: number;
  /** mean time to repair one node (same unit); one repair crew per node */
  mttr: number;
  /** tolerable failures; default ⌊(n−1)/2⌋ (majority quorum) */
  f?: number;
}

function resolveF(input: MttqlInput): number {
  const { n, mttf, mttr } = input;
  checkCount(n, 'n');
  if (!(mttf > 0 && Number.isFinite(mttf))) throw new RangeError(`mttf must be positive and finite, got ${mttf}`);
  if (!(mttr >= 0)) throw new RangeError(`mttr must be >= 0, got ${mttr}`);
  const f = input.f ?? Math.floor((n - 1) / 2);
  if (!Number.isInteger(f) || f < 0 || f >= n) throw new RangeError(`f must be an integer in [0, n), got ${f}`);
  return f;
}

/**
 * Exact mean time to quorum loss from the all-up state. State k = number of failed nodes;
 * k → k+1 at rate λ_k = (n−k)/mttf, k → k−1 at rate μ_k = k/mttr; absorbing at k = f+1.
 *
 * First-step analysis on a birth–death chain reduces the tridiagonal system to a recurrence:
 * the expected time τ_k to first reach k+1 from k satisfies
 *   τ_k = 1/λ_k + (μ_k/λ_k)·τ_{k−1},  τ_0 = 1/λ_0,
 * (wait for the next event, and if it was a repair, climb back from k−1), and
 * MTTQL = Σ_{k=0..f} τ_k. Every term is positive, so there is no cancellation.
 * mttr = Infinity means no repair (sum of exponential stages); mttr = 0 with f ≥ 1 gives Infinity.
 */
export function meanTimeToQuorumLoss(input: MttqlInput): number {
  const f = resolveF(input);
  const { n, mttf, mttr } = input;
  let total = 0;
  let prev = 0;
  for (let k = 0; k <= f; k++) {
    const lambda = (n - k) / mttf;
    const mu = k === 0 ? 0 : k / mttr; // k/0 = Infinity: instant repair never loses quorum
    const tau = 1 / lambda + (k === 0 ? 0 : (mu / lambda) * prev);
    total += tau;
    prev = tau;
  }
  return total;
}

/**
 * Leading-order approximation for mttr ≪ mttf (availability.md §1a):
 *   MTTQL ≈ f!·mttf^(f+1) / ( n(n−1)…(n−f) · mttr^f ).
 * Kept for reports that show "the textbook formula" beside the exact value.
 */
export function meanTimeToQuorumLossApprox(input: MttqlInput): number {
  const f = resolveF(input);
  const { n, mttf, mttr } = input;
  // Built as a product of ratios to avoid overflowing mttf^(f+1) for large f.
  let x = mttf / n;
  for (let j = 1; j <= f; j++) x *= (j * mttf) / ((n - j) * mttr);
  return x;
}

/**
 * Special functions needed for exact Poisson (Garwood) intervals: log-gamma and the regularized
 * lower incomplete gamma P(a, x). Deterministic pure arithmetic (no tables, no randomness).
 * Algorithms: Lanczos (g = 7, 9 coefficients) and the series / Lentz continued fraction of
 * Numerical Recipes §6.2.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (relative error ~1e-15). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) {
    // reflection keeps accuracy near 0
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) s += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const EPS = 1e-16;
const TINY = 1e-300;

/** Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`regularizedGammaP needs a > 0, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`regularizedGammaP needs x >= 0, got ${x}`);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  const lnPre = a * Math.log(x) - x - logGamma(a);
  // Both expansions converge in O(√a) steps near x ≈ a; the cap is generous.
  const maxIter = 1000 + Math.ceil(50 * Math.sqrt(a));
  if (x < a + 1) {
    // series: γ(a,x) e^x x^-a = Σ x^n / (a (a+1) … (a+n))
    let ap = a;
    let term = 1 / a;
    let sum = term;
    for (let i = 0; i < maxIter; i++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return Math.min(1, sum * Math.exp(lnPre));
  }
  // continued fraction for Q(a,x) (modified Lentz)
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < maxIter; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.max(0, 1 - Math.exp(lnPre) * h);
}

/**
 * Quantile of Gamma(shape, 1): the x with P(shape, x) = p, by bisection (monotone, so it always
 * converges; ~100 halvings reach adjacent doubles). χ²_ν quantile = 2 · gammaQuantile(ν/2, p).
 */
export function gammaQuantile(shape: number, p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  let lo = 0;
  let hi = Math.max(1, shape);
  while (regularizedGammaP(shape, hi) < p) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (regularizedGammaP(shape, mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

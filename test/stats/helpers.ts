/**
 * Test helpers: a tiny deterministic LCG (no Math.random in this repo) and a tolerance derived
 * from how a reference value was rounded.
 */

/** Numerical Recipes 32-bit LCG; returns uniforms in [0, 1). Deterministic per seed. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Half a unit in the last printed digit of a table entry such as "2.98e-4" (→ 0.005e-4) or
 * "5.0e-4" (→ 0.05e-4): the exact value must round to the printed one.
 */
export function roundingTolerance(printed: string): number {
  const m = /^(\d+)(?:\.(\d+))?e(-?\d+)$/.exec(printed);
  if (!m) throw new Error(`cannot parse ${printed}`);
  const decimals = m[2]?.length ?? 0;
  return 0.5 * 10 ** (Number(m[3]) - decimals);
}

export function expectRounded(actual: number, printed: string): void {
  const want = Number(printed);
  const tol = roundingTolerance(printed) * (1 + 1e-9);
  if (!(Math.abs(actual - want) <= tol)) {
    throw new Error(`expected ${actual} to round to ${printed} (|diff| ${Math.abs(actual - want)} > ${tol})`);
  }
}

export function expectRel(actual: number, expected: number, rel: number): void {
  const err = Math.abs(actual - expected) / Math.abs(expected);
  if (!(err <= rel)) throw new Error(`expected ${actual} ≈ ${expected} within ${rel} relative (got ${err})`);
}

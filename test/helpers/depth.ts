/**
 * How deep the default suite searches. The default suite keeps a pinned-seed slice of each
 * property and fuzz search (fast enough for every `npm test`); `npm run test:deep` sets
 * ZKSIM_DEEP=1 and the same tests, same seeds, run the larger budgets they used to run by default.
 * Only the budget changes: the assertions are the same at both depths.
 */
export const DEEP = process.env.ZKSIM_DEEP === '1';

/** `slice` runs in the default suite, `deep` under `npm run test:deep` (ZKSIM_DEEP=1). */
export function budget(slice: number, deep: number): number {
  return DEEP ? deep : slice;
}

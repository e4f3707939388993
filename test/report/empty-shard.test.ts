import { describe, expect, test } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';

describe('an empty shard (0 trials) in the availability table', () => {
  test('says "no trials" and n/a, never `nines ∞` or 100%', async () => {
    const r = await zksim(['availability', 'topologies/n3-3az.yaml', '--runs', '1', '--shard', '2/2', '--horizon', '1d']);
    expect(r.status).toBe(0);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stdout).toMatch(/^trials \(stopped by\) +0 \(no trials\)$/m);
    expect(r.stdout).toMatch(/^ {2}nines +n\/a$/m);
    expect(r.stdout).toMatch(/^write availability +n\/a$/m);
    expect(r.stdout).not.toContain('∞');
  });
});

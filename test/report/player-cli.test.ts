/**
 * player.html as the CLI writes it: the same bytes whether the run also wrote --trace (the run
 * then happens in a worker and the player reads the trace back) or not, and a clear error naming
 * the build step when a browser bundle is missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src/cli/render/bundle.js';
import { UserError } from '../../src/cli/errors.js';
import { zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('player.html from zksim run --out', () => {
  it('is byte-identical with and without --trace, and names its sampling', async () => {
    const dir = tempDir('zksim-player-cli-');
    const args = ['run', 'topologies/n3-1az.yaml', '--seed', '5', '--duration', '12s', '--writes', '50', '--fault', 'isolate:leader@4s+4s'];
    const [plain, traced] = await Promise.all([zksim([...args, '--out', join(dir, 'a')]), zksim([...args, '--out', join(dir, 'b'), '--trace', join(dir, 'trace.jsonl')])]);
    expect(plain.status, plain.stderr).toBe(0);
    expect(traced.status, traced.stderr).toBe(0);
    const a = readFileSync(join(dir, 'a', 'player.html'), 'utf8');
    expect(readFileSync(join(dir, 'b', 'player.html'), 'utf8') === a).toBe(true);
    expect(a).toContain('Sampled: broadcast packets are drawn for the first 3 transactions of each simulated second');
  });

  it('--out "" is a clear error, not the current directory', async () => {
    const r = await zksim(['run', 'topologies/n3-1az.yaml', '--duration', '1s', '--out', '']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('zksim: --out "": expected a directory name, e.g. --out out');
  });

  it('a missing bundle is a user error that says to run npm run build', () => {
    expect(() => readBundle('no-such-bundle')).toThrow(UserError);
    expect(() => readBundle('no-such-bundle')).toThrow('cannot read the browser bundle dist/bundles/no-such-bundle.js (it is missing): run `npm run build`');
  });
});

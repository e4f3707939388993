/**
 * `zksim playground` (issue 16 §2): one offline page and the layout's topology file; bad flags
 * exit 2 with one line naming the flag and what was expected, never a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('zksim playground', () => {
  it('writes playground.html (inline script by hash, a blob: worker, nothing fetched) and the topology the page runs', async () => {
    const dir = tempDir('zksim-playground-cli-');
    const out = await zksim(['playground', '--out', dir, '--voters', '4', '--zones', '2', '--observers', '1', '--writes', '5', '--seed', '7']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain(`wrote ${join(dir, 'playground.html')}`);
    const html = readFileSync(join(dir, 'playground.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src (&#39;|')none(&#39;|'); script-src (&#39;|')sha256-[^"]*; worker-src blob:">/);
    expect(html).toContain('<script type="application/json" id="playground-start">"#v1;l=4.2.1;w=5;s=7;t=0"</script>');
    // nothing outside the page: no src= or href= to anywhere
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
    expect(readFileSync(join(dir, 'n4-2az-o1.yaml'), 'utf8')).toContain('  - { id: 5, zone: az1, rack: r5, role: observer }');
  });

  it.each([
    [['--voters', '9'], '--voters "9": expected a whole number from 1 to 7'],
    [['--voters', '1', '--zones', '3'], '--zones: 3 zones need at least 3 servers, found 1'],
    [['--writes', '80'], '--writes "80": expected client writes per second from 0 to 20'],
    [['--writes', 'abc'], '--writes "abc": expected client writes per second from 0 to 20'],
    [['--writes', '-1'], '--writes "-1": expected client writes per second from 0 to 20'],
    [['--seed', 'a b'], '--seed "a b": expected a number or a short word'],
    [['--out', ''], '--out "": expected a directory name, e.g. --out out'],
  ])('refuses %j', async (args, message) => {
    const dir = tempDir('zksim-playground-cli-');
    const out = await zksim(['playground', '--out', dir, ...args]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`zksim: ${message}`);
    expect(hasStackTrace(out.stderr)).toBe(false);
    expect(existsSync(join(dir, 'playground.html'))).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { zksim } from '../helpers/cli.js';

it('zksim --version prints the package version and nothing else', async () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = await zksim([flag]);
    expect(r).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  }
});

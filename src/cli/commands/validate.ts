import type { Command } from 'commander';
import { formatConfigError, parseTopology } from '../../config/index.js';
import { UserError } from '../errors.js';
import { readText } from '../io.js';

/**
 * `zksim validate FILE...`: every problem of every file, each with file, field path and,
 * where YAML gives it, line and column. Exit 2 when any file has a problem.
 */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check topology files and report every problem with its field path, line and column')
    .argument('<files...>', 'YAML files to check')
    .action((files: string[]) => validateCommand(files));
}

function validateCommand(files: readonly string[]): void {
  let bad = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readText(file, 'topology');
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      bad++;
      continue;
    }
    const parsed = parseTopology(text, file);
    if (parsed.ok) {
      const t = parsed.topology;
      const voters = t.servers.filter((s) => s.role === 'voter').length;
      process.stdout.write(`ok  ${file}: topology ${t.name}, ${voters} voters, ${t.servers.length - voters} observers\n`);
    } else {
      for (const e of parsed.errors) process.stderr.write(`${formatConfigError(e)}\n`);
      bad++;
    }
  }
  if (bad > 0) throw new UserError(`${bad} of ${files.length} file(s) invalid`);
}

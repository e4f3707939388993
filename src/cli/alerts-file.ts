/**
 * Alert rules files for the commands that read them (`zksim alerts`, `zksim run --alerts`): one
 * place, since command files do not import each other (test/cli/layout.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { parseAlertRules, type AlertRules } from '../config/alerts.js';
import { formatConfigError } from '../config/index.js';
import { UserError } from './errors.js';
import { printError, readText } from './io.js';

/** The packaged alerts/production.yaml (beside dist/, not the cwd). */
export function shippedRules(): string {
  return fileURLToPath(new URL('../../alerts/production.yaml', import.meta.url));
}

/**
 * Read and validate a rules file: positioned errors, exit 2 (UserError). Rules that parse but
 * likely do not mean what they say (config/alerts.ts, e.g. zk_synced_followers against a quorum)
 * are written to stderr as `zksim: warning: file:line:col: path: message`; the command goes on.
 * @param voters the topology's voter count when the command knows it (sharper warnings)
 * @param hierarchical the topology has hierarchical quorums: `threshold: quorum` is refused
 */
export function loadAlertRules(file: string, voters: number | null = null, hierarchical = false): AlertRules {
  const text = readText(file, 'alert rules');
  // a NUL or an invalid UTF-8 sequence (decoded as U+FFFD): not YAML at all; say so instead of echoing bytes
  if (/[\u0000\uFFFD]/.test(text)) throw new UserError(`${file}: not a text file: expected alert rules as YAML (e.g. alerts/production.yaml)`);
  const parsed = parseAlertRules(text, file, voters, hierarchical);
  if (!parsed.ok) throw new UserError(parsed.errors.map(formatConfigError).join('\n'));
  for (const w of parsed.warnings) printError(`zksim: warning: ${formatConfigError(w)}\n`);
  return parsed.rules;
}

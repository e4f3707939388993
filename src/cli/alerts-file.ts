/**
 * Alert rules files for the commands that read them (`zksim alerts`, `zksim run --alerts`): one
 * place, since command files do not import each other (test/cli/layout.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { parseAlertRules, type AlertRules } from '../config/alerts.js';
import { formatConfigError } from '../config/index.js';
import { UserError } from './errors.js';
import { readText } from './io.js';

/** The packaged alerts/production.yaml (beside dist/, not the cwd). */
export function shippedRules(): string {
  return fileURLToPath(new URL('../../alerts/production.yaml', import.meta.url));
}

/** Read and validate a rules file: positioned errors, exit 2 (UserError). */
export function loadAlertRules(file: string): AlertRules {
  const parsed = parseAlertRules(readText(file, 'alert rules'), file);
  if (!parsed.ok) throw new UserError(parsed.errors.map(formatConfigError).join('\n'));
  return parsed.rules;
}

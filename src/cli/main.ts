#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isSimulationLimitError } from '../core/limits.js';
import { EXIT, ExitError } from './errors.js';
import { handleOutputErrors, installExitCleanup, packageVersion, print, printError } from './io.js';
import { registerChart } from './commands/chart.js';
import { registerRun } from './commands/run.js';
import { registerStart } from './commands/start.js';
import { registerValidate } from './commands/validate.js';
import { registerAvailability } from './commands/availability.js';
import { registerSweep } from './commands/sweep.js';
import { registerMerge } from './commands/merge.js';
import { registerCheck } from './commands/check.js';
import { registerDemo } from './commands/demo.js';
import { registerPlan } from './commands/plan.js';
import { registerDr } from './commands/dr.js';
import { registerPlayground } from './commands/playground.js';
import { registerImport } from './commands/import.js';
import { registerAlerts } from './commands/alerts.js';
import { registerCompletion } from './commands/completion.js';

/** Every command is declared here; each lives in commands/<name>.ts. */
function program(): Command {
  const p = new Command('zksim')
    .description('Deterministic discrete-event simulator of Apache ZooKeeper 3.8 ensembles under failures')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // commander echoes the user's arguments in its errors: escaped like everything else printed
    .configureOutput({ writeOut: print, writeErr: printError })
    .addHelpText(
      'after',
      '\nEvery command: exit 2 on bad input, with one message naming the file and field; exit 2 when standard output cannot\n' +
        'be written (e.g. a full disk: > /dev/full); a closed pipe (| head) ends quietly. Ctrl-C or SIGTERM remove any\n' +
        'half-written output file (exit 130/143). Control characters from input files are printed escaped (\\u001b).\n',
    );
  registerRun(p);
  registerValidate(p);
  registerStart(p);
  registerChart(p);
  registerAvailability(p);
  registerSweep(p);
  registerMerge(p);
  registerCheck(p);
  registerDemo(p);
  registerPlan(p);
  registerDr(p);
  registerPlayground(p);
  registerImport(p);
  registerAlerts(p);
  registerCompletion(p);
  return p;
}

/**
 * The one place that exits: an ExitError (user errors included) prints its message, if any, and
 * sets its exit status; commander's own errors exit 2 (help and --version 0); bugs keep their stack.
 */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await program().parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed the message (or help/version, exit code 0)
      process.exitCode = e.exitCode === 0 ? 0 : EXIT.usage;
      return;
    }
    if (e instanceof ExitError) {
      if (e.userMessage !== null) printError(`zksim: ${e.userMessage}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    // The inputs asked for more than the engine represents (core/limits.ts): their problem, not a bug.
    if (isSimulationLimitError(e)) {
      printError(`zksim: ${e.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    throw e;
  }
}

handleOutputErrors();
installExitCleanup();

await main(process.argv.slice(2));

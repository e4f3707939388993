/**
 * Every exit status the CLI chooses (signals aside, see io.ts exitNow) leaves through one
 * `ExitError`, caught once in main.ts: its message, when it has one, goes to stderr as
 * `zksim: <message>`, and its code becomes the process's exit status. Commands never set
 * `process.exitCode` themselves, so each status is listed here and nowhere else.
 */

/** The exit statuses, as the commands' --help describes them. */
export const EXIT = {
  /** `check`, `run`: a safety or liveness property was violated under ZooKeeper's own rules */
  violation: 1,
  /** bad input (file, flag), or an output that cannot be written */
  usage: 2,
  /** Ctrl-C: a study printed its partial result (128 + SIGINT, as shells report it) */
  interrupted: 130,
} as const;

/**
 * Leave with `exitCode`. `message` (one line or a few, no stack) is printed as `zksim: …`;
 * null when the command has already said everything on stdout (a violation's report).
 */
export class ExitError extends Error {
  constructor(
    readonly exitCode: number,
    readonly userMessage: string | null = null,
  ) {
    super(userMessage ?? `exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

/**
 * An expected user mistake (bad file, bad flag): printed as one clear message, exit code 2,
 * never a stack trace. Anything else that escapes a command is a bug and keeps its stack.
 */
export class UserError extends ExitError {
  constructor(message: string) {
    super(EXIT.usage, message);
    this.name = 'UserError';
  }
}

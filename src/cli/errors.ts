/**
 * An expected user mistake (bad file, bad flag): printed as one clear message, exit code 2,
 * never a stack trace. Anything else that escapes a command is a bug and keeps its stack.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

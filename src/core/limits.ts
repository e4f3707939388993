/**
 * What the engine cannot represent, as one typed error.
 *
 * Validation (src/config/) refuses the inputs whose ordinary draws leave the simulated clock's
 * range; a draw from the far tail of an allowed distribution, or an event scheduled near the end
 * of a 285-year run, can still overflow. That ends the trial with a `SimulationLimitError`, which
 * the CLI prints as one paragraph with exit code 2 (never a stack trace, and never counted as a
 * safety violation by `check`).
 */
export class SimulationLimitError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationLimitError';
  }
}

/** True for a SimulationLimitError, also one rebuilt from a worker thread's message (same `name`). */
export function isSimulationLimitError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'SimulationLimitError';
}

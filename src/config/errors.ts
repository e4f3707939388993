/** A problem in a configuration file, located as precisely as we know. */
export interface ConfigError {
  readonly file: string;
  /** where in the document, e.g. `servers[2].zone`; empty for the document itself */
  readonly path: string;
  /** 1-based */
  readonly line?: number;
  /** 1-based */
  readonly column?: number;
  /** what was expected and what was found */
  readonly message: string;
}

/** The errors in the order of their position in the file (unplaced ones last), ties in the order found. */
export function sortedByPosition(errors: readonly ConfigError[]): ConfigError[] {
  const key = (e: ConfigError): number => (e.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (e.column ?? 0);
  return errors.map((e, i) => ({ e, i })).sort((a, b) => key(a.e) - key(b.e) || a.i - b.i).map(({ e }) => e);
}

/** `file:line:col: path: message`, dropping the parts we do not know. */
export function formatConfigError(e: ConfigError): string {
  let where = e.file;
  if (e.line !== undefined) {
    where += `:${e.line}`;
    if (e.column !== undefined) where += `:${e.column}`;
  }
  return e.path === '' ? `${where}: ${e.message}` : `${where}: ${e.path}: ${e.message}`;
}

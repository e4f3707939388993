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

/** `file:line:col: path: message`, dropping the parts we do not know. */
export function formatConfigError(e: ConfigError): string {
  let where = e.file;
  if (e.line !== undefined) {
    where += `:${e.line}`;
    if (e.column !== undefined) where += `:${e.column}`;
  }
  return e.path === '' ? `${where}: ${e.message}` : `${where}: ${e.path}: ${e.message}`;
}

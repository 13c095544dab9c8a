// The Postgres loader: list the source files, skip those the ledger has, stream the
// rest through the JSON reader and the mapping into one COPY FROM STDIN, keep every
// rejected line, and record the files in the ledger, all in the step's transaction.
import type { Knex } from 'knex';
import type { LoadWorkers } from '../config';
import { LoadError } from '../errors';
import type { StepContext, StepStats } from '../transform/step';
import { finishFile, recordClassifier, type FileTally, type RecordClassifier } from './classify';
import { columnSpecFromCatalog, type ColumnSpec } from './columns';
import { asTransaction, CopyFailed, CopyWriter } from './copy-writer';
import { autoPaths, parseJsonPaths, type FieldPath } from './jsonpaths';
import { filesToLoad, readLedger, recordLoadedFiles, recordRejects, type LoadedFile, type Reject } from './ledger';
import { JsonRecordReader, type JsonRecord } from './records';
import { loadWithWorkers, WORKER_MIN_BYTES } from './parallel-load';
import { isS3Uri, listSourceFiles, readingAhead, readSmallFile, type SourceFile } from './source-files';
import type { StageSpec } from './stage-spec';
import { clearStatement, prepareStaging } from './staging';
import type { S3Options } from './s3';

export async function streamLoad(context: StepContext, spec: StageSpec): Promise<StepStats> {
  const { db, config, options, dialect } = context;
  const uri = spec.uri(config);
  const s3: S3Options = { region: config.aws.region, endpoint: config.s3Endpoint };
  const table = dialect.quoteIdentifier(spec.table);
  const copySql = `copy ${table} (${spec.columns.map((c) => dialect.quoteIdentifier(c)).join(', ')}) from stdin`;

  if (options.dryRun) {
    const clear = clearStatement(context, spec);
    if (options.fullRefresh || spec.keeps === 'batch') await db.raw(`${clear} /* when no staged file is waiting to be published */`);
    const count = isS3Uri(uri)
      ? undefined
      : await listSourceFiles(uri).then(
          (f) => f.length,
          () => undefined,
        );
    const listed = count === undefined ? `the new or changed files under ${uri}` : `the new or changed files among the ${count} under ${uri}`;
    await db.raw(`${copySql} /* streamed: ${listed} */`);
    return {};
  }

  const paths = await fieldPaths(spec, spec.mapping(config), s3);
  if (paths.length !== spec.columns.length) {
    throw new LoadError(`${spec.mapping(config)} has ${paths.length} JSONPaths, but ${spec.table} loads ${spec.columns.length} columns (${spec.columns.join(', ')}); they must pair up one to one.`);
  }
  const columns = await catalogColumns(db, spec);

  await prepareStaging(context, spec);

  const allFiles = await listSourceFiles(uri, s3);
  const ledger = await readLedger(db, spec.source);
  const files = filesToLoad(allFiles, ledger);
  const stats = { files: files.length, filesSkipped: allFiles.length - files.length, bytes: 0, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };
  const rejects: Reject[] = [];
  const loaded: LoadedFile[] = [];
  const reject = (r: Reject) => {
    stats.rowsRejected++;
    // Past the allowance the step fails anyway; keep just enough to explain why.
    if (rejects.length <= options.maxErrors) rejects.push(r);
  };

  context.progress.start(`${spec.source}`, files.length);
  const rules = { paths, columns, acceptInvalidChars: options.acceptInvalidChars };
  const classify = recordClassifier(rules);
  const writer = await CopyWriter.open(asTransaction(db), copySql);
  // After each file, in order; false: stop loading.
  const fileDone = (index: number, file: SourceFile, result: { read: number; loaded: number }): boolean => {
    stats.rowsRead += result.read;
    stats.rowsLoaded += result.loaded;
    stats.bytes += file.size;
    loaded.push({ file, rowsLoaded: result.loaded, rowsRejected: result.read - result.loaded });
    context.progress.update({ files: index + 1, rows: stats.rowsRead, bytes: stats.bytes });
    return stats.rowsRejected <= options.maxErrors;
  };
  try {
    // Small files (song files) are read several at a time: their cost is latency, not bytes.
    const reading = readingAhead(files);
    // Parsing and formatting on worker threads, when they run; this thread reads and sends.
    const viaWorkers = useWorkers(files, config.loadWorkers) && (await loadWithWorkers(reading, rules, writer, reject, (index, result) => fileDone(index, files[index], result)));
    if (!viaWorkers) {
      for (const [index, file] of reading.entries()) {
        const result = await streamFile(file, index, classify, writer, reject);
        if (!fileDone(index, file, result)) break;
      }
    }
    await writer.finish();
  } catch (error) {
    writer.abort(error as Error);
    throw explainCopyError(error, writer, files);
  } finally {
    context.progress.done();
  }

  if (stats.rowsRejected > options.maxErrors) throw tooManyRejects(spec, rejects, stats.rowsRejected, options.maxErrors);
  // Fresh statistics, so the upserts' joins get a sensible plan (autovacuum comes later).
  await db.raw(`analyze ${table}`);
  const now = new Date();
  await recordLoadedFiles(db, spec.source, loaded, now);
  await recordRejects(db, spec.source, rejects, now);
  return stats;
}

/** Workers pay off for megabytes of rows; SPARKIFY_LOAD_WORKERS=0 turns them off, 1 forces them on. */
function useWorkers(files: SourceFile[], setting: LoadWorkers = 'auto'): boolean {
  if (setting === 'off' || files.length === 0) return false;
  return setting === 'on' || files.reduce((sum, file) => sum + file.size, 0) >= WORKER_MIN_BYTES;
}

export async function streamFile(file: SourceFile, fileIndex: number, classify: RecordClassifier, writer: CopyWriter, reject: (r: Reject) => void): Promise<{ read: number; loaded: number }> {
  const tally: FileTally = { read: 0, loaded: 0, lastLine: 0, bytes: 0 };
  // Called for each record of a chunk, synchronously: no promise per row.
  const take = (record: JsonRecord) => {
    tally.read++;
    tally.lastLine = record.line;
    const row = classify(record);
    if (typeof row !== 'string') {
      reject({ path: file.path, line: record.line, reason: row.reason, raw: row.raw });
      return;
    }
    writer.append(row, fileIndex, record.line);
    tally.loaded++;
  };
  let failure: string | undefined;
  try {
    const stream = await file.open();
    const reader = new JsonRecordReader();
    for await (const chunk of stream) {
      tally.bytes += (chunk as Buffer).length;
      reader.push(chunk as Buffer, take);
      if (writer.full) await writer.flush();
    }
    reader.end(take);
  } catch (error) {
    if (error instanceof CopyFailed) throw error;
    failure = (error as Error).message;
  }
  return finishFile(file, tally, failure, reject);
}

async function fieldPaths(spec: StageSpec, mapping: string, s3: S3Options): Promise<FieldPath[]> {
  if (mapping === 'auto') return autoPaths(spec.columns);
  return parseJsonPaths(await readSmallFile(mapping, s3), mapping);
}

async function catalogColumns(db: Knex, spec: StageSpec): Promise<ColumnSpec[]> {
  const rows: Array<{ column_name: string; data_type: string; character_maximum_length: number | null }> = await db('information_schema.columns')
    .select('column_name', 'data_type', 'character_maximum_length')
    .where({ table_name: spec.table })
    .whereRaw('table_schema = current_schema()');
  const byName = new Map(rows.map((r) => [r.column_name, r]));
  return spec.columns.map((name) => {
    const row = byName.get(name);
    if (!row) throw new LoadError(`${spec.table} has no column ${name}. Run \`npm run migrate\` first.`);
    return columnSpecFromCatalog(name, row.data_type, row.character_maximum_length);
  });
}

function tooManyRejects(spec: StageSpec, rejects: Reject[], count: number, maxErrors: number): LoadError {
  const first = rejects[0];
  const where = first.line > 0 ? `${first.path}, line ${first.line}` : first.path;
  const tally = `${count} line${count === 1 ? ' was' : 's were'} rejected`;
  const allowance = maxErrors === 0 ? "by default none may be, as with Redshift's MAXERROR 0" : `--max-errors allows ${maxErrors}`;
  return new LoadError(
    `Loading ${spec.source} into ${spec.table} failed at ${where}: ${first.reason}. ${tally}; ${allowance}. ` +
      'Fix the line, or pass --max-errors N to load the good rows and keep the rejected ones in the load_errors table.',
  );
}

function explainCopyError(error: unknown, writer: CopyWriter, files: SourceFile[]): Error {
  if (!(error instanceof CopyFailed)) return error as Error;
  const message = error.original.message;
  const where = /line (\d+)/.exec(String(error.original.where ?? ''));
  const origin = where ? writer.origin(Number(where[1])) : undefined;
  if (!origin) return error.original;
  const file = files[origin.fileIndex];
  return new LoadError(`Loading failed at ${file.path}, line ${origin.line}: ${message}. Fix the value, or pass --max-errors N to skip such lines.`);
}

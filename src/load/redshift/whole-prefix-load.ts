// The Redshift load without MANIFEST_PREFIX: the table cleared and the whole prefix COPYed
// again every run, with what that costs said.
import { blockComment } from '../../dialects/dialect';
import { LoadError } from '../../errors';
import type { StepStats } from '../../step/contract';
import { runVerbatim } from '../../verbatim';
import { recordRejects } from '../ledger';
import { listObjects, parseS3Uri } from '../s3';
import { s3SourceFiles } from '../source-files';
import { runCopy, sessionId } from './copy-run';
import { addOutcome, listing, NO_LISTING, type Plan } from './load-plan';
import { byCompression } from './manifest';
import { fillRawLines } from './raw-lines';

export async function wholePrefixLoad(plan: Plan): Promise<StepStats> {
  const { context, spec, uri } = plan;
  const { db, options } = context;
  const table = context.dialect.quoteIdentifier(spec.table);
  await db.raw(`delete from ${table}`);
  if (options.dryRun) {
    await runVerbatim(
      db,
      `${plan.copy(uri, false, false)} ${blockComment(`if the files under ${uri} are uncompressed; ${NO_LISTING}`)}${plan.regionComment}`,
    );
    await runVerbatim(
      db,
      `${plan.copy(uri, false, true)} ${blockComment('if they are all .json.gz; a prefix mixing both needs MANIFEST_PREFIX')}`,
    );
    await db.raw(`analyze ${table}`);
    return {};
  }
  // One listing: the data files to load and, apart from them, what the prefix COPY would read too.
  const { bucket, prefix } = parseS3Uri(uri);
  const objects = await listing(plan, () => listObjects(bucket, prefix, plan.s3));
  const files = s3SourceFiles(bucket, objects, plan.s3);
  const megabytes = (files.reduce((sum, f) => sum + f.size, 0) / 1e6).toFixed(1);
  context.log(
    `MANIFEST_PREFIX is not set: ${spec.table} is cleared and all ${files.length} files (${megabytes} MB) under ${uri} are loaded again, ` +
      'so each run costs as much as the whole history. Set MANIFEST_PREFIX=s3://<bucket>/<prefix>/ to load only new or changed files.',
  );
  // A prefix COPY reads every object under the prefix, not only the data files listed.
  const data = new Set(files.map((f) => f.path));
  const others = objects.map((o) => `s3://${bucket}/${o.key}`).filter((p) => !data.has(p));
  if (others.length > 0) {
    context.log(
      `${others.length} object(s) under ${uri} are not .json/.json.gz data (e.g. ${others[0]}), but a whole-prefix COPY reads them too. Remove them, or set MANIFEST_PREFIX.`,
    );
  }
  const stats = { files: files.length, filesSkipped: 0, bytes: 0, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };
  if (files.length === 0) return stats;
  const groups = byCompression(files);
  if (groups.length > 1) {
    throw new LoadError(
      `${uri} holds both uncompressed and .gz files, and one COPY decompresses all of its files or none (COPY's GZIP). ` +
        'Set MANIFEST_PREFIX so each kind loads through its own manifest, or keep one kind under the prefix.',
    );
  }
  const outcome = await runCopy(
    db,
    plan.outside,
    plan.copy(uri, false, groups[0].kind === 'gzip'),
    spec.table,
    await sessionId(db),
    options.maxErrors,
  );
  addOutcome(stats, outcome, files);
  await db.raw(`analyze ${table}`);
  await recordRejects(db, spec.source, await fillRawLines(outcome.rejects, files), new Date());
  return stats;
}

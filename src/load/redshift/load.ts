// The Redshift loader. With MANIFEST_PREFIX it loads like the local target: list the
// prefix, take the new or changed files from the ledger, write one manifest per
// compression kind, COPY each, and record the files in the ledger in the same
// transaction. Without it, it COPYs the whole prefix every run (and says what that costs).
import type { Knex } from 'knex';
import { blockComment } from '../../dialects/dialect';
import { ConfigError } from '../../errors';
import { runVerbatim } from '../../verbatim';
import type { StepContext, StepStats } from '../../step/contract';
import { checkObjectsAppended } from '../changed-files';
import {
  filesToLoad,
  readLedger,
  recordLoadedFiles,
  recordRejects,
  type LedgerVersion,
  type LoadedFile,
  type Reject,
} from '../ledger';
import { s3Options } from '../s3';
import { isS3Uri, listSourceFiles, type SourceFile } from '../source-files';
import type { StageSpec } from '../stage-spec';
import { prepareStaging } from '../staging';
import { compareListing, recordListing } from '../unchanged-listing';
import { runCopy, sessionId, type CopyOutcome } from './copy-run';
import { renderCopy, type CopyParts } from './copy-sql';
import { addOutcome, listing, NO_LISTING, type Plan } from './load-plan';
import { byCompression, manifestUri, writeManifest, type CompressionKind } from './manifest';
import { fillRawLines } from './raw-lines';
import { checkResourceRegions } from './resource-regions';
import { sourceRegion } from './source-region';
import { wholePrefixLoad } from './whole-prefix-load';

/** What a dry run prints for the role when REDSHIFT_IAM_ROLE_ARN is not set. */
const PLACEHOLDER_ROLE = 'arn:aws:iam::<account-id>:role/<REDSHIFT_IAM_ROLE_ARN>';

export async function redshiftLoad(context: StepContext, spec: StageSpec, outside: Knex): Promise<StepStats> {
  const { config, options, dialect } = context;
  const uri = spec.uri(config);
  const mapping = spec.mapping(config);
  for (const [name, value] of [
    [spec.source === 'events' ? 'LOG_DATA' : 'SONG_DATA', uri],
    ['LOG_JSONPATH', mapping],
  ] as const) {
    if (value !== 'auto' && !isS3Uri(value)) {
      throw new ConfigError(
        `${name} is "${value}", but Redshift's COPY reads only S3: set it to an s3://bucket/prefix URI (local files load with --target local or postgres).`,
      );
    }
  }
  const lookup = { lookUp: !options.dryRun, s3: s3Options(config) };
  const region = await sourceRegion(uri, config, lookup);
  if (region.note) context.log(region.note);
  // Before anything is written: a manifest or JSONPaths bucket in another region fails every COPY.
  const resources = await checkResourceRegions(uri, mapping, region.region, config, lookup);
  if (resources.note) context.log(resources.note);
  const notes = [region.note, resources.note].filter((note): note is string => note !== undefined);
  let warned = false;
  const warnOnce = (message: string) => {
    if (!warned) context.log(message);
    warned = true;
  };
  const plan: Plan = {
    context,
    spec,
    outside,
    uri,
    regionComment: notes.map((note) => ` ${blockComment(note)}`).join(''),
    // Listing and manifests go to the bucket's own region.
    s3: s3Options(config, region.region.startsWith('<') ? config.aws.region : region.region),
    copy: (from, manifest, gzip, maxErrors = options.maxErrors) => {
      const parts: CopyParts = {
        table: spec.table,
        columns: spec.columns,
        from,
        manifest,
        gzip,
        roleArn: config.redshiftLoad.iamRoleArn ?? PLACEHOLDER_ROLE,
        region: region.region,
        mapping,
        maxErrors,
        acceptInvalidChars: options.acceptInvalidChars,
      };
      return renderCopy(parts, dialect, warnOnce);
    },
  };
  return config.redshiftLoad.manifestPrefix
    ? incrementalLoad(plan, config.redshiftLoad.manifestPrefix)
    : wholePrefixLoad(plan);
}

async function incrementalLoad(plan: Plan, manifestPrefix: string): Promise<StepStats> {
  const { context, spec, uri } = plan;
  const { db, options } = context;
  const table = context.dialect.quoteIdentifier(spec.table);
  if (options.dryRun) {
    if (options.fullRefresh) await db('load_ledger').where({ source: spec.source }).delete();
    if (options.fullRefresh) await db.raw(`delete from ${table}`);
    else if (spec.keeps === 'batch')
      await db.raw(`delete from ${table} ${blockComment('when no staged file is waiting to be published')}`);
    for (const kind of ['plain', 'gzip'] as CompressionKind[]) {
      const manifest = manifestUri(manifestPrefix, spec.source, kind, new Date(0)).replace(
        /\/[^/]+$/,
        `/<run>-${kind}.manifest`,
      );
      const which = kind === 'gzip' ? '.json.gz files' : 'uncompressed files';
      await runVerbatim(
        db,
        `${plan.copy(manifest, true, kind === 'gzip')} ${blockComment(`the new or changed ${which} under ${uri}, if any; ${NO_LISTING}`)}${plan.regionComment}`,
      );
    }
    await db.raw(`analyze ${table}`);
    return {};
  }

  await prepareStaging(context, spec);
  const all = await listFiles(plan);
  const listingCheck = await compareListing(db, context.dialect, spec.source, all);
  const ledger = listingCheck.unchanged ? new Map<string, LedgerVersion>() : await readLedger(db, spec.source);
  const files = listingCheck.unchanged ? [] : filesToLoad(all, ledger);
  // Before any manifest or COPY: an object edited in place stops the load (an append is loaded whole again).
  await checkObjectsAppended(spec.source, files, ledger);
  const stats = {
    files: files.length,
    filesSkipped: all.length - files.length,
    bytes: 0,
    rowsRead: 0,
    rowsLoaded: 0,
    rowsRejected: 0,
  };
  if (files.length === 0) {
    // A COPY that finds no file fails: skip it.
    context.log(`${spec.source}: no new or changed files under ${uri} (${all.length} already loaded).`);
    if (!listingCheck.unchanged) await recordListing(db, context.dialect, spec.source, listingCheck, []);
    return stats;
  }
  const at = new Date();
  const session = await sessionId(db);
  const loaded: LoadedFile[] = [];
  let rejects: Reject[] = [];
  for (const group of byCompression(files)) {
    const manifest = manifestUri(manifestPrefix, spec.source, group.kind, at);
    await writeManifest(manifest, group.files, plan.s3);
    // --max-errors is for the whole load, as locally: the second COPY gets what the first left.
    const allowance = options.maxErrors - rejects.length;
    const outcome = await runCopy(
      db,
      plan.outside,
      plan.copy(manifest, true, group.kind === 'gzip', allowance),
      spec.table,
      session,
      allowance,
    );
    addOutcome(stats, outcome, group.files);
    loaded.push(...perFile(group.files, outcome));
    rejects = rejects.concat(outcome.rejects);
    if (outcome.linesUnknown)
      context.log(
        `${spec.source}: rows per file unknown (${outcome.linesUnknown}); the ledger keeps the files without counts.`,
      );
  }
  // STATUPDATE OFF leaves statistics to us (AWS "ANALYZE"): the upserts' joins need them.
  await db.raw(`analyze ${table}`);
  await recordLoadedFiles(db, spec.source, loaded, at);
  await recordRejects(db, spec.source, await fillRawLines(rejects, files), at);
  await recordListing(db, context.dialect, spec.source, listingCheck, loaded);
  return stats;
}

function listFiles(plan: Plan): Promise<SourceFile[]> {
  return listing(plan, () => listSourceFiles(plan.uri, plan.s3));
}

/** Each file's rows: lines scanned less its rejects; unknown when no view answered. */
function perFile(files: SourceFile[], outcome: CopyOutcome): LoadedFile[] {
  return files.map((file) => {
    const rejected = outcome.rejects.filter((r) => r.path === file.path).length;
    const lines = outcome.linesPerFile?.get(file.path);
    if (lines === undefined)
      return {
        file,
        rowsLoaded: outcome.linesPerFile ? 0 : null,
        rowsRejected: outcome.linesPerFile ? rejected : null,
      };
    return { file, rowsLoaded: Math.max(lines - rejected, 0), rowsRejected: rejected };
  });
}

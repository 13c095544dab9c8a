// A staging step: the transform file declares what to load; the target decides how
// (COPY from S3 on Redshift, streamed COPY FROM STDIN on Postgres).
import { redshiftLoad } from '../load/redshift';
import type { StageSpec } from '../load/stage-spec';
import { LISTINGS_TABLE } from '../load/unchanged-listing';
import { streamLoad } from '../load/postgres/stream-load';
import { defineStep, type TransformStep } from '../step/contract';

export function stageStep(description: string, spec: StageSpec): TransformStep {
  return defineStep({
    description,
    // The load writes its staging table, the ledger of files, the kept rejects and the listing's digest.
    tables: [spec.table, 'load_ledger', 'load_errors', LISTINGS_TABLE],
    stages: { table: spec.table, source: spec.source, keeps: spec.keeps },
    run: (context) =>
      context.dialect.capabilities.copyFromS3
        ? redshiftLoad(context, spec, context.outside)
        : streamLoad(context, spec),
  });
}

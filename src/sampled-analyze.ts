// ANALYZE on a sample of 3,000 rows (statistics target 10; PostgreSQL's default is 100 and
// samples 30,000). Two callers, PostgreSQL only:
// - every load, for its staging table: the upserts read staging once, and their joins need
//   its row count and rough distributions, not fine histograms of every text column;
// - a table that just took a batch at least as large as itself (bulk-insert.ts): its
//   statistics are missing or off by half, and the next run plans with them. Autovacuum
//   would take them later, but the embedded server stops when the last command ends, so
//   no day passes for it between two runs.
// The default sample cost more than what it serves: docs/performance.md, "Figures behind
// comments". SET LOCAL ends with the step's transaction; the RESET gives the rest of a
// --full-refresh (one transaction) the server's default back.
import type { Knex } from 'knex';
import { runVerbatim } from './verbatim';

/** `table` is quoted already. */
export async function analyzeOnSample(db: Knex, table: string): Promise<void> {
  await runVerbatim(db, 'set local default_statistics_target = 10');
  await runVerbatim(db, `analyze ${table}`);
  await runVerbatim(db, 'reset default_statistics_target');
}

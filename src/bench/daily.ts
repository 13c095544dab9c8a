// The bench's daily case: a first run on every day of the sample but the last, then the
// run that finds the last day, each timed whole (loads, upserts and the quality checks).
// What a day's run should cost is the day's share of the events, not the history's: the
// ratio (second run / first run) / (the last day's share of the events) is 1 when it does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { WarehouseConfig } from '../config';
import { postgres } from '../dialects';
import { DEFAULT_RUN_OPTIONS } from '../step/contract';
import type { StepResult } from '../step/outcome';
import { loadSteps, runSteps } from '../transform/runner';

export interface DailyRuns {
  /** Whole-run seconds: days 1 to n-1, then day n. */
  firstSeconds: number;
  secondSeconds: number;
  /** The quality checks' own seconds in each run. */
  firstChecksSeconds: number;
  secondChecksSeconds: number;
  /** Events each run loaded. */
  firstEvents: number;
  secondEvents: number;
  /** Each step's seconds in each run, by step id. */
  firstSteps: Record<string, number>;
  secondSteps: Record<string, number>;
}

/** Runs every step twice on a folder of links to the sample's days: all but the last, then all. */
export async function dailyRuns(knex: Knex, config: WarehouseConfig): Promise<DailyRuns> {
  const logRoot = config.sources.logData;
  const days = logFilesUnder(logRoot);
  if (days.length < 2)
    throw new Error(`The daily case needs a sample of two days or more; ${logRoot} has ${days.length}.`);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-bench-daily-'));
  const deliver = (files: string[]) => {
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
      fs.symlinkSync(path.join(logRoot, file), path.join(folder, file));
    }
  };
  const run = async () => {
    const results = (
      await runSteps(
        { knex, dialect: postgres },
        loadSteps(),
        { ...config, sources: { ...config.sources, logData: folder } },
        DEFAULT_RUN_OPTIONS,
        { log: () => {} },
      )
    ).results;
    const failed = results.find((r) => r.status !== 'success');
    if (failed) throw new Error(`${failed.id} did not succeed: ${failed.error?.message ?? failed.status}`);
    return results;
  };
  try {
    deliver(days.slice(0, -1));
    const first = await run();
    await nextDay(knex);
    deliver(days.slice(-1));
    const second = await run();
    return {
      firstSeconds: total(first),
      secondSeconds: total(second),
      firstChecksSeconds: total(first.filter(isCheck)),
      secondChecksSeconds: total(second.filter(isCheck)),
      firstEvents: eventsOf(first),
      secondEvents: eventsOf(second),
      firstSteps: stepSeconds(first),
      secondSteps: stepSeconds(second),
    };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * What a day between the runs does to the server: autovacuum has done with the first run's
 * tables, and what it wrote has reached the disk. Waiting for the workers running at the time
 * was not enough: the launcher often had not started one yet, and vacuumed the first run's
 * 830k-row tables during the second run, which then shared the two cores with it. So the
 * tables are vacuumed here, and analyzed where autovacuum would analyze them (more rows
 * changed than autovacuum_analyze_threshold + autovacuum_analyze_scale_factor × rows; the
 * tables a run bulk-filled it analyzed itself, src/sampled-analyze.ts). Before the CHECKPOINT,
 * the second run's TRUNCATE sometimes waited deadlock_timeout (1 s) for an autovacuum worker,
 * and the run paid for the checkpoint of the first run's writes: bench artefacts, not a day's
 * cost. (The embedded server stops between commands, so there its autovacuum works during the
 * next command instead: docs/performance.md, "Day 30 again".)
 */
async function nextDay(knex: Knex): Promise<void> {
  const busy = async () =>
    Number(
      (
        await knex.raw(
          "select count(*) as workers from pg_stat_activity where backend_type = 'autovacuum worker' and datname = current_database()",
        )
      ).rows[0].workers,
    );
  for (let waited = 0; waited < 120 && (await busy()) > 0; waited++)
    await new Promise((resolve) => setTimeout(resolve, 1000));
  const due = await knex.raw(`
select format('%I.%I', stats.schemaname, stats.relname) as name
from pg_stat_user_tables as stats
inner join pg_class
    on pg_class.oid = stats.relid
where stats.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
    + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(pg_class.reltuples, 0)`);
  await knex.raw('vacuum');
  for (const { name } of due.rows as Array<{ name: string }>) await knex.raw(`analyze ${name}`);
  await knex.raw('checkpoint');
}

/** (second run / first run) / (the second run's share of the events): 1 when a run costs its share. */
export function dailyOverShare(runs: DailyRuns): number | null {
  const share = runs.secondEvents / (runs.firstEvents + runs.secondEvents);
  return runs.firstSeconds > 0 && share > 0 ? runs.secondSeconds / runs.firstSeconds / share : null;
}

const total = (results: StepResult[]) => results.reduce((sum, r) => sum + r.seconds, 0);
const isCheck = (r: StepResult) => /_check_/.test(r.id);
const stepSeconds = (results: StepResult[]) =>
  Object.fromEntries(results.map((r) => [r.id, Number(r.seconds.toFixed(3))]));
const eventsOf = (results: StepResult[]) => results.find((r) => r.id.endsWith('stage_events'))?.stats.rowsLoaded ?? 0;

/** The event files under `root`, relative to it, in day order (their names start with the date). */
function logFilesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else if (/\.json(\.gz)?$/.test(entry.name)) found.push(path.relative(root, path.join(dir, entry.name)));
    }
  };
  walk(root);
  return found.sort();
}

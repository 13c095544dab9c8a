// What the benchmark measures, one kind per child process (so each peak RSS belongs to
// one measurement): our load, the raw COPY limit, the naive batchInsert baseline, and the
// whole transform with the time of each step, the star limit (src/bench/star-limit.ts), and
// the daily case: a run on all days but the last, then the run that finds it (src/bench/daily.ts).
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import knexFactory, { type Knex } from 'knex';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { stagingEvents } from '../../migrations/20261125120000_create_staging_tables';
import { parseLoadWorkers, type SourceSettings, type WarehouseConfig } from '../config';
import { postgres } from '../dialects';
import { MISSING, parseJsonPaths, pick } from '../load/json/jsonpaths';
import { listSourceFiles } from '../load/source-files';
import { loadSteps, runSteps, selectSteps } from '../transform/runner';
import { DEFAULT_RUN_OPTIONS } from '../step/contract';
import type { StepResult } from '../step/outcome';
import type { ConnectionSettings } from '../targets/pg-client';
import { nodeCpuSeconds } from './cpu';
import { ServerCpu } from './server-cpu';
import { buildStarLimit, type StarLimitPart } from './star-limit';
import { dailyRuns, type DailyRuns } from './daily';

export const MEASUREMENT_KINDS = ['load', 'limit', 'baseline', 'transform', 'star', 'daily'] as const;
export type MeasurementKind = (typeof MEASUREMENT_KINDS)[number];

export interface MeasureRequest {
  kind: MeasurementKind;
  connection: ConnectionSettings;
  sources: SourceSettings;
  /** The pre-rendered CSV of the event rows (kind 'limit'). */
  limitCsv?: string;
  /** load: --max-errors (default 0); the memory benchmark loads files meant to be rejected. */
  maxErrors?: number;
}

interface StepTime {
  id: string;
  seconds: number;
  rows?: number;
}

export interface Measurement {
  kind: MeasurementKind;
  seconds: number;
  /** Rows put into staging_events (load, limit, baseline); events staged (transform). */
  rows: number;
  /** Input bytes read: the JSON files, or the CSV file for the limit. */
  bytes: number;
  /** load: lines rejected. */
  rejected?: number;
  /** transform: each step; `seconds` is then the star-schema steps (after staging). */
  steps?: StepTime[];
  /** star: the hand-written build of each table, insert and index times apart. */
  starParts?: StarLimitPart[];
  /** daily: both runs; `seconds` is then the second run's. */
  daily?: DailyRuns;
  /** CPU seconds of this process, every thread (src/bench/cpu.ts). */
  nodeCpuSeconds?: number;
  /** CPU seconds of the server's backends that ended during the work; null when unreadable. */
  serverCpuSeconds?: number | null;
  /** RSS once connected, before the work. */
  startRssBytes: number;
  /** The process's peak RSS (getrusage ru_maxrss), worker threads included. */
  peakRssBytes: number;
}

const EVENT_COLUMNS = stagingEvents.columns.map((c) => c.name);

export async function measure(request: MeasureRequest): Promise<Measurement> {
  const startRssBytes = process.memoryUsage().rss;
  const server = await ServerCpu.start(request.connection);
  const nodeBefore = nodeCpuSeconds();
  try {
    const result = await MEASURES[request.kind](request);
    const nodeSeconds = nodeCpuSeconds() - nodeBefore;
    const serverSeconds = await server.stop();
    return {
      kind: request.kind,
      ...result,
      nodeCpuSeconds: nodeSeconds,
      serverCpuSeconds: serverSeconds,
      startRssBytes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await server.close();
  }
}

type Work = Omit<Measurement, 'kind' | 'startRssBytes' | 'peakRssBytes'>;

const MEASURES: Record<MeasurementKind, (request: MeasureRequest) => Promise<Work>> = {
  /** The real code path: the 010 step as `npm run transform` runs it. */
  load: (request) =>
    withKnex(request, async (knex) => {
      const options = { ...DEFAULT_RUN_OPTIONS, maxErrors: request.maxErrors ?? 0 };
      const [result] = (
        await runSteps(
          { knex, dialect: postgres },
          selectSteps(loadSteps(), { only: '010_stage_events' }),
          config(request),
          options,
          { log: () => {} },
        )
      ).results;
      failIfError(result);
      return {
        seconds: result.seconds,
        rows: result.stats.rowsLoaded ?? 0,
        bytes: result.stats.bytes ?? 0,
        rejected: result.stats.rowsRejected ?? 0,
      };
    }),

  /** COPY of the same rows as a finished CSV file: no parsing or formatting in Node. */
  async limit(request) {
    if (!request.limitCsv) throw new Error('the limit needs the pre-rendered CSV file');
    const client = new Client(request.connection);
    await client.connect();
    try {
      const started = process.hrtime.bigint();
      const copy = client.query(
        copyFrom(`copy staging_events (${EVENT_COLUMNS.join(', ')}) from stdin with (format csv)`),
      );
      await pipeline(fs.createReadStream(request.limitCsv, { highWaterMark: 1 << 20 }), copy);
      return { seconds: since(started), rows: copy.rowCount, bytes: fs.statSync(request.limitCsv).size };
    } finally {
      await client.end();
    }
  },

  /** What a user writes by hand: read and parse every file, then knex batchInsert 1,000 rows at a time. */
  baseline: (request) =>
    withKnex(request, async (knex) => {
      const started = process.hrtime.bigint();
      const paths = parseJsonPaths(fs.readFileSync(request.sources.logJsonPath, 'utf8'), request.sources.logJsonPath);
      const rows: Array<Record<string, unknown>> = [];
      let bytes = 0;
      for (const file of await listSourceFiles(request.sources.logData)) {
        const text = await fs.promises.readFile(file.path, 'utf8');
        bytes += file.size;
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          const record = JSON.parse(line) as unknown;
          const row: Record<string, unknown> = {};
          EVENT_COLUMNS.forEach((column, i) => {
            const value = pick(record, paths[i]);
            row[column] = value === MISSING ? null : value;
          });
          rows.push(row);
        }
      }
      await knex.batchInsert('staging_events', rows, 1000);
      return { seconds: since(started), rows: rows.length, bytes };
    }),

  /** Every step, staging to star schema; `seconds` counts the steps after staging. */
  transform: (request) =>
    withKnex(request, async (knex) => {
      const results = (
        await runSteps({ knex, dialect: postgres }, loadSteps(), config(request), DEFAULT_RUN_OPTIONS, {
          log: () => {},
        })
      ).results;
      results.forEach(failIfError);
      const steps = results.map((r) => ({ id: r.id, seconds: r.seconds, rows: r.stats.rowsLoaded }));
      const star = steps.filter((s) => !/_stage_/.test(s.id));
      const events = results.find((r) => r.id.endsWith('stage_events'));
      return {
        seconds: star.reduce((sum, s) => sum + s.seconds, 0),
        rows: events?.stats.rowsLoaded ?? 0,
        bytes: events?.stats.bytes ?? 0,
        steps,
      };
    }),

  /** Staging as the transform stages it (not timed), then the hand-written build of time and songplays. */
  star: (request) =>
    withKnex(request, async (knex) => {
      const staging = loadSteps().filter((s) => /_stage_/.test(s.id));
      const results = (
        await runSteps({ knex, dialect: postgres }, staging, config(request), DEFAULT_RUN_OPTIONS, { log: () => {} })
      ).results;
      results.forEach(failIfError);
      const events = results.find((r) => r.id.endsWith('stage_events'));
      const starParts = await buildStarLimit(knex);
      const seconds = starParts.reduce((sum, p) => sum + p.insertSeconds + p.indexSeconds, 0);
      return { seconds, rows: events?.stats.rowsLoaded ?? 0, bytes: events?.stats.bytes ?? 0, starParts };
    }),

  /** Every step on all days but the last, then again with the last day: both runs timed whole. */
  daily: (request) =>
    withKnex(request, async (knex) => {
      const daily = await dailyRuns(knex, config(request));
      return { seconds: daily.secondSeconds, rows: daily.secondEvents, bytes: 0, daily };
    }),
};

function config(request: MeasureRequest): WarehouseConfig {
  // The parent passes its environment on: SPARKIFY_LOAD_WORKERS=0/1 pairs the two load paths.
  return {
    target: 'postgres',
    aws: {},
    redshiftLoad: {},
    sources: request.sources,
    loadWorkers: parseLoadWorkers(process.env.SPARKIFY_LOAD_WORKERS),
    secrets: [],
  };
}

async function withKnex<T>(request: MeasureRequest, work: (knex: Knex) => Promise<T>): Promise<T> {
  const knex = knexFactory({ client: 'pg', connection: request.connection, pool: { min: 0, max: 4 } });
  try {
    return await work(knex);
  } finally {
    await knex.destroy();
  }
}

function failIfError(result: StepResult): void {
  if (result.status !== 'success')
    throw new Error(`${result.id} did not succeed: ${result.error?.message ?? result.status}`);
}

function since(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

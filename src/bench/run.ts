// `npm run bench`: generates samples with the project's generator, starts one embedded
// PostgreSQL for the whole run, and for each size and run measures each kind in a fresh
// child process against a fresh database. Samples are kept in the work folder and reused
// by the next run with the same sizes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { generateSample } from '../generate';
import { migrateLatest } from '../migrate/migrator';
import { startEmbedded } from '../targets/embedded';
import { migrationSettings } from '../targets/knex-config';
import { RESULT_PREFIX } from './child';
import { renderLimitCsv } from './limit-csv';
import { MEASUREMENT_KINDS, type Measurement, type MeasurementKind, type MeasureRequest } from './measurements';
import { withClient, type ConnectionSettings } from '../targets/pg-client';
import { summarise, type BenchSummary, type RawRun } from './summary';
import type { SourceSettings } from '../config';
import { typeScriptExecArgv } from '../ts-loader';
import { measureStartup, withStartup, type StartupMeasurement } from './startup';

export interface BenchOptions {
  sizes: number[];
  songs: number;
  runs: number;
  /** Runs of the batchInsert baseline (≤ runs): at 1M events one takes minutes, and it is far slower than the noise. */
  baselineRuns: number;
  kinds: MeasurementKind[];
  workDir: string;
  log(message: string): void;
}

export interface BenchResults extends BenchSummary {
  ratios: BenchSummary['ratios'] & { startupSeconds: number | null };
  startup: StartupMeasurement | null;
  settings: { sizes: number[]; songs: number; runs: number; baselineRuns: number; kinds: MeasurementKind[] };
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string; platform: string };
  startedAt: string;
  seconds: number;
  raw: RawRun[];
}

export const DEFAULT_WORK_DIR = path.join(os.tmpdir(), 'sparkify-bench');

interface PreparedSample {
  events: number;
  sources: SourceSettings;
  limitCsv: string;
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const started = Date.now();
  fs.mkdirSync(options.workDir, { recursive: true });
  const samples: PreparedSample[] = [];
  for (const events of options.sizes) samples.push(await prepareSample(events, options));

  const pgDir = path.join(options.workDir, 'pg');
  const server = await startEmbedded({ projectRoot: pgDir, explicitDir: pgDir, log: options.log });
  const admin: ConnectionSettings = { ...server.connection, database: 'postgres' };
  const raw: RawRun[] = [];
  let postgresVersion: string;
  let startup: StartupMeasurement | undefined;
  try {
    postgresVersion = await withClient(
      admin,
      async (c) => (await c.query('show server_version')).rows[0].server_version as string,
    );
    for (const sample of samples) {
      for (let run = 1; run <= options.runs; run++) {
        // Interleaved, so a noisy minute hits every kind of the run alike.
        for (const kind of options.kinds) {
          if (kind === 'baseline' && run > options.baselineRuns) continue;
          // The daily case is measured on the largest sample only: a day's share of the history.
          if (kind === 'daily' && sample !== samples[samples.length - 1]) continue;
          const measurement = await measureInFreshDatabase(admin, {
            kind,
            connection: admin,
            sources: sample.sources,
            limitCsv: sample.limitCsv,
          });
          raw.push({ events: sample.events, run, measurement });
          options.log(describe(sample.events, run, options.runs, measurement));
        }
      }
    }
    startup = await measureStartup(admin, options.log);
  } finally {
    await server.release();
  }
  return {
    ...withStartup(summarise(raw), startup),
    startup: startup ?? null,
    settings: {
      sizes: options.sizes,
      songs: options.songs,
      runs: options.runs,
      baselineRuns: options.baselineRuns,
      kinds: options.kinds,
    },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
      postgres: `embedded ${postgresVersion}`,
      platform: `${process.platform}-${process.arch}`,
    },
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    raw,
  };
}

async function prepareSample(events: number, options: BenchOptions): Promise<PreparedSample> {
  const outDir = path.join(options.workDir, `sample-${events}-${options.songs}`);
  const marker = path.join(outDir, 'bench-sample.json');
  const limitCsv = path.join(outDir, 'limit.csv');
  const sources = {
    logData: path.join(outDir, 'log_data'),
    songData: path.join(outDir, 'song_data'),
    logJsonPath: path.join(outDir, 'log_json_path.json'),
  };
  const wanted = JSON.stringify({ events, songs: options.songs });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted && fs.existsSync(limitCsv)) {
    options.log(`Reusing the sample in ${outDir}`);
    return { events, sources, limitCsv };
  }
  fs.rmSync(marker, { force: true });
  options.log(
    `Generating ${events.toLocaleString('en-US')} events and ${options.songs.toLocaleString('en-US')} songs in ${outDir}`,
  );
  await generateSample({ events, songs: options.songs, outDir });
  options.log('Rendering the same event rows as CSV for the raw COPY limit (not timed)');
  await renderLimitCsv(sources.logData, sources.logJsonPath, limitCsv);
  fs.writeFileSync(marker, wanted);
  return { events, sources, limitCsv };
}

/** One measurement in a child process, against a database of its own, migrated and dropped after. */
export async function measureInFreshDatabase(admin: ConnectionSettings, request: MeasureRequest): Promise<Measurement> {
  const name = `sparkify_bench_${process.pid}_${Date.now().toString(36)}`;
  await withClient(admin, (c) => c.query(`create database "${name}"`));
  const connection = { ...admin, database: name };
  try {
    const knex = knexFactory({ client: 'pg', connection, pool: { min: 0, max: 1 }, migrations: migrationSettings });
    try {
      await migrateLatest(knex);
    } finally {
      await knex.destroy();
    }
    // Write out what earlier measurements left dirty, so this one does not pay for it.
    await withClient(admin, (c) => c.query('checkpoint'));
    return await runChild({ ...request, connection });
  } finally {
    await withClient(admin, (c) => c.query(`drop database if exists "${name}" with (force)`));
  }
}

function runChild(request: MeasureRequest): Promise<Measurement> {
  const child = spawn(process.execPath, [...typeScriptExecArgv(), path.join(__dirname, 'child.ts')], {
    env: { ...process.env, BENCH_REQUEST: JSON.stringify(request) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as Measurement);
      else
        reject(
          new Error(
            `The ${request.kind} measurement failed (exit ${code}): ${stderr.trim().split('\n').slice(-8).join('\n')}`,
          ),
        );
    });
  });
}

function describe(events: number, run: number, runs: number, m: Measurement): string {
  const rate = m.seconds > 0 ? Math.round(m.rows / m.seconds).toLocaleString('en-US') : '—';
  const what =
    m.kind === 'star'
      ? `star limit ${m.seconds.toFixed(2)} s (${(m.starParts ?? []).map((p) => `${p.table} ${p.insertSeconds.toFixed(2)} + indexes ${p.indexSeconds.toFixed(2)}`).join(', ')})`
      : m.kind === 'daily' && m.daily
        ? `daily: days before the last ${m.daily.firstSeconds.toFixed(2)} s (checks ${m.daily.firstChecksSeconds.toFixed(2)}), the last day ${m.daily.secondSeconds.toFixed(2)} s (checks ${m.daily.secondChecksSeconds.toFixed(2)})`
        : m.kind === 'transform'
          ? `star schema ${m.seconds.toFixed(2)} s (${(m.steps ?? []).map((s) => `${s.id.slice(0, 3)} ${s.seconds.toFixed(2)}`).join(', ')})`
          : `${m.seconds.toFixed(2)} s, ${rate} rows/s`;
  return `  ${events.toLocaleString('en-US')} events, run ${run}/${runs}, ${m.kind.padEnd(9)} ${what}, peak RSS ${Math.round(m.peakRssBytes / 1048576)} MB`;
}

export { MEASUREMENT_KINDS };

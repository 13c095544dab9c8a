// generateSample(): writes a synthetic Sparkify data set (song files, daily event
// logs, the JSONPaths file) and reports what it wrote, quirk by quirk, so tests and
// benchmarks can check the warehouse against known numbers.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, UsageError } from '../errors';
import { eventsPerDay, makeDays, parseStartDate } from './calendar';
import { buildCatalogue, MIN_SONGS } from './catalogue';
import { describeCatalogue, type CatalogueStats } from './catalogue-stats';
import { Random } from './random';
import { Simulator } from './simulator';
import { makeUsers, userCountFor } from './users';
import { logFilePath, writeEventLog, writeJsonPaths, writeSongFiles } from './writers';

interface GenerateProgress {
  phase: 'songs' | 'logs';
  /** Song files or day logs written so far. */
  done: number;
  total: number;
  /** Events written so far (logs phase). */
  events: number;
}

export interface GenerateOptions {
  events: number;
  songs: number;
  outDir: string;
  /** Same seed and options give byte-identical files. Default 42. */
  seed?: number;
  /** Days of logs, one file each. Default 30. */
  days?: number;
  /** First day, YYYY-MM-DD (UTC). Default 2018-11-01. */
  start?: string;
  /** Write .json.gz files instead of .json (not the JSONPaths file). */
  gzip?: boolean;
  onProgress?: (progress: GenerateProgress) => void;
}

export interface GeneratedSample extends CatalogueStats {
  outDir: string;
  logDir: string;
  songDir: string;
  jsonPathsFile: string;
  files: { logs: number; songs: number };
  /** Bytes on disk, all files included (compressed sizes with gzip). */
  bytes: number;
  seed: number;
  days: number;
  start: string;
  gzip: boolean;

  events: number;
  sessions: number;
  nextSongEvents: number;
  loggedOutEvents: number;
  /** Distinct userIds in the logs. */
  users: number;
  /** Submit Upgrade plus Submit Downgrade events. */
  levelChanges: number;
  /** Users with both free and paid events. */
  usersWithLevelChanges: number;
  playsOfKnownSongs: number;
  playsOfUnknownSongs: number;
}

export const DEFAULTS = { events: 8000, songs: 1500, seed: 42, days: 30, start: '2018-11-01' } as const;

/**
 * Marks a folder as written by this generator, so a second run may replace its
 * song_data/ and log_data/ but never a folder of real data. It also records what the
 * sample contains.
 */
const MANIFEST = '.generated-sample.json';

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}; got ${value}.`);
  }
}

/** Empties the sample's folders if a previous run wrote them; refuses any other data. */
async function prepareOutDir(outDir: string, owned: string[]): Promise<void> {
  const existing = owned.filter((entry) => fs.existsSync(entry));
  if (existing.length === 0) return;
  if (!fs.existsSync(path.join(outDir, MANIFEST))) {
    throw new ConfigError(
      `${outDir} already holds ${existing.map((e) => path.basename(e)).join(', ')}, which this ` +
        'generator did not write; pass an empty or new --out folder (or delete those first).',
    );
  }
  for (const entry of existing) await fs.promises.rm(entry, { recursive: true, force: true });
}

export async function generateSample(options: GenerateOptions): Promise<GeneratedSample> {
  const seed = options.seed ?? DEFAULTS.seed;
  const dayCount = options.days ?? DEFAULTS.days;
  const start = options.start ?? DEFAULTS.start;
  const gzip = options.gzip ?? false;
  requireInteger('events', options.events, 1);
  requireInteger('songs', options.songs, MIN_SONGS);
  requireInteger('days', dayCount, 1, 3660);
  requireInteger('seed', seed, 0, 0xffffffff);
  const startMs = parseStartDate(start);
  if (startMs === undefined) throw new UsageError(`--start must be a date like 2018-11-01; got "${start}".`);

  const outDir = path.resolve(options.outDir);
  const songDir = path.join(outDir, 'song_data');
  const logDir = path.join(outDir, 'log_data');
  const jsonPathsFile = path.join(outDir, 'log_json_path.json');
  await prepareOutDir(outDir, [songDir, logDir, jsonPathsFile]);
  await fs.promises.mkdir(outDir, { recursive: true });
  await fs.promises.writeFile(path.join(outDir, MANIFEST), JSON.stringify({ generator: 'npm run generate' }));

  // Independent streams: more events must not change the songs, and vice versa.
  const random = new Random(seed);
  const catalogue = buildCatalogue(random.fork('catalogue'), options.songs);
  const songsWritten = await writeSongFiles(songDir, catalogue.songs, gzip, (done) => {
    if (done % 1000 === 0 || done === catalogue.songs.length) {
      options.onProgress?.({ phase: 'songs', done, total: catalogue.songs.length, events: 0 });
    }
  });

  const days = makeDays(startMs, dayCount);
  const budgets = eventsPerDay(random.fork('calendar'), days, options.events);
  const users = makeUsers(random.fork('users'), userCountFor(options.events, dayCount), startMs);
  const simulator = new Simulator(random.fork('sessions'), catalogue, users);
  let logBytes = 0;
  for (const day of days) {
    // One day in memory at a time: simulate, write, let it go.
    const events = simulator.simulateDay(day, budgets[day.index]);
    logBytes += await writeEventLog(logFilePath(logDir, day, gzip), events, gzip);
    options.onProgress?.({ phase: 'logs', done: day.index + 1, total: days.length, events: simulator.stats().events });
  }
  const jsonPathsBytes = await writeJsonPaths(jsonPathsFile);

  const sample: GeneratedSample = {
    outDir,
    logDir,
    songDir,
    jsonPathsFile,
    files: { logs: days.length, songs: songsWritten.files },
    bytes: songsWritten.bytes + logBytes + jsonPathsBytes,
    seed,
    days: dayCount,
    start,
    gzip,
    ...simulator.stats(),
    ...describeCatalogue(catalogue.songs),
  };
  // Without the folder paths, so that the same options give the same bytes anywhere.
  const { outDir: _o, logDir: _l, songDir: _s, jsonPathsFile: _j, ...contents } = sample;
  await fs.promises.writeFile(path.join(outDir, MANIFEST), JSON.stringify(contents, null, 2) + '\n');
  return sample;
}

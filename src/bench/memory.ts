// `npm run bench:memory`: the loader's peak RSS on lines it must reject for their length,
// against a normal load's. Redshift takes at most 4 MB for one JSON object
// (src/load/json/cut-line.ts); past that the loader reads a line's bytes without keeping them,
// so a 1 GB line, or a 5 GB file with no newline at all, should cost no more memory than
// a normal day of events. The files are written streaming into the work folder (a few
// GB; reused by the next run) and are never part of the repository. Each load runs in a
// child process of its own (run.ts), so each peak RSS is that load's alone.
import fs from 'node:fs';
import path from 'node:path';
import { generateSample } from '../generate';
import { startEmbedded } from '../targets/embedded';
import type { ConnectionSettings } from '../targets/pg-client';
import type { SourceSettings } from '../config';
import { measureInFreshDatabase } from './run';

export interface MemoryBenchOptions {
  workDir: string;
  /** Events of the normal sample the others are held against. */
  events: number;
  log(message: string): void;
}

export interface MemoryCase {
  name: string;
  bytes: number;
  rows: number;
  rejected: number;
  seconds: number;
  peakRssBytes: number;
  /** Peak RSS over the normal load's. */
  ratio: number;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;
/** Written a megabyte at a time: the generator's own memory stays flat too. */
const WRITE_BYTES = MB;

export async function runMemoryBench(options: MemoryBenchOptions): Promise<MemoryCase[]> {
  fs.mkdirSync(options.workDir, { recursive: true });
  const normal = await normalSample(options);
  const goodLines = firstLines(normal.logData, 3);
  const cases: Array<{ name: string; sources: SourceSettings }> = [
    { name: `normal load (${options.events.toLocaleString('en-US')} events)`, sources: normal },
    {
      name: 'a 1 GB line between good ones',
      sources: folderOf(options, normal, 'one-gb-line', (fd) => {
        fs.writeSync(fd, `${goodLines}{"artist":"`);
        writeFilling(fd, GB);
        fs.writeSync(fd, `"}\n${goodLines}`);
      }),
    },
    {
      name: 'a 5 GB file without a newline',
      sources: folderOf(options, normal, 'five-gb-no-newline', (fd) => writeFilling(fd, 5 * GB)),
    },
  ];
  const pgDir = path.join(options.workDir, 'pg');
  const server = await startEmbedded({ projectRoot: pgDir, explicitDir: pgDir, log: options.log });
  const admin: ConnectionSettings = { ...server.connection, database: 'postgres' };
  const results: MemoryCase[] = [];
  try {
    for (const { name, sources } of cases) {
      const m = await measureInFreshDatabase(admin, { kind: 'load', connection: admin, sources, maxErrors: 5 });
      const ratio = results.length === 0 ? 1 : m.peakRssBytes / results[0].peakRssBytes;
      results.push({
        name,
        bytes: m.bytes,
        rows: m.rows,
        rejected: m.rejected ?? 0,
        seconds: m.seconds,
        peakRssBytes: m.peakRssBytes,
        ratio,
      });
      options.log(
        `  ${name}: ${(m.bytes / MB).toFixed(0)} MB read, ${m.rows} rows loaded, ${m.rejected} rejected, ${m.seconds.toFixed(1)} s, peak RSS ${Math.round(m.peakRssBytes / MB)} MB (${ratio.toFixed(2)}× the normal load's)`,
      );
    }
  } finally {
    await server.release();
  }
  return results;
}

async function normalSample(options: MemoryBenchOptions): Promise<SourceSettings> {
  const outDir = path.join(options.workDir, `normal-${options.events}`);
  const sources = {
    logData: path.join(outDir, 'log_data'),
    songData: path.join(outDir, 'song_data'),
    logJsonPath: path.join(outDir, 'log_json_path.json'),
  };
  const marker = path.join(outDir, 'done');
  if (!fs.existsSync(marker)) {
    options.log(`Generating ${options.events.toLocaleString('en-US')} events in ${outDir}`);
    await generateSample({ events: options.events, songs: 1000, outDir });
    fs.writeFileSync(marker, '');
  }
  return sources;
}

/** The first `count` lines of the first log file, each with its newline. */
function firstLines(logData: string, count: number): string {
  const first = fs
    .readdirSync(logData, { recursive: true, withFileTypes: true })
    .find((e) => e.isFile() && e.name.endsWith('.json'))!;
  const text = fs.readFileSync(path.join(first.parentPath, first.name), 'utf8');
  return `${text.split('\n').slice(0, count).join('\n')}\n`;
}

/** A log folder holding one file written by `write` (once; reused when complete), beside the normal sample's JSONPaths. */
function folderOf(
  options: MemoryBenchOptions,
  normal: SourceSettings,
  name: string,
  write: (fd: number) => void,
): SourceSettings {
  const dir = path.join(options.workDir, name);
  const file = path.join(dir, 'log_data', 'big.json');
  const marker = path.join(dir, 'done');
  if (!fs.existsSync(marker)) {
    options.log(`Writing ${file}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'w');
    try {
      write(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.writeFileSync(marker, '');
  }
  return { ...normal, logData: path.dirname(file) };
}

function writeFilling(fd: number, bytes: number): void {
  const block = Buffer.alloc(WRITE_BYTES, 'x');
  for (let left = bytes; left > 0; left -= WRITE_BYTES) fs.writeSync(fd, block, 0, Math.min(WRITE_BYTES, left));
}

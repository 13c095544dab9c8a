// Writes the sample to disk: song files, one event log per day, the JSONPaths file.
// Event logs go through a buffered (optionally gzip) stream, honouring backpressure,
// so memory does not grow with the size of a file.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { type Day } from './calendar';
import { type CatalogueSong } from './catalogue';
import { type EventRecord, formatEvent, formatJsonPaths, formatSong } from './sparkify-json';

const gzipBuffer = promisify(zlib.gzip);

/** Enough files in flight to keep the disk busy without exhausting file handles. */
const SONG_WRITE_CONCURRENCY = 64;
/** Lines joined into one write: fewer, larger writes are much faster than one per line. */
const LINES_PER_WRITE = 512;
const STREAM_BUFFER_BYTES = 1 << 20;
/** zlib hands out 16 KB pieces by default: thousands of tiny file writes per day. */
const GZIP_CHUNK_BYTES = 256 << 10;

export interface Written {
  files: number;
  bytes: number;
}

function extension(gzip: boolean): string {
  return gzip ? '.json.gz' : '.json';
}

/** song_data/A/<X>/<Y>/TRAXY….json, the layout of the published song data. */
function songFilePath(songDir: string, trackId: string, gzip: boolean): string {
  return path.join(songDir, trackId[2], trackId[3], trackId[4], trackId + extension(gzip));
}

/** log_data/YYYY/MM/YYYY-MM-DD-events.json */
export function logFilePath(logDir: string, day: Day, gzip: boolean): string {
  const [year, month] = day.date.split('-');
  return path.join(logDir, year, month, `${day.date}-events${extension(gzip)}`);
}

export async function writeSongFiles(
  songDir: string,
  songs: ReadonlyArray<CatalogueSong>,
  gzip: boolean,
  onFile?: (done: number) => void,
): Promise<Written> {
  const folders = new Set(songs.map((song) => path.dirname(songFilePath(songDir, song.trackId, gzip))));
  for (const folder of folders) await fs.promises.mkdir(folder, { recursive: true });

  let next = 0;
  let bytes = 0;
  let done = 0;
  const worker = async () => {
    while (next < songs.length) {
      const song = songs[next++];
      const text = Buffer.from(formatSong(song.record), 'utf8');
      const content = gzip ? await gzipBuffer(text) : text;
      await fs.promises.writeFile(songFilePath(songDir, song.trackId, gzip), content);
      bytes += content.length;
      onFile?.(++done);
    }
  };
  await Promise.all(Array.from({ length: SONG_WRITE_CONCURRENCY }, worker));
  return { files: songs.length, bytes };
}

/** Writes one day's events as JSON lines, each ended by "\n"; returns the bytes on disk. */
export async function writeEventLog(file: string, events: ReadonlyArray<EventRecord>, gzip: boolean): Promise<number> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(file, { highWaterMark: STREAM_BUFFER_BYTES });
  const compressor = gzip ? zlib.createGzip({ chunkSize: GZIP_CHUNK_BYTES }) : undefined;
  if (compressor) compressor.pipe(out);
  const sink: NodeJS.WritableStream = compressor ?? out;
  const failed = new Promise<never>((_, reject) => {
    out.on('error', reject);
    compressor?.on('error', reject);
  });
  // Observed by the races below; this only stops an early error counting as unhandled.
  failed.catch(() => undefined);

  for (let start = 0; start < events.length; start += LINES_PER_WRITE) {
    let chunk = '';
    const end = Math.min(events.length, start + LINES_PER_WRITE);
    for (let i = start; i < end; i++) chunk += formatEvent(events[i]) + '\n';
    if (!sink.write(chunk)) await Promise.race([once(sink, 'drain'), failed]);
  }
  sink.end();
  await Promise.race([once(out, 'close'), failed]);
  return out.bytesWritten;
}

export async function writeJsonPaths(file: string): Promise<number> {
  const text = formatJsonPaths();
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, text);
  return Buffer.byteLength(text);
}

// The benchmark's "limit": the same rows our loader produces, rendered once as CSV so a
// COPY FROM STDIN can stream them from a file with no parsing work in Node. Rendering is
// not timed; only the COPY of the finished file is.
import fs from 'node:fs';
import { once } from 'node:events';
import { MISSING, parseJsonPaths, pick } from '../load/json/jsonpaths';
import { readJsonRecords } from '../load/json/read-json-records';
import { listSourceFiles } from '../load/source-files';

/**
 * One CSV field as PostgreSQL's COPY … (format csv) reads it: an unquoted empty field is
 * NULL, text is always quoted (so '' stays an empty string) with quotes doubled.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined || value === MISSING) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

export interface RenderedCsv {
  file: string;
  rows: number;
  bytes: number;
}

/** Writes every record of the JSON files under `logDir`, mapped by the JSONPaths file, as CSV. */
export async function renderLimitCsv(logDir: string, jsonPathsFile: string, outFile: string): Promise<RenderedCsv> {
  const paths = parseJsonPaths(fs.readFileSync(jsonPathsFile, 'utf8'), jsonPathsFile);
  const out = fs.createWriteStream(outFile, { highWaterMark: 1 << 20 });
  let rows = 0;
  let pending: string[] = [];
  const flush = async () => {
    if (!out.write(pending.join(''))) await once(out, 'drain');
    pending = [];
  };
  for (const file of await listSourceFiles(logDir)) {
    for await (const record of readJsonRecords(await file.open())) {
      if (record.value === undefined) continue;
      pending.push(csvLine(paths.map((p) => pick(record.value, p))));
      rows++;
      if (pending.length === 2000) await flush();
    }
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { file: outFile, rows, bytes: fs.statSync(outFile).size };
}

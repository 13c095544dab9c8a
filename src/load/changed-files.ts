// Before a load copies anything: which listed files are new, which were appended to since
// they were loaded (load only the tail), which were touched but hold the same bytes (load
// nothing), and which were edited in place. An edited file stops the load: loading it
// again would add its new rows beside the old ones and keep the rows it no longer has,
// and the upserts (insert-only for most tables) would report `inserted 0, updated 0` while
// the warehouse no longer matches the files (issue 21, item 7).
import { createHash } from 'node:crypto';
import { LoadError } from '../errors';
import type { Knex } from 'knex';
import { filesToLoad, readLedger, readLedgerEntries, type LedgerEntry, type LedgerVersion } from './ledger';
import type { Tail } from './read-hash';
import type { SourceFile } from './source-files';

export interface LoadPlan {
  /** To load, in listing order: new files, files with no hash in the ledger (loaded whole again, as before), appended files. */
  files: SourceFile[];
  /** The appended files among them, by path: only their new bytes load. */
  tails: Map<string, Tail>;
  /** Touched (new mtime or ETag) but holding the bytes loaded: only the new version is recorded. */
  touched: SourceFile[];
  /** How many listed files the ledger has unchanged. */
  skipped: number;
  /** The ledger's entries of the changed files, by path (an appended file's rows loaded before count in its new entry). */
  entries: Map<string, LedgerEntry>;
}

/** The plan of a listing found unchanged since the last load (unchanged-listing.ts): every file skipped. */
export function nothingToLoad(listed: SourceFile[]): LoadPlan {
  return { files: [], tails: new Map(), touched: [], skipped: listed.length, entries: new Map() };
}

type Verdict = { kind: 'same' } | { kind: 'append'; tail: Tail } | { kind: 'edited'; why: string };

/**
 * Reads the ledger, then, of each file whose size or version changed and whose ledger entry
 * has a hash, the bytes loaded before (a ranged read: the stream is dropped once they are
 * read; a .gz is read whole, unpacked). Throws FilesChangedError naming every edited file.
 */
export async function planLoad(db: Knex, source: string, listed: SourceFile[]): Promise<LoadPlan> {
  const versions = await readLedger(db, source);
  const candidates = new Set(filesToLoad(listed, versions));
  const entries = await readLedgerEntries(
    db,
    source,
    [...candidates].filter((f) => versions.has(f.path)),
  );
  const plan: LoadPlan = { files: [], tails: new Map(), touched: [], skipped: 0, entries };
  const edited: Array<{ file: SourceFile; why: string }> = [];
  for (const file of listed) {
    const seen = entries.get(file.path);
    if (!candidates.has(file)) plan.skipped++;
    // No hash (loaded before the hash was kept), or loaded empty: nothing to compare, load it whole as before.
    else if (!seen || seen.sha256 === null || (seen.size === 0 && !file.gzip)) plan.files.push(file);
    else {
      // A file that cannot be read now is loaded whole, and the load rejects it as unreadable (line 0).
      const verdict = await compare(file, { ...seen, sha256: seen.sha256 }).catch(() => undefined);
      if (verdict === undefined) plan.files.push(file);
      else if (verdict.kind === 'same') plan.touched.push(file);
      else if (verdict.kind === 'append') {
        plan.files.push(file);
        plan.tails.set(file.path, verdict.tail);
      } else edited.push({ file, why: verdict.why });
    }
  }
  if (edited.length > 0) throw new FilesChangedError(source, edited);
  return plan;
}

async function compare(file: SourceFile, seen: LedgerEntry & { sha256: string }): Promise<Verdict> {
  // A .gz cannot be told to be an append from its stored bytes: its unpacked bytes are compared whole.
  if (!file.gzip && file.size < seen.size)
    return { kind: 'edited', why: `it is ${file.size} bytes, ${seen.size} were loaded` };
  const limit = file.gzip ? Infinity : seen.size;
  const hash = createHash('sha256');
  let read = 0;
  let newlines = 0;
  let last = -1;
  for await (const chunk of await file.open()) {
    const bytes = chunk as Buffer;
    const part = read + bytes.length > limit ? bytes.subarray(0, limit - read) : bytes;
    hash.update(part);
    read += part.length;
    if (!file.gzip) newlines += countNewlines(part);
    if (part.length > 0) last = part[part.length - 1];
    if (read >= limit) break; // ends the read: the rest of the file is the load's to read
  }
  if (!file.gzip && read < limit)
    return { kind: 'edited', why: `it ended after ${read} bytes, ${seen.size} were loaded` };
  const sha256 = hash.digest('hex');
  const loaded = file.gzip ? 'its content' : `its first ${seen.size} bytes, the part loaded,`;
  if (sha256 !== seen.sha256) return { kind: 'edited', why: `${loaded} changed` };
  if (file.gzip || file.size === seen.size) return { kind: 'same' };
  // The old last line had no newline: the "appended" bytes continue it, and that line changed.
  if (last !== 10) return { kind: 'edited', why: 'its last loaded line, which had no newline, goes on' };
  return { kind: 'append', tail: { from: seen.size, firstLine: newlines + 1, prefixSha256: sha256 } };
}

function countNewlines(bytes: Buffer): number {
  let n = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) n++;
  return n;
}

/**
 * The Redshift loader's check (src/load/redshift/load.ts): COPY reads the objects, the tool
 * never does, so the ledger has no hash; but a single-part upload's ETag is the MD5 of its
 * bytes (AWS, "Checking object integrity"), so the first bytes of a changed object, as many
 * as were loaded, are read and their MD5 compared with the old ETag. An append passes (COPY
 * then loads the whole object again: it cannot start part-way, and the upserts keep only
 * what is new); anything else, or an old ETag that is no MD5 (multipart, SSE-KMS), throws.
 */
export async function checkObjectsAppended(
  source: string,
  files: SourceFile[],
  ledger: Map<string, LedgerVersion>,
): Promise<void> {
  const edited: Array<{ file: SourceFile; why: string }> = [];
  for (const file of files) {
    const seen = ledger.get(file.path);
    const why = seen && (await notAnAppend(file, seen));
    if (why) edited.push({ file, why });
  }
  if (edited.length > 0) throw new FilesChangedError(source, edited);
}

async function notAnAppend(file: SourceFile, seen: LedgerVersion): Promise<string | undefined> {
  const md5 = /^[0-9a-f]{32}$/i.exec(seen.version)?.[0];
  if (!md5)
    return `the ETag it was loaded with, ${seen.version}, is no MD5 (a multipart or KMS-encrypted upload), so an append cannot be told from an edit`;
  if (file.size < seen.size) return `it is ${file.size} bytes, ${seen.size} were loaded`;
  const hash = createHash('md5');
  let read = 0;
  // The stored bytes: open() would unpack a .gz, and the ETag is of what is stored (a .gz is small: read whole).
  const stored: AsyncIterable<Buffer> | Buffer[] = file.gzip ? [await file.readStored()] : await file.open();
  for await (const chunk of stored) {
    const part = chunk.subarray(0, seen.size - read);
    hash.update(part);
    read += part.length;
    if (read >= seen.size) break; // a ranged read in effect: the rest of the object is not fetched
  }
  if (read < seen.size || hash.digest('hex') !== md5.toLowerCase())
    return `its first ${seen.size} bytes, the part loaded, changed`;
  return undefined;
}

/** Names the edited files and the fix; thrown before the load copies anything. */
class FilesChangedError extends LoadError {
  constructor(source: string, edited: Array<{ file: SourceFile; why: string }>) {
    const shown = edited.slice(0, 5).map(({ file, why }) => `${file.path} (${why})`);
    if (edited.length > 5) shown.push(`and ${edited.length - 5} more`);
    const many = edited.length > 1;
    super(
      `${source}: ${edited.length} file${many ? 's were' : ' was'} changed in place after ${many ? 'they were' : 'it was'} loaded: ${shown.join('; ')}. ` +
        'Only appending to a loaded file is taken as new rows; loading an edited file again would keep the rows it no longer has, so nothing is loaded. ' +
        'Run `npm run transform -- --full-refresh` to rebuild the warehouse from the files as they are now, or put the loaded version back.',
    );
  }
}

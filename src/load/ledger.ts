// The ledger of loaded source files (load_ledger) and the kept rejects (load_errors).
import type { Knex } from 'knex';
import type { SourceFile } from './source-files';

/** What the ledger says of every file: enough to tell which listed files changed. */
export interface LedgerVersion {
  /** The bytes the load read (stored bytes for a .gz, whose hash is of what it unpacks to). */
  size: number;
  version: string;
}

/** The rest of a changed file's entry: what tells an append from an edit, and the rows loaded before. */
export interface LedgerEntry extends LedgerVersion {
  /** SHA-256 of the bytes read; null before migration 20261214120000, and on Redshift (COPY reads the files, the tool never does). */
  sha256: string | null;
  rowsLoaded: number | null;
  rowsRejected: number | null;
}

export interface Reject {
  path: string;
  /** 1-based line; 0 for a whole-file problem (empty, unreadable). */
  line: number;
  reason: string;
  raw: string;
}

/** Raw lines are kept for people to read, cut to a size every engine stores. */
const RAW_LINE_LIMIT = 8000;

/**
 * Size and version of every file of `source`, by path. Only these: a daily run lists the
 * whole song catalogue to find it unchanged, and the hashes and counts of 15,000 entries
 * were most of the ledger's read (docs/performance.md, "Figures behind comments");
 * readLedgerEntries() reads them for the changed files only.
 */
export async function readLedger(db: Knex, source: string): Promise<Map<string, LedgerVersion>> {
  const rows: Array<{ path: string; size_bytes: string | number; version: string }> = await db('load_ledger')
    .select('path', 'size_bytes', 'version')
    .where({ source });
  return new Map(rows.map((r) => [r.path, { size: Number(r.size_bytes), version: r.version }]));
}

/** The whole ledger entries of `files` that have one, by path. */
export async function readLedgerEntries(
  db: Knex,
  source: string,
  files: SourceFile[],
): Promise<Map<string, LedgerEntry>> {
  const entries = new Map<string, LedgerEntry>();
  const count = (n: string | number | null) => (n === null ? null : Number(n));
  for (const chunk of chunks(files, 500)) {
    const rows: Array<{
      path: string;
      size_bytes: string | number;
      version: string;
      content_sha256: string | null;
      rows_loaded: string | number | null;
      rows_rejected: string | number | null;
    }> = await db('load_ledger')
      .select('path', 'size_bytes', 'version', 'content_sha256', 'rows_loaded', 'rows_rejected')
      .where({ source })
      .whereIn(
        'path',
        chunk.map((f) => f.path),
      );
    for (const r of rows)
      entries.set(r.path, {
        size: Number(r.size_bytes),
        version: r.version,
        sha256: r.content_sha256,
        rowsLoaded: count(r.rows_loaded),
        rowsRejected: count(r.rows_rejected),
      });
  }
  return entries;
}

/**
 * The ledger's state for one source, as two scalar subqueries (`source` quoted already): how
 * many files it holds, and when the last was loaded. A load that records a file changes the
 * second, a row deleted by hand the first: what skips work when a source is unchanged
 * (unchanged-listing.ts, transform/unchanged-inputs.ts) compares them with what it recorded.
 */
export function ledgerStateSql(source: string): { files: string; lastLoadedAt: string } {
  return {
    files: `(select count(*) from load_ledger where source = ${source})`,
    lastLoadedAt: `(select max(loaded_at) from load_ledger where source = ${source})`,
  };
}

/** Files that are new, or whose size or version changed since they were loaded. */
export function filesToLoad(files: SourceFile[], ledger: Map<string, LedgerVersion>): SourceFile[] {
  return files.filter((f) => {
    const seen = ledger.get(f.path);
    return !seen || seen.size !== f.size || seen.version !== f.version;
  });
}

export interface LoadedFile {
  file: SourceFile;
  /** null when the count is not known (Redshift: no system view answered). */
  rowsLoaded: number | null;
  rowsRejected: number | null;
  /** The bytes read and their SHA-256, when the whole file was read (else the listing's size, and no hash). */
  read?: { bytes: number; sha256: string };
}

/**
 * The size a loaded file is recorded with. A plain file is recorded as the bytes read and
 * hashed, not as listed: a file that grew during the read is then not taken for changed by
 * the next run.
 */
export function recordedSize(loaded: LoadedFile): number {
  return loaded.read && !loaded.file.gzip ? loaded.read.bytes : loaded.file.size;
}

export async function recordLoadedFiles(db: Knex, source: string, loaded: LoadedFile[], at: Date): Promise<void> {
  if (loaded.length === 0) return;
  for (const chunk of chunks(loaded, 500)) {
    await db('load_ledger')
      .where({ source })
      .whereIn(
        'path',
        chunk.map((l) => l.file.path),
      )
      .delete();
    await db('load_ledger').insert(
      chunk.map((l) => ({
        source,
        path: l.file.path,
        size_bytes: recordedSize(l),
        version: l.file.version,
        content_sha256: l.read?.sha256 ?? null,
        rows_loaded: l.rowsLoaded,
        rows_rejected: l.rowsRejected,
        published: 0,
        loaded_at: at,
      })),
    );
  }
}

/** Files touched but holding the bytes loaded (same hash): only their new version is noted, so they are not read again. */
export async function recordVersions(db: Knex, source: string, files: SourceFile[]): Promise<void> {
  for (const file of files)
    await db('load_ledger').where({ source, path: file.path }).update({ version: file.version });
}

export async function recordRejects(db: Knex, source: string, rejects: Reject[], at: Date): Promise<void> {
  for (const chunk of chunks(rejects, 500)) {
    await db('load_errors').insert(
      chunk.map((r) => ({
        source,
        path: r.path,
        line_number: r.line,
        reason: storable(r.reason).slice(0, 1000),
        raw_line: storable(r.raw).slice(0, RAW_LINE_LIMIT),
        loaded_at: at,
      })),
    );
  }
}

/**
 * A NUL as \x00, the way invalid bytes are shown (utf8.ts showInvalidBytes): neither
 * engine stores NUL in text, and a raw NUL in a rejected line made the reject itself fail.
 */
function storable(text: string): string {
  return text.replaceAll('\u0000', '\\x00');
}

/** The star schema has taken everything staged: the next load may clear staging. */
export async function publishStaged(db: Knex, source: string): Promise<void> {
  await db('load_ledger').where({ source, published: 0 }).update({ published: 1 });
}

export async function hasUnpublished(db: Knex, source: string): Promise<boolean> {
  const row = await db('load_ledger').where({ source, published: 0 }).first('path');
  return row !== undefined;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

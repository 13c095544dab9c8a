// A daily run lists the whole song catalogue to find it unchanged, then reads the ledger's
// entry of every listed file to compare them: for the catalogue, thousands of rows read,
// sent and parsed to learn that nothing is new. So a load that leaves every listed file in
// the ledger as listed (same size, same version) records a digest of the listing, with the
// ledger's file count and last load time, in its own transaction. The next run that lists
// the same files, sizes and versions and finds the ledger as it was has nothing to load,
// and skips the ledger's entries. Any other listing, a ledger changed since (a row deleted
// by hand, a --full-refresh), or a load that left some listed file unrecorded or recorded
// otherwise (a file that grew while it was read) takes the ledger's path, as before.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Dialect } from '../dialects';
import { runVerbatim } from '../verbatim';
import { ledgerStateSql, recordedSize, type LoadedFile } from './ledger';
import type { SourceFile } from './source-files';

export const LISTINGS_TABLE = 'source_listings';

export interface Listing {
  digest: string;
  /** The listing and the ledger are as the last load left them: nothing to load. */
  unchanged: boolean;
}

/**
 * Paths, sizes and versions. Each path goes with its length, so that no path can pass for
 * two (a local path may hold a newline); sizes and versions hold no space. One text hashed
 * once: a hash update a file cost more than the text.
 */
function listingDigest(files: SourceFile[]): string {
  const text = files.map((file) => `${file.path.length}:${file.path} ${file.size} ${file.version}\n`).join('');
  return createHash('sha256').update(text).digest('hex');
}

/** Whether `files` is the listing the last load of `source` recorded, with the ledger as it left it. */
export async function compareListing(
  db: Knex,
  dialect: Dialect,
  source: string,
  files: SourceFile[],
): Promise<Listing> {
  const digest = listingDigest(files);
  const quoted = dialect.quoteLiteral(source);
  const ledger = ledgerStateSql(quoted);
  const result = await runVerbatim(
    db,
    `
select count(*) as unchanged
from ${LISTINGS_TABLE}
where source = ${quoted}
  and digest = ${dialect.quoteLiteral(digest)}
  and ledger_files = ${ledger.files}
  and ledger_loaded_at = ${ledger.lastLoadedAt}`,
  );
  return { digest, unchanged: Number(result?.rows?.[0]?.unchanged ?? 0) > 0 };
}

/**
 * After the load's ledger writes: the digest when every listed file is now in the ledger
 * as listed (`loaded` are the files this load recorded; the others matched the ledger
 * already), else no digest, so the next run compares with the ledger.
 */
export async function recordListing(
  db: Knex,
  dialect: Dialect,
  source: string,
  listing: Listing,
  loaded: LoadedFile[],
): Promise<void> {
  const quoted = dialect.quoteLiteral(source);
  await runVerbatim(db, `delete from ${LISTINGS_TABLE} where source = ${quoted}`);
  if (loaded.some((entry) => recordedSize(entry) !== entry.file.size)) return;
  const ledger = ledgerStateSql(quoted);
  await runVerbatim(
    db,
    `
insert into ${LISTINGS_TABLE} (source, digest, ledger_files, ledger_loaded_at)
select ${quoted}, ${dialect.quoteLiteral(listing.digest)}, ${ledger.files}, ${ledger.lastLoadedAt}`,
  );
}

// The shape of a table declaration. Tables are declared once, in the migration that creates them (migrations/);
// each dialect renders the same declaration into its own DDL (src/dialects/).

/** Column types both engines accept with the same meaning. */
export type ColumnType =
  | { kind: 'varchar'; length: number }
  | { kind: 'smallint' }
  | { kind: 'integer' }
  | { kind: 'bigint' }
  | { kind: 'double' }
  | { kind: 'timestamp' }
  | { kind: 'timestamptz' }
  /** A surrogate key numbered by the database (IDENTITY on Redshift, an identity column on Postgres). */
  | { kind: 'identity' };

export interface Column {
  name: string;
  type: ColumnType;
  notNull?: boolean;
  /**
   * A numeric default. Loads COPY an explicit column list, so a column they do not name
   * gets this value on both engines (AWS "Loading default column values").
   */
  default?: number;
  /**
   * The only values the column may hold, checked by the data-quality step (090), never
   * rendered into DDL. Null counts as a breach unless `orNull` says it means "unknown".
   */
  accepted?: { values: string[]; orNull?: boolean };
}

/**
 * A row's `columns` name a row of `table` by its `key` (a foreign key). Checked by the
 * data-quality step (090), not rendered into DDL: PostgreSQL would enforce it on every row
 * the fact's insert writes and order every full refresh's deletes by it, and Redshift would
 * only keep it as planner information; rendering it would also change migrations that are
 * already applied. `nullable`: a row whose columns are null names nothing and passes
 * (a play that matched no song).
 */
export interface Reference {
  columns: string[];
  table: string;
  key: string[];
  nullable?: boolean;
}

/**
 * How rows are spread over Redshift's slices.
 * - all: a copy on every node; for small dimensions joined by everything.
 * - even: round robin; for tables with no dominant join.
 * - key: rows with the same value of `column` sit on the same slice, so joins on it stay local.
 */
export type Distribution = { style: 'all' } | { style: 'even' } | { style: 'key'; column: string } | { style: 'auto' };

export interface TableDeclaration {
  name: string;
  /** Layer, for readers and docs: raw loads, or the star schema analysts query. */
  layer: 'staging' | 'star' | 'bookkeeping';
  comment: string;
  columns: Column[];
  primaryKey?: string[];
  /** A natural key that identifies a row when the primary key is a surrogate. */
  uniqueKey?: string[];
  distribution: Distribution;
  /**
   * Compound sort key. On Redshift it orders the blocks so range filters skip them;
   * on Postgres the first column gets a BRIN index when `timeOrdered`, a btree otherwise.
   */
  sortKey?: string[];
  /** Rows arrive in the order of the sort key (event time): a BRIN index serves them on Postgres. */
  timeOrdered?: boolean;
  /** Other columns queries join or filter on: btree indexes on Postgres; on Redshift the dist/sort keys do this job. */
  lookupKeys?: string[][];
  /**
   * Each lookup key's btree leaves out the rows whose leading column is null (a partial
   * index on PostgreSQL; nothing on Redshift). A join or filter by equality never matches a
   * null, so no query that could use the index loses it, and a row with a null there costs
   * no index entry: most plays match no song, so their song_id and artist_id are null.
   */
  lookupKeysSkipNulls?: boolean;
  /** Tables this one's rows point into; see Reference. */
  references?: Reference[];
}

export const varchar = (length: number): ColumnType => ({ kind: 'varchar', length });
export const smallint: ColumnType = { kind: 'smallint' };
export const integer: ColumnType = { kind: 'integer' };
export const bigint: ColumnType = { kind: 'bigint' };
export const double: ColumnType = { kind: 'double' };
export const timestamp: ColumnType = { kind: 'timestamp' };
export const timestamptz: ColumnType = { kind: 'timestamptz' };
export const identity: ColumnType = { kind: 'identity' };

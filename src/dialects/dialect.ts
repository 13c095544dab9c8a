// The contract between shared code and an engine. Shared code branches on the
// capability flags here, never on the engine's name (the way kysely's dialects do).
import type { TableDeclaration } from '../schema/table';

export interface DialectCapabilities {
  /** TRUNCATE can be rolled back (false on Redshift: it commits the open transaction). */
  transactionalTruncate: boolean;
  /** Loads read S3 directly with COPY … FROM 's3://…' (else the tool streams COPY FROM STDIN). */
  copyFromS3: boolean;
  /**
   * Each step's transaction starts with an explicit LOCK of the tables it uses (Redshift:
   * AWS's remedy for serializable-isolation error 1023; PostgreSQL's row locks and MVCC
   * need none).
   */
  explicitTableLocks: boolean;
  /**
   * A large batch goes into a table faster with its secondary indexes dropped first and
   * built again afterwards, in the same transaction, as pg_restore builds a table
   * (PostgreSQL; Redshift has no such indexes).
   */
  rebuildIndexesAfterBulkInsert: boolean;
  /**
   * The engine refuses a row that breaks a declared primary or unique key, so the checks
   * need not count copies (PostgreSQL). Redshift records those keys without enforcing them
   * (AWS "Table constraints", https://docs.aws.amazon.com/redshift/latest/dg/t_Defining_constraints.html:
   * "Uniqueness, primary key, and foreign key constraints are informational only"), so
   * there the checks' COUNT(DISTINCT) is the only guard.
   */
  enforcesUniqueKeys: boolean;
  /**
   * The engine has Redshift's own functions (GETDATE, NVL, DATEADD, …) built in. Where it
   * has not (PostgreSQL), a migration adds look-alikes in a schema of their own for the
   * analysts' queries of `npm run query` (src/query/).
   */
  redshiftFunctionsBuiltIn: boolean;
  /**
   * The tool takes the statistics of a table it changed in bulk itself, with a sampled
   * ANALYZE (src/sampled-analyze.ts): PostgreSQL, where the embedded server stops between
   * commands and autovacuum rarely gets there first. Redshift analyzes in the background
   * (AWS "Analyzing tables", https://docs.aws.amazon.com/redshift/latest/dg/t_Analyzing_tables.html:
   * "automatically updates statistics in the background").
   */
  analyzesChangedTables: boolean;
}

/** An index createTable gives a table, with the statements that drop and rebuild it. */
export interface TableIndex {
  name: string;
  create: string;
  drop: string;
}

export interface Dialect {
  readonly name: 'postgres' | 'redshift';
  readonly capabilities: DialectCapabilities;
  /** Statements that create the table with its keys (dist/sort keys, or indexes). */
  createTable(table: TableDeclaration): string[];
  dropTable(table: TableDeclaration): string[];
  /** Adds one column of `table` (the declaration that has it) to the existing table. */
  addColumn(table: TableDeclaration, name: string): string[];
  dropColumn(table: TableDeclaration, name: string): string[];
  /**
   * Statements that give the existing table `to`'s varchar lengths where they differ from
   * `from`'s, keeping its rows, in a transaction. Narrowing fails, changing nothing, while
   * a stored value is longer than the new length.
   */
  resizeColumns(from: TableDeclaration, to: TableDeclaration): string[];
  /** Statements that move a table from one set of dist/sort/lookup keys to another. */
  changeKeys(from: TableDeclaration, to: TableDeclaration): string[];
  /** Every index createTable gives `table`, its primary key's included (none on Redshift). */
  indexesOf(table: TableDeclaration): TableIndex[];
  /**
   * Statements that move a table created with its primary key inline to the key createTable
   * gives it now, which differs where the key holds a wide varchar (PostgreSQL keys that
   * by its md5); none where they agree. Safe to run on a table already keyed either way.
   */
  keyWideColumns(table: TableDeclaration): string[];
  /** The reverse of keyWideColumns: the primary key inline again. */
  unkeyWideColumns(table: TableDeclaration): string[];
  /** A query whose one row's `triggers` counts the user-defined triggers on `table`. */
  countTriggers(table: string): string;
  quoteIdentifier(name: string): string;
  quoteLiteral(value: string): string;
  /**
   * A text expression compared as Redshift compares text: by its UTF-8 bytes, whatever the
   * database's collation (AWS "Collation sequences",
   * https://docs.aws.amazon.com/redshift/latest/dg/c_collation_sequences.html: ORDER BY, MIN,
   * MAX and RANK follow "binary UTF8 ordering"). For the transforms' tie-breaks, so that a
   * PostgreSQL database with a locale or ICU collation picks the row Redshift picks.
   */
  binaryText(expression: string): string;
}

export function quoteIdentifier(name: string): string {
  if (!name || name.includes('\u0000')) throw new Error(`"${name}" cannot be an SQL identifier`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** A standard SQL string literal: quotes doubled, nothing else special. */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('an SQL literal cannot hold a NUL character');
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A block comment holding any text, config text included (a source path, a bucket): a `*`
 * and a `/` side by side get a space between them, so the text can neither end the comment
 * nor open a nested one (PostgreSQL nests them; a `/*` left inside would swallow what
 * follows). Issue 21: LOG_DATA=`/x*\/; drop table users; /*y` printed a dry run that, pasted
 * into psql, dropped users.
 */
export function blockComment(text: string): string {
  return `/* ${text.replace(/\*(?=\/)/g, '* ').replace(/\/(?=\*)/g, '/ ')} */`;
}

/** A `--` comment holding any text: a line break in it would end the comment, so it becomes a space. */
export function lineComment(text: string): string {
  return `-- ${text.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')}`;
}

export function columnList(columns: string[], quote: (name: string) => string = quoteIdentifier): string {
  return columns.map(quote).join(', ');
}

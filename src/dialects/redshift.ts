// Amazon Redshift: the same declarations, rendered with DISTSTYLE/DISTKEY, a compound
// SORTKEY and column encodings (grammar: AWS "CREATE TABLE" reference). Redshift keeps
// primary and unique keys as planner hints only; it does not enforce them, which is why
// the upserts dedupe their input themselves.
import type { ColumnType, TableDeclaration } from '../schema/table';
import { PostgresDialect, resizedColumns } from './postgres';
import { columnList, quoteIdentifier, quoteLiteral, type DialectCapabilities, type TableIndex } from './dialect';

class RedshiftDialect extends PostgresDialect {
  override readonly name = 'redshift' as const;
  override readonly capabilities: DialectCapabilities = {
    transactionalTruncate: false,
    copyFromS3: true,
    explicitTableLocks: true,
    rebuildIndexesAfterBulkInsert: false,
    enforcesUniqueKeys: false,
    redshiftFunctionsBuiltIn: true,
    analyzesChangedTables: false,
  };

  override quoteLiteral(value: string): string {
    // Redshift reads a backslash in a literal as an escape in some contexts (COPY
    // options among them); refuse it rather than guess how it will be read.
    if (/[\\\u0000-\u001f]/.test(value)) {
      throw new Error(
        `${JSON.stringify(value)} holds a backslash or control character, which Redshift literals cannot carry safely; rename the path or ARN`,
      );
    }
    return quoteLiteral(value);
  }

  override binaryText(expression: string): string {
    // Redshift's own comparison is already bytewise.
    return expression;
  }

  override createTable(table: TableDeclaration): string[] {
    // No indexes on Redshift: the dist and sort keys do their work.
    return [this.createTableStatement(table)];
  }

  override indexesOf(_table: TableDeclaration): TableIndex[] {
    return [];
  }

  override keyWideColumns(_table: TableDeclaration): string[] {
    return [];
  }

  override unkeyWideColumns(_table: TableDeclaration): string[] {
    return [];
  }

  /** Redshift keeps every key as declared: it is informational, and no index stores it. */
  protected override inlinePrimaryKey(_table: TableDeclaration): boolean {
    return true;
  }

  /**
   * ALTER TABLE … ALTER DISTSTYLE / DISTKEY / SORTKEY (AWS "ALTER TABLE" reference). Redshift
   * rewrites the table, and ALTER TABLE keeps it locked for reads and writes until the
   * enclosing transaction ends: not a background job.
   */
  override changeKeys(from: TableDeclaration, to: TableDeclaration): string[] {
    const table = quoteIdentifier(to.name);
    const statements: string[] = [];
    if (JSON.stringify(from.distribution) !== JSON.stringify(to.distribution)) {
      const dist = to.distribution;
      statements.push(
        `alter table ${table} alter diststyle ${dist.style}${dist.style === 'key' ? ` distkey ${quoteIdentifier(dist.column)}` : ''}`,
      );
    }
    if (JSON.stringify(from.sortKey ?? []) !== JSON.stringify(to.sortKey ?? [])) {
      statements.push(
        `alter table ${table} ${to.sortKey?.length ? `alter compound sortkey (${columnList(to.sortKey)})` : 'alter sortkey none'}`,
      );
    }
    return statements;
  }

  /**
   * A deep copy (AWS "Performing a deep copy",
   * https://docs.aws.amazon.com/redshift/latest/dg/performing-a-deep-copy.html): the table
   * created again as `to` declares it under another name, its rows inserted, the old one
   * dropped and the copy renamed. Not ALTER COLUMN … TYPE: Redshift refuses it on a column
   * in a primary or unique key (load_ledger.path is one) and inside a transaction block
   * (AWS "ALTER TABLE", https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html);
   * these four statements run in the migration's transaction, so a failure changes nothing.
   * The insert fails on a value longer than a narrowed column, as an explicit cast would
   * not. Grants on the old table do not follow it to the copy: the deep copy page says to
   * grant them again (the tool's own tables have none).
   */
  override resizeColumns(from: TableDeclaration, to: TableDeclaration): string[] {
    if (resizedColumns(from, to).length === 0) return [];
    const copy = `${to.name}__resized`;
    const columns = columnList(to.columns.map((c) => c.name));
    return [
      this.createTableStatement({ ...to, name: copy }),
      `insert into ${quoteIdentifier(copy)} (${columns}) select ${columns} from ${quoteIdentifier(to.name)}`,
      `drop table ${quoteIdentifier(to.name)}`,
      `alter table ${quoteIdentifier(copy)} rename to ${quoteIdentifier(to.name)}`,
    ];
  }

  protected override columnType(type: ColumnType): string {
    switch (type.kind) {
      case 'identity':
        return 'bigint identity(1, 1)';
      case 'timestamp':
        return 'timestamp';
      case 'timestamptz':
        return 'timestamptz';
      default:
        return super.columnType(type);
    }
  }

  /**
   * Encodings only for the star tables, which live long and are scanned by analysts;
   * staging tables keep Redshift's ENCODE AUTO. The first sort key column stays raw
   * so range-restricted scans stay cheap (AWS: "don't compress the sort key's first column").
   */
  protected override columnAttributes(table: TableDeclaration, column: string): string {
    if (table.layer !== 'star') return '';
    if (table.sortKey?.[0] === column) return ' encode raw';
    const type = table.columns.find((c) => c.name === column)!.type;
    return ` encode ${type.kind === 'varchar' || type.kind === 'double' ? 'zstd' : 'az64'}`;
  }

  protected override tableConstraints(table: TableDeclaration): string[] {
    return table.uniqueKey ? [`  unique (${columnList(table.uniqueKey)})`] : [];
  }

  protected override tableAttributes(table: TableDeclaration): string {
    const parts: string[] = [];
    const dist = table.distribution;
    parts.push(`diststyle ${dist.style}`);
    if (dist.style === 'key') parts.push(`distkey (${quoteIdentifier(dist.column)})`);
    if (table.sortKey) parts.push(`compound sortkey (${columnList(table.sortKey)})`);
    return `\n${parts.join('\n')}`;
  }
}

export const redshift = new RedshiftDialect();

// The data-quality checks the table declarations imply, the way dbt keeps key tests beside
// their models: a table declared in a migration gets its checks with no line in transforms/.
// From each declaration (src/schema/table.ts):
// - rows: the table is not empty;
// - primaryKey: each column not null, and the key unique;
// - uniqueKey: unique (rows with a null in it are not duplicates, as in SQL's UNIQUE);
//   both uniqueness checks only where the engine does not enforce the keys itself
//   (capability enforcesUniqueKeys: Redshift counts copies, PostgreSQL refuses them);
// - references: each row's columns name a row of the other table (or are null, if nullable);
// - a column's accepted values.
// A table's checks share one scan (check-step.ts): the table left-joined to each table it
// references, so the fact is read once for all of its checks.
import { declaredTables } from '../migrate/declarations';
import type { Dialect } from '../dialects';
import { ConfigError } from '../errors';
import type { Column, Reference, TableDeclaration } from '../schema/table';
import type { CheckPlan, QualityCheck, TableScan } from './check-step';
import { inRange, inScope, SCOPE_TABLE, scopeOf, scopeRows } from './check-scope';

/** The star tables by name, each as the latest migration that exports it declares it. */
export function starTables(migrationsDir?: string): TableDeclaration[] {
  return [...declaredTables(migrationsDir).values()]
    .map((t) => t.declaration)
    .filter((t) => t.layer === 'star')
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function declaredChecks(tables: TableDeclaration[]): CheckPlan {
  for (const table of tables) validate(table);
  const read = tables.flatMap((t) => [t.name, ...(t.references ?? []).map((r) => r.table)]);
  return {
    tables: [...new Set([...read, SCOPE_TABLE])],
    scans: (dialect, incremental = () => false) =>
      tables.map((table) => scanOf(table, dialect, incremental(table.name))),
  };
}

/**
 * The SQL pieces of one table's checks, quoted for the dialect. `incremental`: only the rows
 * the runs wrote since the last checks (check-scope.ts), and the rows their writes could
 * have orphaned; otherwise every row.
 */
function scanOf(table: TableDeclaration, dialect: Dialect, incremental: boolean): TableScan {
  const q = (name: string) => dialect.quoteIdentifier(name);
  const from = q(table.name);
  const col = (name: string) => `${from}.${q(name)}`;
  const cols = (names: string[]) => names.map(col).join(', ');
  const allSet = (names: string[]) => names.map((c) => `${col(c)} is not null`).join(' and ');
  // Offending rows are shown by their primary key, then the columns the check is about.
  const shown = (names: string[]) => cols([...new Set([...(table.primaryKey ?? []), ...names])]);
  const scope = incremental ? scopeOf(table) : { kind: 'whole' as const };
  const scoped = incremental ? inScope(table, from) : undefined;
  const where = (...conditions: string[]) => [...(scoped ? [scoped] : []), ...conditions].join(' and ');
  const refs = (table.references ?? []).map((ref, i) => ({ ...ref, alias: `ref_${i + 1}` }));
  // A reference on the range's own column reads the referenced table in that range only.
  const sameRange = (ref: Reference & { alias: string }) =>
    scope.kind === 'range' && ref.columns.length === 1 && ref.columns[0] === scope.column
      ? [inRange(table.name, `${ref.alias}.${q(ref.key[0])}`)]
      : [];
  const joinOf = (ref: Reference & { alias: string }, gap = '\n    ') =>
    `left join ${q(ref.table)} as ${ref.alias}${gap}on ${[...ref.key.map((k, i) => `${ref.alias}.${q(k)} = ${col(ref.columns[i])}`), ...sameRange(ref)].join(`${gap}and `)}`;
  const keyName = (names: string[]) =>
    names.length === 1 ? `${table.name}.${names[0]}` : `${table.name} (${names.join(', ')})`;
  const count = (condition: string) => `sum(case when ${condition} then 1 else 0 end)`;
  // A tally the scan's rows cannot give (incremental checks) is an uncorrelated scalar subquery
  // in its select list, which Redshift runs once (AWS "Scalar subqueries",
  // https://docs.aws.amazon.com/redshift/latest/dg/r_scalar_subqueries.html).
  const rowsOf = (sql: string) => `(select count(*) from (${sql}) as counted)`;

  const checks: Array<Omit<QualityCheck, 'alias'> & { label: string }> = [
    {
      name: `${table.name} has rows`,
      label: 'no_rows',
      // Incremental: one row of the table is enough to know, wherever it is.
      tally: incremental
        ? `case when ${rowsOf(`select 1 from ${from} limit 1`)} = 0 then 1 else 0 end`
        : 'case when count(*) = 0 then 1 else 0 end',
      sql: `select count(*) as row_count from ${from} having count(*) = 0`,
    },
  ];
  for (const column of table.primaryKey ?? []) {
    // A row whose scope column is null is in no range and has no key: the writers count such rows apart.
    const unscoped = scope.kind !== 'whole' && scope.column === column;
    checks.push({
      name: `${table.name}.${column} is not null`,
      label: `${column}_nulls`,
      tally: unscoped
        ? rowsOf(`select 1 from ${SCOPE_TABLE} where ${scopeRows(table.name, 'nulls')}`)
        : `count(*) - count(${col(column)})`,
      sql: `select * from ${from} where ${unscoped ? `${col(column)} is null` : where(`${col(column)} is null`)}`,
    });
  }
  // Where the engine enforces the keys, a copy cannot be there to count: skipping the count
  // saves its sort (docs/performance.md, "Figures behind comments").
  const keys = dialect.capabilities.enforcesUniqueKeys
    ? []
    : [table.primaryKey, table.uniqueKey].filter((k): k is string[] => !!k?.length);
  for (const key of keys.filter((k, i) => i === 0 || k.join() !== keys[0].join())) {
    // COUNT(DISTINCT) takes one expression on Redshift: a key of several columns is
    // counted as their text joined by '|', null if any part is (AWS "|| (Concatenation)
    // operator", https://docs.aws.amazon.com/redshift/latest/dg/r_concat_op.html; CAST,
    // https://docs.aws.amazon.com/redshift/latest/dg/r_CAST_function.html). Two keys whose
    // texts collide only make the scan ask the check's own query, which groups the columns.
    // Incremental, the copies of a key are all in its scope: the key's (the same key), or
    // the range's (a play's key determines its start_time, as the fact's insert relies on).
    const value = key.length === 1 ? col(key[0]) : key.map((c) => asText(table, c, col(c))).join(` || '|' || `);
    checks.push({
      name: `${keyName(key)} is unique`,
      label: `${key.join('_')}_copies`,
      tally: `count(${value}) - count(distinct ${value})`,
      sql: `select ${cols(key)}, count(*) as copies from ${from} where ${where(allSet(key))} group by ${cols(key)} having count(*) > 1`,
    });
  }
  for (const ref of refs) {
    const missing = [...(ref.nullable ? [allSet(ref.columns)] : []), `${ref.alias}.${q(ref.key[0])} is null`].join(
      ' and ',
    );
    checks.push({
      name: `${keyName(ref.columns)} is in ${ref.table}${ref.nullable ? ' or null' : ''}`,
      label: `${ref.columns.join('_')}_not_in_${ref.table}`,
      tally: count(missing),
      sql: `select ${shown(ref.columns)} from ${from} ${joinOf(ref, ' ')} where ${where(missing)}`,
    });
  }
  for (const column of table.columns.filter((c) => c.accepted)) {
    const { values, orNull } = column.accepted!;
    const list = values.map((v) => dialect.quoteLiteral(v));
    const breach = orNull
      ? `${col(column.name)} is not null and ${col(column.name)} not in (${list.join(', ')})`
      : `${col(column.name)} is null or ${col(column.name)} not in (${list.join(', ')})`;
    checks.push({
      name: `${table.name}.${column.name} is ${phrase([...list, ...(orNull ? ['unknown'] : [])])}`,
      label: `${column.name}_not_accepted`,
      tally: count(breach),
      sql: `select ${shown([column.name])} from ${from} where ${where(`(${breach})`)}`,
    });
  }
  // Incremental: keys a run replaced, and values it wrote into rows outside its scope (an
  // update), must still lead to a row; the rows holding one that does not are found by it.
  for (const ref of incremental ? refs.filter((r) => r.columns.length === 1 && isText(table, r.columns[0])) : []) {
    const kept = (alias: string) => `${alias}.${q(ref.key[0])}`;
    const gone = `select written.key_value from ${SCOPE_TABLE} as written left join ${q(ref.table)} as kept on ${kept('kept')} = written.key_value where (${scopeRows(ref.table, 'key', undefined, 'written')} or ${scopeRows(table.name, 'value', ref.columns[0], 'written')}) and ${kept('kept')} is null`;
    checks.push({
      name: `${keyName(ref.columns)} is in ${ref.table}, for the keys runs replaced or updated`,
      label: `${ref.columns[0]}_lost_in_${ref.table}`,
      tally: rowsOf(gone),
      sql: `select ${shown(ref.columns)} from ${from} where ${col(ref.columns[0])} in (${gone})`,
    });
  }
  return {
    from: [from, ...refs.map((ref) => joinOf(ref))].join('\n') + (scoped ? `\nwhere ${scoped}` : ''),
    checks: withAliases(checks),
  };
}

function isText(table: TableDeclaration, name: string): boolean {
  return table.columns.find((c) => c.name === name)?.type.kind === 'varchar';
}

/** A column as text, for a key of several columns. */
function asText(table: TableDeclaration, name: string, sql: string): string {
  const column = table.columns.find((c) => c.name === name) as Column;
  return column.type.kind === 'varchar' ? sql : `cast(${sql} as varchar(64))`;
}

/** 'a', 'b' or 'c' */
function phrase(items: string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Each tally's column name: its label, lower case, short enough for PostgreSQL (63 bytes), unique. */
function withAliases(checks: Array<Omit<QualityCheck, 'alias'> & { label: string }>): QualityCheck[] {
  const used = new Set<string>();
  return checks.map(({ label, ...check }) => {
    const base = label
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .slice(0, 56);
    let alias = base;
    for (let n = 2; used.has(alias); n++) alias = `${base}_${n}`;
    used.add(alias);
    return { ...check, alias };
  });
}

/** A declaration whose checks would not be valid SQL says which line to fix. */
function validate(table: TableDeclaration): void {
  const names = new Set(table.columns.map((c) => c.name));
  const unknown = (cols: string[] | undefined) => (cols ?? []).filter((c) => !names.has(c));
  const problems = [
    ...unknown(table.primaryKey).map((c) => `primaryKey names "${c}"`),
    ...unknown(table.uniqueKey).map((c) => `uniqueKey names "${c}"`),
    ...(table.references ?? []).flatMap((r) => [
      ...unknown(r.columns).map((c) => `a reference to ${r.table} names "${c}"`),
      ...(r.columns.length === r.key.length && r.key.length > 0
        ? []
        : [`the reference to ${r.table} has ${r.columns.length} column(s) for a key of ${r.key.length}`]),
    ]),
  ];
  if (problems.length > 0) {
    throw new ConfigError(
      `The declaration of ${table.name}: ${problems.join('; ')}. Declare only its own columns (${[...names].join(', ')}), one per key column of the table referenced, in the migration that exports it.`,
    );
  }
}

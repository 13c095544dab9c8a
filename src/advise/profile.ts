// The data's side of the advice, computed in the warehouse in SQL both engines run:
// each table's rows and bytes, and for each candidate column its NULLs, distinct
// values, rows per slice (slice-hash.ts) and how closely its order follows load order.
// Every query aggregates in the database and returns at most one row per slice, so
// memory stays bounded whatever the table size.
import type { Knex } from 'knex';
import { quoteIdentifier } from '../dialects/dialect';
import type { TableDeclaration } from '../schema/table';
import { runVerbatim } from '../verbatim';
import { sliceSql } from './slice-hash';

interface ColumnProfile {
  column: string;
  rows: number;
  nulls: number;
  distinct: number;
  /** Rows per slice, NULLs included (on slice 0). */
  sliceRows: number[];
  /** Rows on the fullest slice ÷ rows per slice if spread evenly. */
  skew: number;
  /** Spearman correlation of the column's order with load order; undefined without a load-order column. */
  loadCorrelation?: number;
}

export interface TableProfile {
  table: string;
  rows: number;
  /** Sum of the values' text lengths: an estimate of the table's uncompressed size. */
  bytes: number;
  /** The column that numbers rows as they were loaded (an identity column), if any. */
  loadOrder?: string;
  columns: ColumnProfile[];
}

/**
 * A column as text, the same on both engines: varchar columns as they are (a cast to
 * bare `varchar` means varchar(256) on Redshift and would cut longer values), other
 * types cast to varchar(64), which holds any number or timestamp.
 */
export function valueText(table: TableDeclaration, column: string): string {
  const type = table.columns.find((c) => c.name === column)?.type;
  return type?.kind === 'varchar' ? quoteIdentifier(column) : `cast(${quoteIdentifier(column)} as varchar(64))`;
}

export function tableSizeSql(table: TableDeclaration): string {
  const widths = table.columns.map((c) => `coalesce(octet_length(${valueText(table, c.name)}), 0)`).join('\n      + ');
  return `select\n    count(*) as row_count,\n    coalesce(sum(\n      ${widths}\n    ), 0) as text_bytes\nfrom ${quoteIdentifier(table.name)}`;
}

export function columnStatsSql(table: string, column: string): string {
  const col = quoteIdentifier(column);
  return `select\n    count(*) as row_count,\n    count(${col}) as non_null,\n    count(distinct ${col}) as distinct_values\nfrom ${quoteIdentifier(table)}`;
}

/** Rows per slice of `text` (a column as text: valueText), NULLs on slice 0. */
export function slicePlacementSql(table: string, text: string, slices: number): string {
  return `with placed as (
    select ${sliceSql(text, slices)} as slice
    from ${quoteIdentifier(table)}
)

select slice, count(*) as row_count
from placed
group by slice
order by slice`;
}

/** Pearson correlation of the two rank orders (Spearman), from sums so it runs on both engines. */
export function loadCorrelationSql(table: string, column: string, loadOrder: string): string {
  const col = quoteIdentifier(column);
  return `with ranked as (
    select
        cast(rank() over (order by ${col}) as double precision) as value_rank,
        cast(row_number() over (order by ${quoteIdentifier(loadOrder)}) as double precision) as load_rank
    from ${quoteIdentifier(table)}
    where ${col} is not null
)

select
    count(*) as n,
    sum(value_rank) as sx,
    sum(load_rank) as sy,
    sum(value_rank * value_rank) as sxx,
    sum(load_rank * load_rank) as syy,
    sum(value_rank * load_rank) as sxy
from ranked`;
}

export function spearmanFromSums(s: {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
}): number | undefined {
  const cov = s.n * s.sxy - s.sx * s.sy;
  const vx = s.n * s.sxx - s.sx * s.sx;
  const vy = s.n * s.syy - s.sy * s.sy;
  if (s.n < 2 || vx <= 0 || vy <= 0) return undefined;
  return cov / Math.sqrt(vx * vy);
}

export function skewOf(sliceRows: number[], slices: number): number {
  const total = sliceRows.reduce((a, b) => a + b, 0);
  if (total === 0) return 1;
  return Math.max(...sliceRows) / (total / slices);
}

export async function profileTable(
  db: Knex,
  table: TableDeclaration,
  columns: string[],
  slices: number,
): Promise<TableProfile> {
  const size = (await runVerbatim(db, tableSizeSql(table))).rows[0];
  const loadOrder = table.columns.find((c) => c.type.kind === 'identity')?.name;
  const profiles: ColumnProfile[] = [];
  for (const column of columns) {
    const stats = (await runVerbatim(db, columnStatsSql(table.name, column))).rows[0];
    const sliceRows = new Array<number>(slices).fill(0);
    for (const row of (await runVerbatim(db, slicePlacementSql(table.name, valueText(table, column), slices))).rows)
      sliceRows[Number(row.slice)] = Number(row.row_count);
    const rows = Number(stats.row_count);
    let loadCorrelation: number | undefined;
    if (loadOrder && loadOrder !== column) {
      const s = (await runVerbatim(db, loadCorrelationSql(table.name, column, loadOrder))).rows[0];
      loadCorrelation = spearmanFromSums({
        n: Number(s.n),
        sx: Number(s.sx),
        sy: Number(s.sy),
        sxx: Number(s.sxx),
        syy: Number(s.syy),
        sxy: Number(s.sxy),
      });
    } else if (loadOrder === column) loadCorrelation = 1;
    profiles.push({
      column,
      rows,
      nulls: rows - Number(stats.non_null),
      distinct: Number(stats.distinct_values),
      sliceRows,
      skew: skewOf(sliceRows, slices),
      loadCorrelation,
    });
  }
  return {
    table: table.name,
    rows: Number(size.row_count),
    bytes: Number(size.text_bytes),
    loadOrder,
    columns: profiles,
  };
}

// A saved query's result as a chart reads it: cells as numbers or labels, the columns a
// chart draws, and the message that names the fix when the query does not fit its chart.
import type { QueryResult } from '../query/results';
import { ConfigError } from '../errors';
import type { ChartSpec } from './saved-queries';

/** A cell as the chart reads it: pg returns bigint and numeric as strings. */
export function numberOf(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The cells of one column, by its position. */
function columnCells(result: QueryResult, index: number): unknown[] {
  return result.rows.map((row) => row[index]);
}

function isNumericColumn(result: QueryResult, index: number): boolean {
  const present = columnCells(result, index).filter((v) => v !== null && v !== undefined);
  return present.length > 0 && present.every((v) => numberOf(v) !== null && typeof v !== 'boolean');
}

/** Distinct values in order of first appearance; numbers sorted, since they have an order of their own. */
export function categories(values: unknown[]): string[] {
  const distinct = [...new Set(values.map(labelOf))];
  return distinct.every((v) => numberOf(v) !== null) ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct;
}

export function labelOf(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/**
 * The columns a bar or line chart draws, by position: those the header names (the first
 * after the label column of each name), else the first numeric one.
 */
export function valueColumns(spec: ChartSpec, result: QueryResult): number[] {
  const rest = result.columns.slice(1);
  if (spec.values.length > 0) {
    const unknown = spec.values.filter((v) => !rest.includes(v));
    if (unknown.length > 0) {
      throw new ConfigError(
        `the chart line names ${unknown.join(', ')}, which the query does not return after its label column; it returns ${rest.join(', ')}.`,
      );
    }
    return spec.values.map((v) => rest.indexOf(v) + 1);
  }
  const first = rest.findIndex((_, i) => isNumericColumn(result, i + 1));
  if (first < 0)
    throw new ConfigError(
      `the query returns no numeric column after its label column ${result.columns[0]}, so there is nothing to chart.`,
    );
  return [first + 1];
}

export function needColumns(result: QueryResult, count: number, what: string): void {
  if (result.columns.length < count) {
    throw new ConfigError(
      `a ${what} needs ${count} columns (${count === 3 ? 'label, label, value' : 'label, value'}); the query returns ${result.columns.join(', ')}.`,
    );
  }
}

// The COPY engine: S3 objects → JSON records → rows for the target columns, plus STL_LOAD_ERRORS records and MAXERROR.
import { RedshiftError, loadFailed } from './errors';
import { columnType, convert, rawText, stlType, type ColumnType, type ConvertOptions } from './convert';
import { JsonSyntaxError, parseRecord, splitRecords, type JsonValue } from './json';
import { evaluate, parseJsonPathsFile, type Step } from './jsonpaths';
import { inflate, readObject, sourceFiles, type S3Reader } from './s3';
import type { CopyStatement } from './parse';

export { RedshiftError, loadFailed } from './errors';
export { parseCopy, type CopyStatement } from './parse';
export { s3Reader, type S3Reader } from './s3';

// notNull is optional: when given, a NULL for the column is a load error (err_code 1213) as on Redshift; when absent the
// backing PostgreSQL's constraint refuses the insert instead.
export interface TargetColumn {
  name: string;
  pgType: string;
  identity: boolean;
  notNull?: boolean;
}
export interface LoadErrorRecord {
  file: string;
  line: number;
  column: string;
  type: string;
  columnLength: string;
  position: number;
  rawLine: string;
  rawFieldValue: string;
  errCode: number;
  reason: string;
}
export interface FileScan {
  url: string;
  bytes: number;
  linesScanned: number;
  errors: number;
}
export interface CopyResult {
  columns: string[];
  rows: Array<Array<string | null>>;
  errors: LoadErrorRecord[];
  files: FileScan[];
  failure?: RedshiftError;
}

// AWS "Column mapping options", https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-column-mapping.html: "If no column list
// is specified, the command behaves as if a complete, in-order column list was specified, with IDENTITY columns omitted if
// EXPLICIT_IDS was also not specified"; "If an IDENTITY column is included in the column list, then EXPLICIT_IDS must also be
// specified" (EXPLICIT_IDS is not emulated). Columns left out of the list get their DEFAULT from the caller's insert.
// Unquoted and quoted names alike are matched in lower case: Redshift folds identifiers (enable_case_sensitive_identifier off).
function targetColumns(statement: CopyStatement, table: TargetColumn[]): TargetColumn[] {
  if (!statement.columns) return table.filter((c) => !c.identity);
  const seen = new Set<string>();
  return statement.columns.map((given) => {
    const name = given.toLowerCase();
    const column = table.find((c) => c.name === name);
    if (!column) throw new RedshiftError(`column "${name}" of relation "${statement.table}" does not exist`, '42703');
    if (seen.has(name)) throw new RedshiftError(`column "${name}" specified more than once`, '42701');
    if (column.identity)
      throw new RedshiftError(
        `Identity column "${name}" can't be in the COPY column list without EXPLICIT_IDS`,
        '0A000',
      );
    seen.add(name);
    return column;
  });
}

type Lookup = (root: JsonValue) => Array<JsonValue | undefined | 'array miss'> | string;

// 'auto': "matching is case-sensitive"; 'auto ignorecase': "the matching isn't case-sensitive"; "Any names that don't match a column
// name are ignored"; "If your data files use arrays, you must specify a JSONPaths file" (copy-parameters-data-format.html#copy-json).
// A JSONPaths file: "The order of the jsonpaths array elements must match the order of the columns in the target table or the column
// list" (copy-usage_notes-copy-from-json.html); a count mismatch fails the COPY in the wording Redshift users report.
async function lookupFor(statement: CopyStatement, columns: TargetColumn[], s3: S3Reader): Promise<Lookup> {
  const paths: Step[][] | undefined =
    statement.format.kind === 'jsonpaths'
      ? parseJsonPathsFile((await readObject(s3, statement.format.uri, 'JSONPaths file')).toString('utf8'))
      : undefined;
  if (paths) {
    if (paths.length !== columns.length)
      throw new RedshiftError(
        `Number of jsonpaths and the number of columns should match. JSONPath size: ${paths.length}, Number of columns in table or column list: ${columns.length}`,
      );
    return (root) => paths.map((steps) => evaluate(root, steps));
  }
  const ignoreCase = statement.format.kind === 'auto ignorecase';
  return (root) => {
    if (root.kind !== 'object') return 'Invalid JSON object: an array record needs a JSONPaths file';
    const byName = ignoreCase ? new Map([...root.entries].map(([k, v]) => [k.toLowerCase(), v])) : root.entries;
    return columns.map((c) => byName.get(c.name));
  };
}

// STL_LOAD_ERRORS: raw_line character(1024), raw_field_value char(1024), err_reason character(100); "Multibyte characters in the load
// data are replaced with a period" (AWS "STL_LOAD_ERRORS", https://docs.aws.amazon.com/redshift/latest/dg/r_STL_LOAD_ERRORS.html;
// the tutorial shows the same in raw_field_value). NUL becomes a period too, for PostgreSQL.
const periods = (text: string) => text.replace(/[^\x01-\x7f]/gu, '.').slice(0, 1024);

// AWS "Data format parameters" (#copy-json-data-file): "The maximum size of a single JSON object or array, including braces or brackets,
// is 4 MB … the COPY command fails." The docs do not give the message.
const maxRecordBytes = 4 * 1024 * 1024;

export async function executeCopy(statement: CopyStatement, table: TargetColumn[], s3: S3Reader): Promise<CopyResult> {
  const columns = targetColumns(statement, table);
  const types: ColumnType[] = columns.map((c) => columnType(c.pgType));
  const lookup = await lookupFor(statement, columns, s3);
  const files = await sourceFiles(s3, statement.from, statement.manifest);
  const options: ConvertOptions = statement;
  const result: CopyResult = { columns: columns.map((c) => c.name), rows: [], errors: [], files: [] };
  // AWS "Data load operations", https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-load.html#copy-maxerror: "If the load
  // returns the error_count number of errors or greater, the load fails … Set this value to 0 or 1 if you want the load to fail as soon
  // as the first error occurs." Scanning stops at the failure; rows are dropped since nothing is loaded.
  const threshold = Math.max(statement.maxError, 1);
  for (const file of files) {
    const body = inflate(file, statement.gzip);
    const { records, lines } = splitRecords(body);
    const scan: FileScan = { url: file.url, bytes: file.size, linesScanned: lines, errors: 0 };
    result.files.push(scan);
    for (const record of records) {
      if (record.end - record.start > maxRecordBytes)
        throw new RedshiftError(
          `JSON object or array exceeds the 4 MB maximum size (file ${file.url}, line ${record.lastLine})`,
        );
      const rawLine = periods(body.toString('utf8', record.start, record.end));
      // "The LINE_NUMBER column records the last line of the JSON object that caused the error" (#copy-json-data-file).
      const error = (
        code: number,
        reason: string,
        at?: { column: TargetColumn; type: ColumnType; raw: string; position: number },
      ): LoadErrorRecord => ({
        file: file.url,
        line: record.lastLine,
        column: at?.column.name ?? '',
        type: at ? stlType(at.type).type : '',
        columnLength: at ? stlType(at.type).length : '',
        position: at?.position ?? 0,
        rawLine,
        rawFieldValue: periods(at?.raw ?? ''),
        errCode: code,
        reason: reason.slice(0, 100),
      });
      const outcome = loadRecord(body, record, statement.acceptInvChars, lookup, columns, types, options, error);
      if (Array.isArray(outcome)) {
        result.rows.push(outcome);
        continue;
      }
      result.errors.push(outcome);
      scan.errors++;
      if (result.errors.length >= threshold) return { ...result, rows: [], failure: loadFailed(statement.table) };
    }
  }
  return result;
}

type MakeError = (
  code: number,
  reason: string,
  at?: { column: TargetColumn; type: ColumnType; raw: string; position: number },
) => LoadErrorRecord;

// One record → its row, or its first error. Malformed JSON and text outside any structure are err_code 1216 ("Input line is not
// valid", AWS "Load error reference", https://docs.aws.amazon.com/redshift/latest/dg/r_Load_Error_Reference.html); the docs do not
// give the reason text.
function loadRecord(
  body: Buffer,
  record: { start: number; end: number; garbage: boolean },
  replacement: string | undefined,
  lookup: Lookup,
  columns: TargetColumn[],
  types: ColumnType[],
  options: ConvertOptions,
  error: MakeError,
): Array<string | null> | LoadErrorRecord {
  if (record.garbage) return error(1216, 'Invalid JSON object: characters outside a JSON object or array');
  let root: JsonValue;
  try {
    root = parseRecord(body, record.start, record.end, replacement);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return error(1216, `Invalid JSON object: ${e.message}`);
    throw e;
  }
  const values = lookup(root);
  if (typeof values === 'string') return error(1216, values);
  const row: Array<string | null> = [];
  for (const [i, v] of values.entries()) {
    const column = columns[i];
    const at = { column, type: types[i], raw: v === undefined || v === 'array miss' ? '' : rawText(v), position: -1 };
    if (v === 'array miss') return error(1216, 'Invalid JSONPath format: Not an array or index out of range.', at);
    const converted = convert(v, types[i], options);
    if ('code' in converted) return error(converted.code, converted.reason, { ...at, position: converted.position });
    // AWS "Loading default column values", https://docs.aws.amazon.com/redshift/latest/dg/c_loading_default_values.html: "If COPY
    // attempts to assign NULL to a column that is defined as NOT NULL, the COPY command fails"; err_code 1213 "A field specified as
    // NOT NULL contained no data" (Load error reference), reason in the wording Redshift reports.
    if (converted.value === null && column.notNull) return error(1213, 'Missing data for not-null field', at);
    row.push(converted.value);
  }
  return row;
}

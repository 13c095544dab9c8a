// An independent grammar for the SQL we send to Redshift: sqlfluff's `redshift` dialect
// (Debian package `sqlfluff`). sqlfluff takes seconds to start, so every statement is
// written to its own file in one temp folder and parsed by a single `sqlfluff parse`;
// each file's parse tree is then searched for the segments sqlfluff could not parse,
// and mapped back to the statement's name.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface NamedStatement {
  /** Where the statement comes from, e.g. "transform --full-refresh: 070_fact_songplays #3". */
  name: string;
  sql: string;
}

export interface GrammarProblem {
  /** Every name that rendered this exact text (the same statement often comes from several sources). */
  names: string[];
  sql: string;
  /** The text of each segment sqlfluff marked unparsable or unlexable. */
  segments: string[];
}

/** One entry of `sqlfluff parse --format json`: the file and its parse tree (null when the file held nothing). */
export interface SqlfluffFileResult {
  filepath: string;
  segments: unknown;
}

/** `sqlfluff --version`, or undefined when it is not installed. */
export function sqlfluffVersion(): string | undefined {
  const result = spawnSync('sqlfluff', ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim();
}

const BAD_SEGMENT_TYPES = new Set(['unparsable', 'unlexable']);

/** The raw text of a parse-tree node: its leaves (strings), in order. */
function rawText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(rawText).join('');
  if (node && typeof node === 'object') return Object.values(node).map(rawText).join('');
  return '';
}

/**
 * The text of every unparsable or unlexable segment in a parse tree. sqlfluff's JSON gives a
 * node as { type: child }, or a list of such objects when a node has several children of one type.
 */
export function badSegments(tree: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      for (const [type, child] of Object.entries(node)) {
        if (BAD_SEGMENT_TYPES.has(type)) found.push(rawText(child).trim());
        else walk(child);
      }
    }
  };
  walk(tree);
  return found;
}

/**
 * Maps sqlfluff's per-file results back to the statements. A file sqlfluff left out of its
 * answer, or gave no tree for, is a problem too: the check must not pass by parsing nothing.
 */
export function problemsIn(
  results: SqlfluffFileResult[],
  files: Map<string, { names: string[]; sql: string }>,
): GrammarProblem[] {
  const problems: GrammarProblem[] = [];
  const seen = new Set<string>();
  for (const result of results) {
    const file = path.basename(result.filepath);
    const statement = files.get(file);
    if (!statement) continue;
    seen.add(file);
    if (result.segments === null || result.segments === undefined) {
      problems.push({ ...statement, segments: ['(sqlfluff returned no parse tree)'] });
      continue;
    }
    const segments = badSegments(result.segments);
    if (segments.length) problems.push({ ...statement, segments });
  }
  for (const [file, statement] of files) {
    if (!seen.has(file)) problems.push({ ...statement, segments: [`(sqlfluff did not report ${file})`] });
  }
  return problems;
}

/** Statements with the same text are parsed once. */
function distinct(statements: NamedStatement[]): Array<{ names: string[]; sql: string }> {
  const byText = new Map<string, string[]>();
  for (const { name, sql } of statements) {
    const text = sql.trim();
    if (!text) throw new Error(`${name} is an empty statement`);
    byText.set(text, [...(byText.get(text) ?? []), name]);
  }
  return [...byText].map(([sql, names]) => ({ sql, names }));
}

// raw: our SQL is not a Jinja template. The size limit would make sqlfluff skip a large file silently.
const CONFIG = `[sqlfluff]
templater = raw
large_file_skip_byte_limit = 0
`;

/** Parses every statement with one sqlfluff run; returns the statements it could not parse. */
export async function parseWithSqlfluff(
  statements: NamedStatement[],
  dialect = 'redshift',
): Promise<{ problems: GrammarProblem[]; parsed: number }> {
  const unique = distinct(statements);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlfluff-grammar-'));
  try {
    const sqlDir = path.join(dir, 'sql');
    fs.mkdirSync(sqlDir);
    const files = new Map<string, { names: string[]; sql: string }>();
    unique.forEach((statement, index) => {
      const file = `${String(index).padStart(4, '0')}.sql`;
      fs.writeFileSync(path.join(sqlDir, file), `${statement.sql}\n`);
      files.set(file, statement);
    });
    const config = path.join(dir, 'sqlfluff.cfg');
    fs.writeFileSync(config, CONFIG);
    const output = path.join(dir, 'parse.json');
    const args = [
      'parse',
      '--dialect',
      dialect,
      '--templater',
      'raw',
      '--format',
      'json',
      '--encoding',
      'utf-8',
      '--nofail',
    ];
    args.push('--ignore-local-config', '--config', config, '--write-output', output, sqlDir);
    try {
      await promisify(execFile)('sqlfluff', args, { maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const { stderr, message } = error as { stderr?: string; message: string };
      throw new Error(`sqlfluff ${args.join(' ')} failed: ${stderr?.trim() || message}`, { cause: error });
    }
    const results = JSON.parse(fs.readFileSync(output, 'utf8')) as SqlfluffFileResult[];
    return { problems: problemsIn(results, files), parsed: files.size };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Statements sqlfluff refuses although AWS documents them as valid: the statement (a pattern
 * over its text), the segment refused, and the AWS page that allows it. Nothing else may be
 * unparsable.
 */
const KNOWN_GAPS: Array<{ statement: RegExp; segment: RegExp; aws: string }> = [
  {
    // `alter table … add column name type encode enc`: sqlfluff 1.4.5's redshift grammar has
    // no ENCODE in ADD COLUMN; AWS's syntax is "ADD [ COLUMN ] column_name column_type
    // [ DEFAULT default_expr ] [ ENCODE encoding ] [ NOT NULL | NULL ]".
    statement: /^(?:\s*--[^\n]*\n)*\s*alter table \S+ add column /i,
    segment: /^encode (az64|zstd|raw|lzo|bytedict|delta|delta32k|mostly8|mostly16|mostly32|runlength|text255|text32k)$/,
    aws: 'https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html',
  },
  {
    // sqlfluff 1.4.5 takes no on/off value in SET; AWS's own example is
    // "SET enable_result_cache_for_session TO off;".
    statement: /^\s*set enable_result_cache_for_session to (on|off)\s*$/i,
    segment: /^set enable_result_cache_for_session to (on|off)$/i,
    aws: 'https://docs.aws.amazon.com/redshift/latest/dg/r_enable_result_cache_for_session.html',
  },
];

/** Every segment sqlfluff refused is one of its known gaps. */
export function isKnownGap(problem: GrammarProblem): boolean {
  return problem.segments.every((segment) =>
    KNOWN_GAPS.some((gap) => gap.statement.test(problem.sql) && gap.segment.test(segment)),
  );
}

/** A problem as a reader needs it: every name, the statement, and the segments refused. */
export function describeProblem(problem: GrammarProblem): string {
  return [
    `${problem.names.join('\n')}`,
    `  unparsable: ${problem.segments.map((s) => JSON.stringify(s)).join(', ')}`,
    ...problem.sql.split('\n').map((line) => `  | ${line}`),
  ].join('\n');
}

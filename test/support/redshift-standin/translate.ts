// One Redshift statement → what the backing PostgreSQL session runs, or Redshift's refusal.
// Redshift's own forms (DISTSTYLE, DISTKEY, SORTKEY, ENCODE, BACKUP, IDENTITY, VARCHAR(MAX),
// LOCK without a mode, ALTER … DISTSTYLE/SORTKEY, its session settings) are rewritten into
// PostgreSQL with the same effect, and their keys are reported so the catalog can show them;
// PostgreSQL-only syntax that Redshift lacks is refused, so that SQL which passes here is SQL
// Redshift parses. Works on tokens (statements.ts), never on raw text.
import type { TableKeys } from './catalog';
import { render, significant, tokenize, type Token } from './statements';

/** Keys as CREATE TABLE declared them: the catalog's record without the schema. */
export type DeclaredKeys = Omit<TableKeys, 'schema'>;

/** What one ALTER TABLE changes; the rest of the table's keys stay as they were. */
export interface KeyChange {
  table: string;
  diststyle?: string;
  distkey?: string | null;
  sortkeyKind?: string;
  sortkey?: string[];
  encodings?: Record<string, string>;
  /** ALTER ENCODE AUTO: every column's encoding goes back to Redshift's choice. */
  encodeAuto?: boolean;
}

export interface RedshiftRefusal {
  code: string;
  message: string;
}

export type Translation =
  | {
      kind: 'run';
      /** Run in order on the backing session; the last one's result is the client's. */
      sql: string[];
      /** The command tag the client gets, when it is not the backing statement's own. */
      tag?: string;
      createdTable?: DeclaredKeys;
      alteredKeys?: KeyChange;
      droppedTables?: string[];
      commitsTransaction?: boolean;
    }
  | { kind: 'copy' }
  | { kind: 'ignore'; tag: string }
  | { kind: 'refuse'; error: RedshiftRefusal };

export interface TranslateOptions {
  /** The client's session is inside BEGIN … COMMIT. */
  inTransactionBlock: boolean;
}

class Refusal extends Error {
  constructor(readonly error: RedshiftRefusal) {
    super(error.message);
  }
}

const syntaxError = (token: Token | undefined): Refusal =>
  new Refusal({
    code: '42601',
    message: token ? `syntax error at or near "${token.text}"` : 'syntax error at end of input',
  });

const noType = (name: string): Refusal => new Refusal({ code: '42704', message: `type "${name}" does not exist` });

// AWS "VACUUM" (https://docs.aws.amazon.com/redshift/latest/dg/r_VACUUM_command.html): "You
// can't run VACUUM within a transaction block (BEGIN ... END)". The same sentence is on AWS
// "CREATE DATABASE", "DROP DATABASE", "CREATE EXTERNAL TABLE" and "ALTER TABLE APPEND".
const notInBlock = (what: string): Refusal =>
  new Refusal({ code: '25001', message: `${what} cannot run inside a transaction block` });

/**
 * Session settings that exist on Redshift only (AWS "Configuration reference",
 * https://docs.aws.amazon.com/redshift/latest/dg/cm_chap_ConfigurationRef.html): accepted,
 * with no effect on PostgreSQL. query_group is tracked by the session for SYS_QUERY_HISTORY.
 */
const REDSHIFT_SETTINGS = new Set([
  'query_group',
  'enable_result_cache_for_session',
  'analyze_threshold_percent',
  'wlm_query_slot_count',
  'auto_analyze',
  'enable_case_sensitive_identifier',
  'json_parse_truncate_strings',
  'mv_enable_aqmv_for_session',
  'use_fips_ssl',
  'describe_field_name_in_uppercase',
  'downcase_delimited_identifier',
]);

export function translate(statement: string, options: TranslateOptions): Translation {
  try {
    return translateTokens(tokenize(statement), options);
  } catch (error) {
    if (error instanceof Refusal) return { kind: 'refuse', error: error.error };
    throw error;
  }
}

function translateTokens(tokens: Token[], options: TranslateOptions): Translation {
  const words = significant(tokens);
  const first = words[0]?.value;
  const second = words[1]?.value;
  if (first === 'copy') return { kind: 'copy' };
  refusePostgresOnly(words);
  switch (first) {
    case 'set':
    case 'reset': {
      const name = second === 'session' || second === 'local' ? words[2]?.value : second;
      if (name && REDSHIFT_SETTINGS.has(name)) return { kind: 'ignore', tag: first.toUpperCase() };
      return run(tokens);
    }
    case 'lock':
      return lock(words, options);
    case 'analyze':
      return analyze(words);
    case 'vacuum':
      if (options.inTransactionBlock) throw notInBlock('VACUUM');
      // Nothing to re-sort or reclaim that a test could observe: accepted as a no-op.
      return { kind: 'ignore', tag: 'VACUUM' };
    case 'create':
      if (second === 'database' && options.inTransactionBlock) throw notInBlock('CREATE DATABASE');
      if (isCreateTable(words)) return createTable(tokens);
      return run(tokens);
    case 'drop':
      if (second === 'database' && options.inTransactionBlock) throw notInBlock('DROP DATABASE');
      if (second === 'table') return { ...run(tokens), droppedTables: droppedTables(words) };
      return run(tokens);
    case 'alter':
      if (second === 'table') return alterTable(tokens, words, options);
      return run(tokens);
    case 'truncate':
      // AWS "TRUNCATE" (https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNCATE.html): one
      // table, and "The TRUNCATE command commits the transaction in which it is run."
      if (words.some((w) => w.text === ',')) throw syntaxError(words.find((w) => w.text === ','));
      return { ...run(tokens), commitsTransaction: true };
    case 'do':
      // No DO blocks on Redshift (stored procedures are CREATE PROCEDURE … CALL).
      throw syntaxError(words[0]);
    default:
      return run(tokens);
  }
}

function run(tokens: Token[]): Extract<Translation, { kind: 'run' }> {
  return { kind: 'run', sql: [render(tokens)] };
}

/**
 * PostgreSQL syntax Redshift does not have, anywhere in a statement (AWS "Unsupported
 * PostgreSQL features", https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-features.html,
 * and the statement synopses of INSERT, UPDATE, DELETE and SELECT, which have no ON CONFLICT,
 * RETURNING, DISTINCT ON or FOR UPDATE; "Unsupported PostgreSQL data types",
 * https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-datatypes.html,
 * lists json, serial and the rest; sequences and indexes are unsupported features).
 */
function refusePostgresOnly(words: Token[]): void {
  const at = (i: number) => (words[i]?.kind === 'word' ? words[i].value : undefined);
  for (let i = 0; i < words.length; i += 1) {
    const word = at(i);
    if (!word) continue;
    if (word === 'on' && at(i + 1) === 'conflict') throw syntaxError(words[i]);
    if (word === 'returning' && ['insert', 'update', 'delete'].includes(at(0) ?? '')) throw syntaxError(words[i]);
    if (word === 'distinct' && at(i + 1) === 'on') throw syntaxError(words[i + 1]);
    if (word === 'is' && (at(i + 1) === 'distinct' || (at(i + 1) === 'not' && at(i + 2) === 'distinct')))
      throw syntaxError(words[at(i + 1) === 'not' ? i + 2 : i + 1]);
    if (
      word === 'for' &&
      ['update', 'share', 'no'].includes(at(i + 1) ?? '') &&
      ['select', 'with'].includes(at(0) ?? '')
    )
      throw syntaxError(words[i]);
    if (word === 'jsonb' || word === 'jsonpath') throw noType(word);
    if (word === 'json' && words[i - 1]?.text === '::') throw noType(word);
    if (['serial', 'bigserial', 'smallserial', 'serial4', 'serial8', 'serial2'].includes(word) && at(0) !== 'select')
      throw noType(word);
    if (word === 'sequence' && ['create', 'alter', 'drop'].includes(at(0) ?? '')) throw syntaxError(words[i]);
    if (word === 'index' && at(0) === 'create') throw syntaxError(words[i]);
    if (word === 'nextval' && words[i + 1]?.text === '(')
      throw new Refusal({ code: '42883', message: 'function nextval() does not exist' });
  }
}

// ---- LOCK and ANALYZE ----

/**
 * AWS "LOCK" (https://docs.aws.amazon.com/redshift/latest/dg/r_LOCK.html): `LOCK [ TABLE ]
 * table_name [, ...]` with no mode; it takes the most restrictive lock ("ACCESS EXCLUSIVE")
 * until the transaction ends. Outside a transaction block it holds nothing afterwards.
 */
function lock(words: Token[], options: TranslateOptions): Translation {
  let i = words[1]?.value === 'table' ? 2 : 1;
  const tables: string[] = [];
  for (;;) {
    const { name, next } = qualifiedName(words, i);
    tables.push(name);
    i = next;
    if (words[i]?.text !== ',') break;
    i += 1;
  }
  if (i < words.length) throw syntaxError(words[i]);
  const check = `select 1 from ${tables.map((t, n) => `${t} as t${n}`).join(', ')} limit 0`;
  if (!options.inTransactionBlock) return { kind: 'run', sql: [check], tag: 'LOCK TABLE' };
  return { kind: 'run', sql: [`lock table ${tables.join(', ')} in access exclusive mode`] };
}

/**
 * AWS "ANALYZE" (https://docs.aws.amazon.com/redshift/latest/dg/r_ANALYZE.html):
 * `ANALYZE [ VERBOSE ] [ table_name [ ( column_name [, ...] ) ] ] [ PREDICATE COLUMNS | ALL COLUMNS ]`.
 * PostgreSQL's ANALYZE has the same effect on the planner; the COLUMNS clause has no twin.
 */
function analyze(words: Token[]): Translation {
  if (words[1]?.value === 'compression') return { kind: 'ignore', tag: 'ANALYZE' };
  let end = words.length;
  if (end >= 2 && words[end - 1].value === 'columns' && ['predicate', 'all'].includes(words[end - 2].value)) end -= 2;
  return {
    kind: 'run',
    sql: [
      words
        .slice(0, end)
        .map((w) => w.text)
        .join(' '),
    ],
  };
}

// ---- CREATE TABLE and CTAS ----

function isCreateTable(words: Token[]): boolean {
  let i = 1;
  if (words[i]?.value === 'local') i += 1;
  if (['temp', 'temporary'].includes(words[i]?.value)) i += 1;
  return words[i]?.value === 'table';
}

/**
 * AWS "CREATE TABLE" (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html)
 * and "CREATE TABLE AS" (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_AS.html):
 * column attributes ENCODE, DISTKEY, SORTKEY, IDENTITY(seed, step), GENERATED BY DEFAULT AS
 * IDENTITY(seed, step), COLLATE; table attributes BACKUP, DISTSTYLE, DISTKEY(col),
 * [COMPOUND | INTERLEAVED] SORTKEY(cols) | SORTKEY AUTO, ENCODE AUTO. Defaults: DISTSTYLE
 * AUTO, SORTKEY AUTO, ENCODE AUTO.
 */
function createTable(tokens: Token[]): Translation {
  const sigIndex = tokens.map((t, i) => (t.kind === 'space' || t.kind === 'comment' ? -1 : i)).filter((i) => i >= 0);
  const words = sigIndex.map((i) => tokens[i]);
  let i = 1;
  let temporary = false;
  if (words[i].value === 'local') i += 1;
  if (['temp', 'temporary'].includes(words[i].value)) {
    temporary = true;
    i += 1;
  }
  i += 1; // table
  if (words[i]?.value === 'if' && words[i + 1]?.value === 'not' && words[i + 2]?.value === 'exists') i += 3;
  const { bare, next } = qualifiedName(words, i);
  i = next;
  const keys: DeclaredKeys = { table: bare, diststyle: '', sortkeyKind: '', sortkey: [], encodings: {} };
  const columns: string[] = [];
  const drop = (from: number, to: number) => {
    for (let k = sigIndex[from]; k < (sigIndex[to] ?? tokens.length); k += 1) tokens[k] = { ...tokens[k], text: '' };
  };
  if (words[i]?.text === '(' && words[i + 1]?.value !== 'like') {
    const close = matching(words, i);
    for (const [start, end] of elements(words, i + 1, close)) {
      const column = columnDefinition(words, start, end, tokens, sigIndex, keys);
      if (column) columns.push(column);
    }
    i = close + 1;
  } else if (words[i]?.text === '(') {
    i = matching(words, i) + 1;
  }
  // Table attributes, up to AS (CTAS) or the end.
  const attributesStart = i;
  let distkey: string | undefined;
  while (i < words.length && words[i].value !== 'as') {
    const word = words[i].value;
    if (word === 'backup' && ['yes', 'no'].includes(words[i + 1]?.value)) i += 2;
    else if (word === 'diststyle' && ['even', 'all', 'key', 'auto'].includes(words[i + 1]?.value)) {
      keys.diststyle = words[i + 1].value.toUpperCase();
      i += 2;
    } else if (word === 'distkey' && words[i + 1]?.text === '(') {
      distkey = words[i + 2].value;
      if (words[i + 3]?.text !== ')') throw syntaxError(words[i + 3]);
      i += 4;
    } else if (['compound', 'interleaved'].includes(word) && words[i + 1]?.value === 'sortkey') {
      keys.sortkeyKind = word;
      i += 1;
    } else if (word === 'sortkey' && words[i + 1]?.value === 'auto') {
      keys.sortkeyKind = 'auto';
      i += 2;
    } else if (word === 'sortkey' && words[i + 1]?.text === '(') {
      const close = matching(words, i + 1);
      keys.sortkey = elements(words, i + 2, close).map(([s]) => words[s].value);
      keys.sortkeyKind ||= 'compound';
      i = close + 1;
    } else if (word === 'encode' && words[i + 1]?.value === 'auto') i += 2;
    else break;
  }
  const attributesEnd = i;
  if (attributesEnd > attributesStart) drop(attributesStart, attributesEnd);
  // Anything left that is not AS … is not Redshift's: PostgreSQL's own clauses (WITH (…),
  // TABLESPACE, PARTITION BY, ON COMMIT …) are refused.
  if (i < words.length && words[i].value !== 'as') throw syntaxError(words[i]);
  if (distkey !== undefined) {
    if (keys.diststyle && keys.diststyle !== 'KEY') {
      throw new Refusal({
        code: '42601',
        message: `DISTKEY is only allowed with DISTSTYLE KEY, not DISTSTYLE ${keys.diststyle}`,
      });
    }
    keys.distkey = distkey;
  }
  if (keys.diststyle === 'KEY' && keys.distkey === undefined) {
    throw new Refusal({ code: '42601', message: 'DISTSTYLE KEY needs a DISTKEY column' });
  }
  if (columns.length > 0) {
    for (const column of [keys.distkey, ...keys.sortkey].filter((c): c is string => c !== undefined)) {
      if (!columns.includes(column)) throw new Refusal({ code: '42703', message: `column "${column}" does not exist` });
    }
  }
  if (keys.distkey !== undefined) keys.diststyle = `KEY(${keys.distkey})`;
  keys.diststyle ||= 'AUTO(ALL)';
  keys.sortkeyKind ||= keys.sortkey.length > 0 ? 'compound' : 'auto';
  // The catalog shows keys of permanent tables only (SVV_TABLE_INFO lists no temporary table).
  return { kind: 'run', sql: [render(tokens)], ...(temporary ? {} : { createdTable: keys }) };
}

/** One element of a CREATE TABLE column list: a column (rewritten in place) or a constraint. */
function columnDefinition(
  words: Token[],
  start: number,
  end: number,
  tokens: Token[],
  sigIndex: number[],
  keys: DeclaredKeys,
): string | undefined {
  const first = words[start];
  if (first.kind === 'word' && ['primary', 'unique', 'foreign', 'constraint', 'like'].includes(first.value))
    return undefined;
  if (first.kind === 'word' && first.value === 'check') throw syntaxError(first);
  const column = first.value;
  const replace = (at: number, text: string) => (tokens[sigIndex[at]] = { ...tokens[sigIndex[at]], text });
  const blank = (from: number, to: number) => {
    for (let k = sigIndex[from]; k <= sigIndex[to]; k += 1) tokens[k] = { ...tokens[k], text: '' };
  };
  let i = start + 1;
  i = columnType(words, i, end, replace);
  while (i < end) {
    const word = words[i].value;
    if (word === 'encode') {
      keys.encodings[column] = words[i + 1].value;
      blank(i, i + 1);
      i += 2;
    } else if (word === 'distkey') {
      keys.distkey = column;
      blank(i, i);
      i += 1;
    } else if (word === 'sortkey') {
      keys.sortkey = [column];
      keys.sortkeyKind = 'compound';
      blank(i, i);
      i += 1;
    } else if (word === 'identity' && words[i + 1]?.text === '(') {
      // IDENTITY(seed, step): Redshift refuses an explicit value for it, as PostgreSQL's
      // GENERATED ALWAYS does (AWS "CREATE TABLE", IDENTITY(seed, step)).
      const { seed, step, close } = identityArguments(words, i + 1);
      blank(i, close);
      replace(i, `generated always as identity (start with ${seed} increment by ${step})`);
      i = close + 1;
    } else if (word === 'generated' && words[i + 1]?.value === 'by' && words[i + 4]?.value === 'identity') {
      if (words[i + 5]?.text === '(') {
        const { seed, step, close } = identityArguments(words, i + 5);
        blank(i, close);
        replace(i, `generated by default as identity (start with ${seed} increment by ${step})`);
        i = close + 1;
      } else i += 5;
    } else if (word === 'generated') {
      // GENERATED ALWAYS … is PostgreSQL's; Redshift has only GENERATED BY DEFAULT.
      throw syntaxError(words[i + 1]);
    } else if (word === 'collate' && ['case_sensitive', 'case_insensitive'].includes(words[i + 1]?.value)) {
      blank(i, i + 1);
      i += 2;
    } else if (word === 'default' || word === 'references') {
      // An expression or a reference: skip to the next keyword this function knows.
      i += 1;
      let depth = 0;
      while (
        i < end &&
        (depth > 0 ||
          !['encode', 'distkey', 'sortkey', 'not', 'null', 'primary', 'unique', 'collate', 'identity'].includes(
            words[i].value,
          ) ||
          words[i].kind !== 'word')
      ) {
        if (words[i].text === '(') depth += 1;
        if (words[i].text === ')') depth -= 1;
        i += 1;
      }
    } else {
      i += 1;
    }
  }
  return column;
}

function identityArguments(words: Token[], open: number): { seed: string; step: string; close: number } {
  const close = matching(words, open);
  const parts = elements(words, open + 1, close);
  if (parts.length !== 2) throw syntaxError(words[close]);
  const text = ([s, e]: [number, number]) =>
    words
      .slice(s, e)
      .map((w) => w.text)
      .join('');
  return { seed: text(parts[0]), step: text(parts[1]), close };
}

/**
 * A column type, rewritten where Redshift's differs (AWS "Character types",
 * https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html): VARCHAR(MAX) is
 * VARCHAR(65535); TEXT and BPCHAR are VARCHAR(256) and CHAR(256); NVARCHAR and NCHAR are
 * VARCHAR and CHAR. Returns where the type ends.
 */
function columnType(words: Token[], i: number, end: number, replace: (at: number, text: string) => void): number {
  const word = words[i]?.value;
  if (word === 'text' || word === 'bpchar') {
    replace(i, word === 'text' ? 'varchar(256)' : 'char(256)');
    return i + 1;
  }
  if (word === 'nvarchar' || word === 'nchar') replace(i, word.slice(1));
  if (word === 'character' && words[i + 1]?.value === 'varying') i += 1;
  i += 1;
  while (
    i < end &&
    words[i].kind === 'word' &&
    ['precision', 'without', 'with', 'time', 'zone'].includes(words[i].value)
  )
    i += 1;
  if (words[i]?.text === '(') {
    const close = matching(words, i);
    if (words[i + 1]?.value === 'max' && close === i + 2) replace(i + 1, '65535');
    i = close + 1;
  }
  return i;
}

// ---- ALTER TABLE ----

/**
 * AWS "ALTER TABLE" (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html):
 * ALTER DISTKEY, ALTER DISTSTYLE ALL | EVEN | AUTO | KEY DISTKEY col, ALTER [COMPOUND] SORTKEY
 * (cols) | AUTO | NONE, ALTER ENCODE AUTO, ALTER COLUMN col ENCODE enc change keys, and lock
 * the table "for read and write operations until the transaction enclosing the ALTER TABLE
 * operation completes". ADD COLUMN takes ENCODE. ALTER COLUMN … TYPE (VARCHAR size only)
 * "can't run ... within a transaction block".
 */
function alterTable(tokens: Token[], words: Token[], options: TranslateOptions): Translation {
  let i = 2;
  if (words[i]?.value === 'if' && words[i + 1]?.value === 'exists') i += 2;
  const { name, bare, next } = qualifiedName(words, i);
  i = next;
  const action = words[i]?.value;
  const after = words[i + 1]?.value;
  const change: KeyChange = { table: bare };
  if (action === 'append') {
    if (options.inTransactionBlock) throw notInBlock('ALTER TABLE APPEND');
    throw new Refusal({ code: '0A000', message: 'ALTER TABLE APPEND is not emulated by the Redshift stand-in' });
  }
  if (
    action === 'alter' &&
    (after === 'column' || !['diststyle', 'distkey', 'sortkey', 'compound', 'interleaved', 'encode'].includes(after))
  ) {
    const c = after === 'column' ? i + 2 : i + 1;
    const column = words[c]?.value;
    if (words[c + 1]?.value === 'encode') {
      change.encodings = { [column]: words[c + 2].value };
      if (c + 3 !== words.length) throw syntaxError(words[c + 3]);
      return keyChange(name, change, options, [column]);
    }
    if (words[c + 1]?.value === 'type') {
      if (options.inTransactionBlock) throw notInBlock('ALTER TABLE ALTER COLUMN');
      return run(tokens);
    }
    return run(tokens);
  }
  if (action === 'alter') {
    let k = i + 1;
    const columns: string[] = [];
    if (words[k].value === 'diststyle') {
      const style = words[k + 1]?.value;
      if (style === 'key') {
        if (words[k + 2]?.value !== 'distkey') throw syntaxError(words[k + 2]);
        change.distkey = words[k + 3]?.value;
        change.diststyle = `KEY(${change.distkey})`;
        columns.push(change.distkey);
        k += 4;
      } else if (['all', 'even'].includes(style)) {
        change.diststyle = style.toUpperCase();
        change.distkey = null;
        k += 2;
      } else if (style === 'auto') {
        change.diststyle = 'AUTO(ALL)';
        change.distkey = null;
        k += 2;
      } else throw syntaxError(words[k + 1]);
    } else if (words[k].value === 'distkey') {
      change.distkey = words[k + 1]?.value;
      change.diststyle = `KEY(${change.distkey})`;
      columns.push(change.distkey);
      k += 2;
    } else if (words[k].value === 'encode') {
      if (words[k + 1]?.value !== 'auto') throw syntaxError(words[k + 1]);
      change.encodeAuto = true;
      k += 2;
    } else {
      // ALTER [COMPOUND] SORTKEY: an interleaved sort key cannot be altered.
      if (words[k].value === 'interleaved') throw syntaxError(words[k]);
      if (words[k].value === 'compound') k += 1;
      if (words[k]?.value !== 'sortkey') throw syntaxError(words[k]);
      const what = words[k + 1];
      if (what?.value === 'auto' || what?.value === 'none') {
        change.sortkeyKind = what.value;
        change.sortkey = [];
        k += 2;
      } else if (what?.text === '(') {
        const close = matching(words, k + 1);
        change.sortkey = elements(words, k + 2, close).map(([s]) => words[s].value);
        change.sortkeyKind = 'compound';
        columns.push(...change.sortkey);
        k = close + 1;
      } else throw syntaxError(what);
    }
    if (k !== words.length) throw syntaxError(words[k]);
    return keyChange(name, change, options, columns);
  }
  if (action === 'add' && !['constraint', 'primary', 'unique', 'foreign', 'check'].includes(after)) {
    const keys: DeclaredKeys = { table: bare, diststyle: '', sortkeyKind: '', sortkey: [], encodings: {} };
    const sigIndex = tokens.map((t, n) => (t.kind === 'space' || t.kind === 'comment' ? -1 : n)).filter((n) => n >= 0);
    const start = after === 'column' ? i + 2 : i + 1;
    columnDefinition(words, start, words.length, tokens, sigIndex, keys);
    const result = run(tokens);
    return Object.keys(keys.encodings).length > 0
      ? { ...result, alteredKeys: { table: bare, encodings: keys.encodings } }
      : result;
  }
  return run(tokens);
}

/** A key change: the table is locked (ACCESS EXCLUSIVE) and its columns must exist. */
function keyChange(table: string, change: KeyChange, options: TranslateOptions, columns: string[]): Translation {
  const check = `select ${columns.length > 0 ? columns.map(quote).join(', ') : '1'} from ${table} limit 0`;
  const sql = options.inTransactionBlock ? [`lock table ${table} in access exclusive mode`, check] : [check];
  return { kind: 'run', sql, tag: 'ALTER TABLE', alteredKeys: change };
}

function droppedTables(words: Token[]): string[] {
  let i = 2;
  if (words[i]?.value === 'if' && words[i + 1]?.value === 'exists') i += 2;
  const names: string[] = [];
  for (;;) {
    const { bare, next } = qualifiedName(words, i);
    names.push(bare);
    i = next;
    if (words[i]?.text !== ',') return names;
    i += 1;
  }
}

// ---- token helpers ----

/** A [schema.]name at words[i]: the text as written, the table's own name, and what follows. */
function qualifiedName(words: Token[], i: number): { name: string; bare: string; next: number } {
  const part = words[i];
  if (!part || (part.kind !== 'word' && part.kind !== 'ident')) throw syntaxError(part);
  if (words[i + 1]?.text === '.' && words[i + 2] && (words[i + 2].kind === 'word' || words[i + 2].kind === 'ident')) {
    return { name: `${part.text}.${words[i + 2].text}`, bare: words[i + 2].value, next: i + 3 };
  }
  return { name: part.text, bare: part.value, next: i + 1 };
}

/** The index of the parenthesis closing words[open]. */
function matching(words: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < words.length; i += 1) {
    if (words[i].text === '(') depth += 1;
    if (words[i].text === ')') depth -= 1;
    if (depth === 0) return i;
  }
  throw syntaxError(undefined);
}

/** The comma-separated elements of words[start, end) at depth 0, as [start, end) pairs. */
function elements(words: Token[], start: number, end: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < end; i += 1) {
    if (words[i].text === '(') depth += 1;
    if (words[i].text === ')') depth -= 1;
    if (depth === 0 && words[i].text === ',') {
      parts.push([from, i]);
      from = i + 1;
    }
  }
  if (from < end) parts.push([from, end]);
  return parts;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

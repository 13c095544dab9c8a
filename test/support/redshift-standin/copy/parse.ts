// One `COPY … FROM 's3://…'` statement → its options, refused in Redshift's words when malformed.
// Grammar: AWS "COPY", https://docs.aws.amazon.com/redshift/latest/dg/r_COPY.html, and the parameter pages cited below.
import { RedshiftError, notEmulated } from './errors';

export interface CopyStatement {
  schema?: string;
  table: string;
  columns?: string[];
  from: string;
  manifest: boolean;
  iamRole?: string;
  credentials?: string;
  region?: string;
  format: { kind: 'auto' } | { kind: 'auto ignorecase' } | { kind: 'jsonpaths'; uri: string };
  gzip: boolean;
  maxError: number;
  acceptInvChars?: string;
  timeFormat?: string;
  dateFormat?: string;
  compUpdate?: boolean;
  statUpdate?: boolean;
  truncateColumns: boolean;
  blanksAsNull: boolean;
  emptyAsNull: boolean;
}

interface Token {
  kind: 'word' | 'ident' | 'string' | 'number' | 'punct';
  text: string;
}

const syntaxError = (near: string) => new RedshiftError(`syntax error at or near "${near}"`, '42601');

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const quoted = (quote: string): string => {
    let text = '';
    for (i++; ; i++) {
      if (i >= sql.length)
        throw new RedshiftError(
          `unterminated quoted ${quote === "'" ? 'string' : 'identifier'} at or near "${sql.slice(-20)}"`,
          '42601',
        );
      if (sql[i] !== quote) text += sql[i];
      else if (sql[i + 1] === quote) text += sql[++i];
      else return (i++, text);
    }
  };
  while (i < sql.length) {
    const rest = sql.slice(i);
    const space = /^(\s+|--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(rest);
    const number = /^-?\d+/.exec(rest);
    if (space) i += space[0].length;
    else if (sql[i] === "'") tokens.push({ kind: 'string', text: quoted("'") });
    else if (sql[i] === '"') tokens.push({ kind: 'ident', text: quoted('"') });
    else if (word) (tokens.push({ kind: 'word', text: word[0].toLowerCase() }), (i += word[0].length));
    else if (number) (tokens.push({ kind: 'number', text: number[0] }), (i += number[0].length));
    else if ('(),.'.includes(sql[i])) tokens.push({ kind: 'punct', text: sql[i++] });
    else throw syntaxError(sql[i]);
  }
  return tokens;
}

class Cursor {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.at];
  }
  next(what: string): Token {
    const token = this.tokens[this.at++];
    if (!token) throw new RedshiftError(`syntax error at end of input (expected ${what})`, '42601');
    return token;
  }
  accept(text: string): boolean {
    const token = this.peek();
    if (token && (token.kind === 'word' || token.kind === 'punct') && token.text === text) return (this.at++, true);
    return false;
  }
  expect(text: string): void {
    const token = this.next(text);
    if (token.text !== text || token.kind === 'string' || token.kind === 'ident') throw syntaxError(token.text);
  }
  name(): string {
    const token = this.next('a name');
    if (token.kind !== 'word' && token.kind !== 'ident') throw syntaxError(token.text);
    return token.text;
  }
  string(what: string): string {
    this.accept('as');
    const token = this.next(what);
    if (token.kind !== 'string') throw syntaxError(token.text);
    return token.text;
  }
}

type Draft = Omit<CopyStatement, 'format'> & { format?: CopyStatement['format']; seen: Set<string> };

// AWS "Data conversion parameters", https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-acceptinvchars:
// "The replacement character can be any ASCII character except NULL. The default is a question mark ( ? )."
// The docs do not give the refusal's wording.
function replacementChar(text: string): string {
  if (text.length !== 1 || text.charCodeAt(0) > 0x7f || text === '\0')
    throw new RedshiftError(
      `ACCEPTINVCHARS replacement character must be a single ASCII character other than NUL, not '${text}'`,
      '22023',
    );
  return text;
}

// AWS "COPY from JSON format", https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html:
// 'auto' | 'auto ignorecase' | 's3://jsonpaths_file'; "The default is 'auto'" (copy-parameters-data-format.html#copy-json).
// The docs are silent on case; lower and upper case are both accepted here.
function jsonOption(c: Cursor, d: Draft): void {
  const token = c.peek();
  const text =
    token && (token.kind === 'string' || (token.kind === 'word' && token.text === 'as'))
      ? c.string('a JSON option')
      : 'auto';
  const lower = text.toLowerCase();
  if (lower === 'auto' || lower === 'auto ignorecase') d.format = { kind: lower };
  else if (text.startsWith('s3://')) d.format = { kind: 'jsonpaths', uri: text };
  else if (lower === 'noshred') throw notEmulated("JSON 'noshred'");
  else
    throw new RedshiftError(
      `Invalid JSON option '${text}': expected 'auto', 'auto ignorecase' or an s3:// JSONPaths file`,
      '22023',
    );
}

const onOff = (c: Cursor): boolean => {
  const token = c.peek();
  if (token?.kind === 'word' && ['on', 'true'].includes(token.text)) return (c.next(''), true);
  if (token?.kind === 'word' && ['off', 'false'].includes(token.text)) return (c.next(''), false);
  return true; // "COMPUPDATE is specified without an option" means ON (copy-parameters-data-load.html)
};

// Each option Redshift's COPY knows, for JSON from S3. Pages: data-load parameters
// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-load.html, data source
// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html, authorization
// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-authorization.html, compression
// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-file-compression.html.
const options: Record<string, (c: Cursor, d: Draft) => void> = {
  iam_role: (c, d) => void (d.iamRole = c.accept('default') ? 'default' : c.string('an IAM role ARN')),
  credentials: (c, d) => void (d.credentials = c.string('a credentials string')),
  access_key_id: (c, d) => void (d.credentials = c.string('an access key id')),
  secret_access_key: (c) => void c.string('a secret access key'),
  session_token: (c) => void c.string('a session token'),
  region: (c, d) => void (d.region = c.string('a region')),
  manifest: (_c, d) => void (d.manifest = true),
  format: (c, d) => {
    c.accept('as');
    if (!c.accept('json')) throw notEmulated(`FORMAT ${c.peek()?.text.toUpperCase() ?? ''}`.trim());
    jsonOption(c, d);
  },
  json: jsonOption,
  gzip: (_c, d) => void (d.gzip = true),
  compupdate: (c, d) => void (d.compUpdate = c.accept('preset') || onOff(c)),
  statupdate: (c, d) => void (d.statUpdate = onOff(c)),
  // "The MAXERROR default value is 0 and the limit is 100000." (copy-parameters-data-load.html#copy-maxerror)
  // The docs do not say what a larger value does; refused here.
  maxerror: (c, d) => {
    c.accept('as');
    const token = c.next('an error count');
    const n = Number(token.text);
    if (token.kind !== 'number' || n < 0 || n > 100000)
      throw new RedshiftError(`MAXERROR must be an integer between 0 and 100000, not ${token.text}`, '22023');
    d.maxError = n;
  },
  acceptinvchars: (c, d) => {
    const token = c.peek();
    d.acceptInvChars =
      token?.kind === 'string' || (token?.kind === 'word' && token.text === 'as')
        ? replacementChar(c.string('a replacement character'))
        : '?';
  },
  timeformat: (c, d) =>
    void (d.timeFormat = dateTimeFormat(c.string('a time format'), [
      'auto',
      'epochsecs',
      'epochmillisecs',
      'YYYY-MM-DD HH:MI:SS',
    ])),
  dateformat: (c, d) => void (d.dateFormat = dateTimeFormat(c.string('a date format'), ['auto', 'YYYY-MM-DD'])),
  truncatecolumns: (_c, d) => void (d.truncateColumns = true),
  blanksasnull: (_c, d) => void (d.blanksAsNull = true),
  emptyasnull: (_c, d) => void (d.emptyAsNull = true),
};

// "The 'auto', 'epochsecs', and 'epochmillisecs' keywords are case-sensitive." (copy-parameters-data-conversion.html#copy-timeformat)
// Other format strings are not emulated.
function dateTimeFormat(text: string, known: string[]): string {
  if (!known.includes(text)) throw notEmulated(`format string '${text}'`);
  return text;
}

// Options Redshift has but that either do not apply to JSON ("The following options aren't supported with JSON",
// copy-parameters-data-format.html#copy-json) or are not emulated here: refused rather than ignored.
const refused = [
  'csv',
  'delimiter',
  'escape',
  'fillrecord',
  'fixedwidth',
  'ignoreblanklines',
  'null',
  'readratio',
  'removequotes',
  'avro',
  'parquet',
  'orc',
  'shapefile',
  'lzop',
  'bzip2',
  'zstd',
  'encrypted',
  'master_symmetric_key',
  'explicit_ids',
  'ignoreheader',
  'noload',
  'ignoreallerrors',
  'roundec',
  'trimblanks',
  'acceptanydate',
  'encoding',
  'comprows',
  'ssh',
  'emr',
];

export function parseCopy(sql: string): CopyStatement {
  const c = new Cursor(tokenize(sql));
  c.expect('copy');
  let table = c.name();
  let schema: string | undefined;
  if (c.accept('.')) [schema, table] = [table, c.name()];
  let columns: string[] | undefined;
  if (c.accept('(')) {
    columns = [c.name()];
    while (c.accept(',')) columns.push(c.name());
    c.expect(')');
  }
  c.expect('from');
  const from = c.string('a data source');
  // AWS "COPY from Amazon S3": FROM { 's3://objectpath' | 's3://manifest_file' }; other sources (DynamoDB, EMR, SSH) are not emulated.
  if (!/^s3:\/\/[^/]+/.test(from)) throw notEmulated(`COPY FROM '${from}' (only s3:// sources)`);
  const d: Draft = {
    schema,
    table,
    columns,
    from,
    manifest: false,
    gzip: false,
    maxError: 0,
    truncateColumns: false,
    blanksAsNull: false,
    emptyAsNull: false,
    seen: new Set(),
  };
  for (let token = c.peek(); token; token = c.peek()) {
    const word = c.next('an option').text;
    if (token.kind !== 'word') throw syntaxError(word);
    const option = options[word];
    if (!option) throw refused.includes(word) ? notEmulated(`COPY option ${word.toUpperCase()}`) : syntaxError(word);
    const key = word === 'json' ? 'format' : word;
    if (d.seen.has(key)) throw new RedshiftError('conflicting or redundant options', '42601');
    d.seen.add(key);
    option(c, d);
  }
  // "Use one of the following to provide authorization for the COPY command" (copy-parameters-authorization.html);
  // the docs do not give the wording for a COPY without any.
  if (d.iamRole === undefined && d.credentials === undefined)
    throw new RedshiftError(
      'COPY from S3 needs authorization: IAM_ROLE, CREDENTIALS or ACCESS_KEY_ID/SECRET_ACCESS_KEY',
      '42601',
    );
  if (!d.format) throw notEmulated('COPY without FORMAT JSON (text, CSV)');
  const { seen: _seen, format, ...rest } = d;
  return { ...rest, format };
}

// The stand-in's lexer: SQL text as tokens (so that a keyword inside a string, a quoted
// identifier or a comment is never taken for syntax), and a query string split into its
// statements at the semicolons that are outside all of those.

export type TokenKind = 'space' | 'comment' | 'string' | 'ident' | 'word' | 'number' | 'param' | 'op';

export interface Token {
  kind: TokenKind;
  /** The token exactly as written. */
  text: string;
  /** Words lower-cased; quoted identifiers unquoted (their case kept); otherwise the text. */
  value: string;
}

const PATTERNS: Array<[TokenKind, RegExp]> = [
  ['space', /\s+/y],
  ['comment', /--[^\n]*/y],
  // Redshift block comments do not nest (AWS "Comments",
  // https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_comments.html shows only /* … */).
  ['comment', /\/\*[\s\S]*?(?:\*\/|$)/y],
  ['string', /[eE]?'(?:[^']|'')*(?:'|$)/y],
  ['ident', /"(?:[^"]|"")*(?:"|$)/y],
  ['word', /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/y],
  ['number', /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y],
  ['param', /\$\d+/y],
  ['op', /::|<>|<=|>=|!=|\|\||[^\s\w]/y],
];

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < sql.length) {
    let matched = false;
    for (const [kind, pattern] of PATTERNS) {
      pattern.lastIndex = at;
      const match = pattern.exec(sql);
      if (!match || match[0].length === 0) continue;
      const text = match[0];
      tokens.push({ kind, text, value: valueOf(kind, text) });
      at += text.length;
      matched = true;
      break;
    }
    if (!matched) {
      tokens.push({ kind: 'op', text: sql[at], value: sql[at] });
      at += 1;
    }
  }
  return tokens;
}

function valueOf(kind: TokenKind, text: string): string {
  if (kind === 'word') return text.toLowerCase();
  if (kind === 'ident')
    return text.slice(1, text.endsWith('"') && text.length > 1 ? -1 : undefined).replace(/""/g, '"');
  return text;
}

/** Tokens that carry meaning: no whitespace, no comments. */
export function significant(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/**
 * The statements of a simple-query string, each without its closing semicolon; a piece with
 * nothing but whitespace and comments is no statement.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let meaningful = false;
  for (const token of tokenize(sql)) {
    if (token.kind === 'op' && token.text === ';') {
      if (meaningful) statements.push(current.trim());
      current = '';
      meaningful = false;
      continue;
    }
    current += token.text;
    if (token.kind !== 'space' && token.kind !== 'comment') meaningful = true;
  }
  if (meaningful) statements.push(current.trim());
  return statements;
}

/** Joins tokens back into SQL text. */
export function render(tokens: Token[]): string {
  return tokens.map((t) => t.text).join('');
}

// Splits SQL text into statements the way the server's lexer reads it (PostgreSQL's
// scan.l): `;` ends a statement only outside '…' literals (E'…' with backslash escapes),
// "…" identifiers, $tag$…$tag$ strings, -- line comments (to \n or \r) and /* */ comments,
// which nest on PostgreSQL (`nested`) and, per the SQL standard, may not elsewhere. What
// a statement leaves after its comments and literals are taken out is its `code`, so a test
// can see what would run. Written for the tests, apart from the code that renders comments.

export interface SplitStatement {
  text: string;
  /** The statement with comments removed and literals emptied. */
  code: string;
}

export function splitStatements(sql: string, options: { nested: boolean } = { nested: true }): SplitStatement[] {
  const statements: SplitStatement[] = [];
  let text = '';
  let code = '';
  let i = 0;
  const flush = () => {
    if (code.trim()) statements.push({ text: text.trim(), code: code.trim() });
    text = '';
    code = '';
  };
  while (i < sql.length) {
    const rest = sql.slice(i);
    let taken: string | undefined;
    if (rest.startsWith('--')) {
      taken = /^--[^\n\r]*/.exec(rest)![0];
      code += ' ';
    } else if (rest.startsWith('/*')) {
      let depth = 0;
      let j = 0;
      do {
        if (sql.startsWith('/*', i + j) && (depth === 0 || options.nested)) (depth++, (j += 2));
        else if (sql.startsWith('*/', i + j)) (depth--, (j += 2));
        else j++;
      } while (depth > 0 && i + j < sql.length);
      taken = sql.slice(i, i + j);
      code += ' ';
    } else if (/^[eE]'/.test(rest)) {
      taken = /^[eE]'(?:[^'\\]|\\[^]|'')*'?/.exec(rest)![0];
      code += "E''";
    } else if (rest[0] === "'") {
      taken = /^'(?:[^']|'')*'?/.exec(rest)![0];
      code += "''";
    } else if (rest[0] === '"') {
      taken = /^"(?:[^"]|"")*"?/.exec(rest)![0];
      code += taken;
    } else if (/^\$([A-Za-z_]\w*)?\$/.test(rest)) {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(rest)![0];
      const end = sql.indexOf(tag, i + tag.length);
      taken = end < 0 ? rest : sql.slice(i, end + tag.length);
      code += "''";
    } else if (rest[0] === ';') {
      text += ';';
      i++;
      flush();
      continue;
    } else {
      taken = rest[0];
      code += taken;
    }
    text += taken;
    i += taken.length;
  }
  flush();
  return statements;
}

// The SQL text with everything that is not code blanked out, position for position: a
// pattern found in the mask is code (never words inside a literal, a comment or a quoted
// name), and its offsets are the same in the original text, so an edit can be made there.
// (src/sql-text.ts normalize() reads syntax too, but it shortens the text.)

/** `sql` with comments turned to blanks and the inside of literals and quoted names to `_`. */
export function codeMask(sql: string): string {
  const out = sql.split('');
  const blank = (from: number, to: number, fill: string) => {
    for (let i = from; i < to; i++) if (out[i] !== '\n') out[i] = fill;
  };
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const end = closing(sql, i, rest);
    if (end === undefined) {
      i++;
      continue;
    }
    if (rest.startsWith('--') || rest.startsWith('/*')) blank(i, end, ' ');
    else blank(i + openerLength(rest), end - closerLength(rest), '_');
    i = end;
  }
  return out.join('');
}

function openerLength(rest: string): number {
  const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
  if (dollar) return dollar[0].length;
  return /^[eE]'/.test(rest) ? 2 : 1;
}

function closerLength(rest: string): number {
  const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
  return dollar ? dollar[0].length : 1;
}

/** Where the comment, literal or quoted name that starts at `i` ends (exclusive); undefined when none starts there. */
function closing(sql: string, i: number, rest: string): number | undefined {
  if (rest.startsWith('--')) {
    const newline = sql.indexOf('\n', i);
    return newline < 0 ? sql.length : newline;
  }
  if (rest.startsWith('/*')) {
    let depth = 0;
    for (let j = i; j < sql.length - 1; j++) {
      if (sql.startsWith('/*', j)) {
        depth++;
        j++;
      } else if (sql.startsWith('*/', j)) {
        j++;
        if (--depth === 0) return j + 1;
      }
    }
    return sql.length;
  }
  const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
  if (dollar && !/[\w$]/.test(sql[i - 1] ?? '')) {
    const close = sql.indexOf(dollar[0], i + dollar[0].length);
    return close < 0 ? sql.length : close + dollar[0].length;
  }
  const escaped = /^[eE]'/.test(rest) && !/[\w$]/.test(sql[i - 1] ?? '');
  const quote = escaped ? "'" : rest[0];
  if (quote !== "'" && quote !== '"') return undefined;
  for (let j = i + (escaped ? 2 : 1); j < sql.length; j++) {
    if (escaped && sql[j] === '\\') j++;
    else if (sql[j] === quote) {
      if (sql[j + 1] === quote) j++;
      else return j + 1;
    }
  }
  return sql.length;
}

/** The index of the parenthesis that closes the one at `open` in a mask, or -1. */
export function closingParen(mask: string, open: number): number {
  let depth = 0;
  for (let i = open; i < mask.length; i++) {
    if (mask[i] === '(') depth++;
    else if (mask[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Parenthesis depth at each position of a mask (the depth inside, after an opening paren). */
export function depths(mask: string): number[] {
  const result: number[] = [];
  let depth = 0;
  for (const ch of mask) {
    if (ch === ')') depth--;
    result.push(depth);
    if (ch === '(') depth++;
  }
  return result;
}

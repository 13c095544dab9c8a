// A statement's text cut into scopes, for sql-usage.ts to read: comments and literals
// gone, every CTE body and `create temp table … as` body apart from the rest, and in each
// scope the tables its FROM, JOIN, USING, UPDATE and INTO name, by alias.
export const IDENT = '[a-z_][a-z0-9_$]*';
const NOT_AN_ALIAS = new Set([
  'where',
  'on',
  'inner',
  'left',
  'right',
  'full',
  'cross',
  'join',
  'group',
  'order',
  'having',
  'limit',
  'union',
  'using',
  'as',
  'set',
  'natural',
  'outer',
  'lateral',
  'window',
  'returning',
  'and',
  'or',
  'select',
]);

export interface Scope {
  /** alias (or the name itself) → the table or CTE it names */
  sources: Map<string, string>;
  text: string;
}

/** CTE bodies and temp-table bodies, by name, and the statement with the CTE bodies cut out. */
export function splitNamedBodies(text: string): { bodies: Map<string, string>; rest: string; temp?: string } {
  const bodies = new Map<string, string>();
  let rest = text;
  const temp = new RegExp(`create (?:local )?(?:temp|temporary) table (${IDENT}) as (.*)$`).exec(text);
  if (temp) rest = temp[2];
  const cte = new RegExp(`(?:\\bwith|,)\\s*(?:recursive\\s+)?(${IDENT}) as \\(`, 'g');
  const cuts: Array<[number, number]> = [];
  for (let match = cte.exec(rest); match; match = cte.exec(rest)) {
    const open = match.index + match[0].length - 1;
    const close = matchingParen(rest, open);
    if (close < 0) break;
    bodies.set(match[1], rest.slice(open + 1, close));
    cuts.push([open + 1, close]);
    cte.lastIndex = close;
  }
  for (const [from, to] of cuts.reverse()) rest = rest.slice(0, from) + rest.slice(to);
  return { bodies, rest, temp: temp?.[1] };
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

export function scopeOf(text: string): Scope {
  const sources = new Map<string, string>();
  const source = new RegExp(
    `\\b(?:from|join|using|update|into)\\s+(${IDENT}(?:\\.${IDENT})?)(?:\\s+(?:as\\s+)?(${IDENT}))?`,
    'g',
  );
  for (const match of text.matchAll(source)) {
    const name = match[1].split('.').pop()!;
    sources.set(name, name);
    if (match[2] && !NOT_AN_ALIAS.has(match[2])) sources.set(match[2], name);
  }
  return { sources, text };
}

export function splitTopLevel(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '(') depth++;
    else if (list[i] === ')') depth--;
    else if (list[i] === ',' && depth === 0) {
      items.push(list.slice(start, i));
      start = i + 1;
    }
  }
  items.push(list.slice(start));
  return items;
}

export function whereClauses(text: string): string[] {
  const clauses: string[] = [];
  const where = /\bwhere\b/g;
  for (let match = where.exec(text); match; match = where.exec(text)) {
    const after = text.slice(match.index + match[0].length);
    // The clause ends at the next clause keyword or at the parenthesis that closes its scope.
    let depth = 0;
    let end = after.length;
    for (let i = 0; i < after.length; i++) {
      if (after[i] === '(') depth++;
      else if (after[i] === ')' && --depth < 0) {
        end = i;
        break;
      }
    }
    const clause = after.slice(0, end);
    const stop = /\b(?:group by|order by|having|limit|union|window)\b/.exec(clause);
    clauses.push(stop ? clause.slice(0, stop.index) : clause);
  }
  return clauses;
}

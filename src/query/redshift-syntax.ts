// Redshift syntax that PostgreSQL reads differently or not at all, put into PostgreSQL's
// form where the two mean exactly the same, and refused with both forms named where they
// cannot. For `npm run query` on the local and postgres targets; the functions themselves
// (GETDATE, NVL, DATEADD, …) come from migration 20261216120000.
import { QueryError } from '../errors';
import { closingParen, codeMask, depths } from './code-mask';
import { DATEPARTS } from './dateparts';

export interface PostgresText {
  sql: string;
  /** One line per rewrite a reader should know about. */
  notes: string[];
}

interface Edit {
  from: number;
  to: number;
  text: string;
}

function applyEdits(sql: string, edits: Edit[]): string {
  return [...edits]
    .sort((a, b) => b.from - a.from)
    .reduce((text, e) => text.slice(0, e.from) + e.text + text.slice(e.to), sql);
}

/** The SQL PostgreSQL runs for Redshift SQL, or a QueryError naming what has no PostgreSQL form. */
export function redshiftToPostgres(sql: string): PostgresText {
  const notes: string[] = [];
  let text = sql;
  for (const step of [listaggWithinGroup, bareDateparts, extractDateparts, selectTop])
    text = applyEdits(text, step(text, notes));
  return { sql: text, notes };
}

// LISTAGG(x, d) WITHIN GROUP (ORDER BY y): WITHIN GROUP is for PostgreSQL's ordered-set
// aggregates only, whose direct arguments must be constant per group; the same order goes
// inside the call of an ordinary aggregate. https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html
function listaggWithinGroup(sql: string, notes: string[]): Edit[] {
  const mask = codeMask(sql);
  const edits: Edit[] = [];
  for (const call of mask.matchAll(/\blistagg\s*\(/gi)) {
    const close = closingParen(mask, call.index + call[0].length - 1);
    const within = /^\s*within\s+group\s*\(/i.exec(mask.slice(close + 1));
    if (close < 0 || !within) continue;
    const open = close + 1 + within[0].length - 1;
    const end = closingParen(mask, open);
    if (end < 0) continue;
    if (/^\s*over\b/i.test(mask.slice(end + 1))) {
      throw new QueryError(
        'LISTAGG(…) WITHIN GROUP (ORDER BY …) OVER (…) is a Redshift window function PostgreSQL has no form of (it orders no aggregate used as a window function). ' +
          'Aggregate in a subquery grouped by the partition, listagg(x, d) within group (order by y) … group by p, and join it back.',
      );
    }
    edits.push({ from: close, to: end + 1, text: ` ${sql.slice(open + 1, end).trim()})` });
  }
  if (edits.length)
    notes.push(
      'listagg(…) within group (order by …) runs as listagg(… order by …): the same order, in the form PostgreSQL takes for an ordinary aggregate',
    );
  return edits;
}

// DATEADD(day, …), DATEDIFF(week, …), DATE_PART(dow, …): Redshift takes the date part as
// a bare word, PostgreSQL would read a column; quoted, it is the text the functions take.
// https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_PART_function.html ("An identifier literal or string")
function bareDateparts(sql: string): Edit[] {
  const mask = codeMask(sql);
  const edits: Edit[] = [];
  for (const call of mask.matchAll(/\b(dateadd|datediff|date_part)\s*\(\s*(?:([a-z_]+)|'(_*)')\s*,/gi)) {
    const quoted = call[3] !== undefined;
    const start = call.index + call[0].indexOf(quoted ? "'" : call[2], call[1].length);
    const length = quoted ? call[3].length + 2 : call[2].length;
    const word = quoted ? sql.slice(start + 1, start + length - 1) : call[2];
    if (!DATEPARTS.has(word.toLowerCase())) continue;
    const name = call[1].toLowerCase() === 'date_part' ? forPostgresExtract(word) : word;
    if (quoted && name === word) continue;
    edits.push({ from: start, to: start + length, text: `'${name}'` });
  }
  return edits;
}

// EXTRACT(weekday FROM …): PostgreSQL knows Redshift's day-of-week and day-of-year parts
// only as dow and doy. https://docs.aws.amazon.com/redshift/latest/dg/r_EXTRACT_function.html
function extractDateparts(sql: string): Edit[] {
  const mask = codeMask(sql);
  const edits: Edit[] = [];
  for (const call of mask.matchAll(/\bextract\s*\(\s*([a-z_]+)\s+from\b/gi)) {
    const name = forPostgresExtract(call[1]);
    if (name === call[1]) continue;
    const start = call.index + call[0].indexOf(call[1], 'extract'.length);
    edits.push({ from: start, to: start + call[1].length, text: name });
  }
  return edits;
}

/** The part as PostgreSQL's date_part/extract know it: dow and doy for Redshift's other names of those. */
function forPostgresExtract(word: string): string {
  const name = DATEPARTS.get(word.toLowerCase());
  return name === 'dow' || name === 'doy' ? name : word;
}

// SELECT TOP n: Redshift's TOP "is the same as the LIMIT clause"
// (https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html), which PostgreSQL puts
// at the end of the statement. Rewritten only where that is the same: the statement's own
// select, with no LIMIT, OFFSET, FETCH or set operation of its own.
function selectTop(sql: string, notes: string[]): Edit[] {
  const mask = codeMask(sql);
  const depth = depths(mask);
  const edits: Edit[] = [];
  for (const top of mask.matchAll(/\bselect(\s+(?:distinct|all))?(\s+top\s+(\d+))\b/gi)) {
    const refuse = (why: string) =>
      new QueryError(
        `select top ${top[3]} ${why}: Redshift's TOP n is PostgreSQL's LIMIT n at the end of that select (write \`select … limit ${top[3]}\`, in parentheses when it is a subquery or one side of a UNION).`,
      );
    if (depth[top.index] !== 0) throw refuse('is in a subquery');
    const start = mask.lastIndexOf(';', top.index) + 1;
    const semicolon = mask.indexOf(';', top.index);
    const end = semicolon < 0 ? mask.length : semicolon;
    const statement = mask.slice(start, end);
    const clash = [...statement.matchAll(/\b(limit|offset|fetch|union|intersect|except)\b/gi)].find(
      (m) => depth[start + m.index] === 0,
    );
    if (clash) throw refuse(`has a ${clash[1].toUpperCase()} of its own`);
    const topAt = top.index + top[0].indexOf(top[2]);
    const codeEnd = start + statement.trimEnd().length;
    edits.push(
      { from: topAt, to: topAt + top[2].length, text: '' },
      { from: codeEnd, to: codeEnd, text: ` limit ${top[3]}` },
    );
    notes.push(`select top ${top[3]} runs as select … limit ${top[3]} (Redshift's TOP is LIMIT)`);
  }
  return edits;
}

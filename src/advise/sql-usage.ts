// Which base-table columns a statement joins or filters on, read from its text.
//
// How, simply but honestly: this is not a SQL parser. It strips comments and string
// literals, finds the named sources of each scope (every CTE body, every
// `create temp table … as` body, and what is left of the statement), and resolves
// `alias.column` and bare `column` through CTEs to the declared table that holds the
// column. A CTE column is followed only when the CTE passes it through under its own
// name (`select song_id from songplays`); a derived column (`date_trunc(…) as week`)
// resolves to nothing and its joins are left out, which is right for key choice: no
// key can serve a join on a computed value. Joins are `a.x = b.y` equalities (ON
// clauses and `delete … using … where`); filters are columns compared with a
// constant, a range, IN or IS [NOT] NULL inside a WHERE clause.
import { normalize } from '../sql-text';
import { IDENT, type Scope, scopeOf, splitNamedBodies, splitTopLevel, whereClauses } from './sql-scopes';

export interface ColumnRef {
  table: string;
  column: string;
}

export interface JoinUse {
  left: ColumnRef;
  right: ColumnRef;
}

export type FilterKind = 'equality' | 'range' | 'null test';

export interface FilterUse extends ColumnRef {
  kind: FilterKind;
}

export interface StatementUsage {
  joins: JoinUse[];
  filters: FilterUse[];
}

/** Declared tables and their columns, lower case. */
export type Catalog = ReadonlyMap<string, readonly string[]>;

/**
 * Reads the statements of one script in order: a `create temp table x as …` is
 * remembered, so a later `delete from x using t where x.k = t.k` resolves x.k.
 */
export class UsageReader {
  private readonly temps = new Map<string, Scope>();

  constructor(private readonly catalog: Catalog) {}

  read(sql: string): StatementUsage {
    const text = normalize(sql);
    const { bodies, rest, temp } = splitNamedBodies(text);
    const ctes = [...bodies].map(([name, body]): [string, Scope] => [name, scopeOf(body)]);
    const resolver = new Resolver(this.catalog, new Map([...this.temps, ...ctes]));
    const scopes: Scope[] = [...ctes.map(([, scope]) => scope), scopeOf(rest)];
    if (temp) {
      // Later statements reach the temp table's columns through its select and CTEs.
      for (const [name, scope] of ctes) this.temps.set(name, scope);
      this.temps.set(temp, scopeOf(rest));
    }
    const joins: JoinUse[] = [];
    const filters: FilterUse[] = [];
    for (const scope of scopes) {
      for (const match of scope.text.matchAll(
        new RegExp(`(${IDENT})\\.(${IDENT})\\s*=\\s*(${IDENT})\\.(${IDENT})`, 'g'),
      )) {
        if (insideNullSafeEquality(scope.text, match.index, match[0].length)) continue;
        const left = resolver.qualified(scope, match[1], match[2]);
        const right = resolver.qualified(scope, match[3], match[4]);
        if (left && right && !(left.table === right.table && left.column === right.column && match[1] === match[3]))
          joins.push({ left, right });
      }
      for (const where of whereClauses(scope.text)) filters.push(...filtersIn(where, scope, resolver));
    }
    return { joins, filters };
  }
}

/** One statement on its own. */
export function statementUsage(sql: string, catalog: Catalog): StatementUsage {
  return new UsageReader(catalog).read(sql);
}

/**
 * `(a.c = b.c or (a.c is null and b.c is null))`: the upserts' "nothing changed" test
 * and null-safe matches. A residual condition of a join on other keys, not a key
 * join itself, so it names no candidate.
 */
function insideNullSafeEquality(text: string, at: number, length: number): boolean {
  return (
    /\(\s*$/.test(text.slice(Math.max(0, at - 3), at)) && /^\s*or\b/.test(text.slice(at + length, at + length + 5))
  );
}

class Resolver {
  constructor(
    private readonly catalog: Catalog,
    private readonly named: Map<string, Scope>,
  ) {}

  qualified(scope: Scope, qualifier: string, column: string): ColumnRef | undefined {
    const source = scope.sources.get(qualifier) ?? qualifier;
    return this.through(source, column, new Set());
  }

  bare(scope: Scope, column: string): ColumnRef | undefined {
    const found = [...new Set(scope.sources.values())]
      .map((source) => this.through(source, column, new Set()))
      .filter((r) => r !== undefined);
    return found.length === 1 ? found[0] : undefined;
  }

  /** A column of a table, or of a CTE that passes a table's column through under its own name. */
  private through(source: string, column: string, seen: Set<string>): ColumnRef | undefined {
    const named = this.named.get(source);
    if (named && !seen.has(source)) {
      if (!passesThrough(named.text, column)) return undefined;
      seen.add(source);
      const hits = [...new Set(named.sources.values())]
        .map((inner) => this.through(inner, column, seen))
        .filter((r) => r !== undefined);
      return hits.length === 1 ? hits[0] : undefined;
    }
    const columns = this.catalog.get(source);
    return columns?.includes(column) ? { table: source, column } : undefined;
  }
}

/** The CTE's select list names the column as itself: `col`, `x.col`, `x.*`, `*`, or `… as col` of a plain column. */
function passesThrough(body: string, column: string): boolean {
  const list = /\bselect (?:distinct )?(.*?) from /.exec(body)?.[1];
  if (!list) return false;
  return splitTopLevel(list).some((item) => {
    const expr = item.trim();
    if (expr === '*' || new RegExp(`^${IDENT}\\.\\*$`).test(expr)) return true;
    return new RegExp(`^(?:${IDENT}\\.)?${column}(?: as ${column})?$`).test(expr);
  });
}

function filtersIn(clause: string, scope: Scope, resolver: Resolver): FilterUse[] {
  // The null half of a null-safe equality is part of a join condition, not a filter.
  const where = clause.replace(/\bor \(\s*[a-z0-9_.$]+ is null and [a-z0-9_.$]+ is null\s*\)/g, ' ');
  const filters: FilterUse[] = [];
  const ref = `(?:(${IDENT})\\.)?(${IDENT})`;
  const tests: Array<[RegExp, FilterKind]> = [
    [new RegExp(`${ref}\\s+is\\s+(?:not\\s+)?null`, 'g'), 'null test'],
    [new RegExp(`${ref}\\s*(?:between\\b|<=|>=|<(?!>)|>)`, 'g'), 'range'],
    [new RegExp(`${ref}\\s*(?:=\\s*(?:''|-?\\d)|<>\\s*(?:''|-?\\d)|(?:not\\s+)?in\\s*\\()`, 'g'), 'equality'],
  ];
  for (const [pattern, kind] of tests) {
    for (const match of where.matchAll(pattern)) {
      const found = match[1] ? resolver.qualified(scope, match[1], match[2]) : resolver.bare(scope, match[2]);
      if (found) filters.push({ ...found, kind });
    }
  }
  return filters;
}

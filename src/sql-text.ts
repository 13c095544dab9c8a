// SQL text read for its syntax alone, by the tool's readers of SQL (advise's scopes, the
// checks for PostgreSQL-only constructs): what the text says, not how it was written.

/** Lower case, no comments, string literals emptied, identifier quotes dropped, one space for any run of blanks. */
export function normalize(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"((?:[^"]|"")*)"/g, (_m, name: string) => name.replace(/""/g, '"'))
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

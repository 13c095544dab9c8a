// knex.raw(sql) reads every `?` as a binding placeholder, even with no bindings, so a
// `?` inside a string literal, a comment or an operator would break the statement.
// SQL we pass as written goes through here: `\?` tells knex to keep the `?`.
import type { Knex } from 'knex';

export function runVerbatim(db: Knex, sql: string): Knex.Raw {
  return db.raw(sql.replace(/\?/g, '\\?'));
}

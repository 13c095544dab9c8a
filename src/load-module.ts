// Loads a module chosen at run time (a migration, a transform step, one of knex's own
// dialect classes) the way `require` would, through Node's createRequire: tsx's hooks
// apply, so .ts files load under `npm run`, mocha and the knex CLI alike.
import { createRequire } from 'node:module';

const requireHere = createRequire(__filename);

/** The module's exports; callers check the shape they expect before using it. */
export function loadModule(specifier: string): unknown {
  return requireHere(specifier);
}

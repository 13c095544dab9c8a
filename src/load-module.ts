// Loads a module chosen at run time (a migration, a transform step, one of knex's own
// dialect classes) the way `require` would, through Node's createRequire: whatever loads
// .ts files in this process applies (the compiled build under `npm run`, tools/run-built.js;
// tsx under mocha; ts-node under the knex CLI).
import { createRequire } from 'node:module';

const requireHere = createRequire(__filename);

/** The module's exports; callers check the shape they expect before using it. */
export function loadModule(specifier: string): unknown {
  return requireHere(specifier);
}

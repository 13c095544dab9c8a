// The warehouse's invariants, checked after every run (and alone with `npm run check`).
// They come from the star tables' declarations in migrations/ (src/transform/declared-checks.ts):
// keys not null, and unique where the engine does not enforce them (Redshift), references
// that lead to a row, accepted values, and rows in every table. A star table declared in a
// new migration is checked with no change here.
import { checkStep } from '../src/transform/check-step';
import { declaredChecks, starTables } from '../src/transform/declared-checks';

export default checkStep('check keys, references, accepted values and row counts', declaredChecks(starTables()));

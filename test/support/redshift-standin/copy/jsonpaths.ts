// The JSONPaths file and its expressions.
// AWS "Data format parameters", https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-format.html#copy-json-jsonpaths
// and "COPY from JSON format", https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html.
import { RedshiftError } from './errors';
import type { JsonValue } from './json';

export type Step = { key: string } | { index: number };

const invalid = (why: string) => new RedshiftError(`Invalid JSONPath format: ${why}`, 'XX000');

// "The JSONPaths file must contain only a single JSON object"; "If the key name is any string other than "jsonpaths", the COPY
// command doesn't return an error, but it ignores jsonpaths_file and uses the 'auto' argument instead"; it fails when "The JSON is
// malformed", "There is more than one JSON object", or "An array element is an empty string or isn't a string".
// Returns undefined for the 'auto' fallback.
export function parseJsonPathsFile(text: string): Step[][] | undefined {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw invalid('the JSONPaths file is not a single well-formed JSON object');
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file))
    throw invalid('the JSONPaths file is not a single JSON object');
  const list = (file as Record<string, unknown>).jsonpaths;
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p === ''))
    throw invalid('jsonpaths must be an array of non-empty strings');
  const notations = new Set<string>();
  const paths = (list as string[]).map((p) => parsePath(p, notations));
  // "You can't mix bracket notation and dot notation in the jsonpaths array."
  if (notations.size > 1) throw invalid("bracket notation and dot notation can't be mixed");
  return paths;
}

// "$['store']['book']['title']", "$.store.book.title", "$['location'][0]", "$.location[0]". "Amazon Redshift doesn't support any
// JSONPath elements, such as wildcard characters or filter expressions"; with dot notation names can't contain ' . [ ];
// "Array indexes must be positive integers (greater than or equal to zero)".
function parsePath(path: string, notations: Set<string>): Step[] {
  if (!path.startsWith('$')) throw invalid(`'${path}' does not start with $`);
  const steps: Step[] = [];
  const token = /\['((?:[^'\\]|\\.)*)'\]|\.([^.[\]'*]+)|\[(\d+)\]/y;
  for (let at = 1; at < path.length; at = token.lastIndex) {
    token.lastIndex = at;
    const m = token.exec(path);
    if (!m) throw invalid(`unsupported expression '${path}'`);
    if (m[1] !== undefined) (notations.add('bracket'), steps.push({ key: m[1].replace(/\\(.)/g, '$1') }));
    else if (m[2] !== undefined) (notations.add('dot'), steps.push({ key: m[2] }));
    else steps.push({ index: Number(m[3]) });
  }
  if (steps.length === 0) throw invalid(`'${path}' names no element`);
  return steps;
}

// "If an object element referenced by a JSONPath expression isn't found in the JSON data, COPY attempts to load a NULL value";
// "If an array element referenced by a JSONPath expression isn't found … COPY fails with the following error: Invalid JSONPath
// format: Not an array or index out of range." Here that is a load error of the record (it counts toward MAXERROR).
export function evaluate(root: JsonValue, steps: Step[]): JsonValue | undefined | 'array miss' {
  let at: JsonValue | undefined = root;
  for (const step of steps) {
    if ('index' in step) {
      if (at?.kind !== 'array' || step.index >= at.items.length) return 'array miss';
      at = at.items[step.index];
    } else at = at?.kind === 'object' ? at.entries.get(step.key) : undefined;
    if (at === undefined) return undefined;
  }
  return at;
}

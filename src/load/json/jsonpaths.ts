// A Redshift JSONPaths file, read by the local loader too: one mapping for both targets.
// Each path picks one value out of a record; the n-th path fills the n-th column.
// Supported forms, as Redshift documents them: $['name'], $["name"], $.name, nested
// ($.a.b, $['a']['b']) and array elements ($.a[0]).
import { LoadError } from '../../errors';

export type PathStep = string | number;

export interface FieldPath {
  /** The path as written, for messages. */
  source: string;
  steps: PathStep[];
}

export function parseJsonPaths(text: string, file: string): FieldPath[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new LoadError(
      `${file} is not valid JSON (${(error as Error).message}). A JSONPaths file looks like {"jsonpaths": ["$['artist']", ...]}.`,
    );
  }
  const paths =
    document !== null && typeof document === 'object' ? (document as { jsonpaths?: unknown }).jsonpaths : undefined;
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string')) {
    throw new LoadError(
      `${file} has no "jsonpaths" array of strings. A JSONPaths file looks like {"jsonpaths": ["$['artist']", ...]}.`,
    );
  }
  return paths.map((p, i) => ({ source: p, steps: parsePath(p, `${file}, path ${i + 1}`) }));
}

export function parsePath(path: string, where: string): PathStep[] {
  if (!path.startsWith('$')) throw new LoadError(`${where}: "${path}" must start with $.`);
  const steps: PathStep[] = [];
  const pattern = /\.([A-Za-z_][\w]*)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*(\d+)\s*\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const start = pattern.lastIndex;
    const match = pattern.exec(path);
    if (!match)
      throw new LoadError(
        `${where}: cannot read "${path}" from character ${start + 1}; use $['name'] or $.name steps.`,
      );
    if (match[4] !== undefined) steps.push(Number(match[4]));
    else steps.push((match[1] ?? match[2] ?? match[3]).replace(/\\(.)/g, '$1'));
  }
  if (steps.length === 0) throw new LoadError(`${where}: "${path}" selects the whole record; name a field.`);
  return steps;
}

export const MISSING = Symbol('missing');

/** The value at `path` in `record`, or MISSING when a step is not there (null is a value). */
export function pick(record: unknown, path: FieldPath): unknown {
  let current: unknown = record;
  for (const step of path.steps) {
    if (current === null || typeof current !== 'object') return MISSING;
    const container = current as Record<string | number, unknown>;
    // Own fields only: no inherited `constructor`, no array `length`.
    if (
      Array.isArray(current)
        ? typeof step !== 'number' || step >= current.length
        : !Object.prototype.hasOwnProperty.call(container, step)
    )
      return MISSING;
    current = container[step];
  }
  return current;
}

/** For JSON 'auto': each column is the record's field of the same name. */
export function autoPaths(columns: string[]): FieldPath[] {
  return columns.map((name) => ({ source: `auto:${name}`, steps: [name] }));
}

// JSON.parse keeps a number only as a double, so `12345678901234567890` comes back as
// 12345678901234567000 and `1.0` as 1. Redshift's COPY reads the number's text: a text
// column keeps it as written, an integer column takes the whole number exactly or
// rejects the line. Here a number whose text a double does not give back as written
// reaches the columns as a NumberText holding that text.
//
// Node 20 has no reviver that sees the source text, so such a number is swapped for a
// string before parsing: one control character that no string of the line can decode to
// (it appears nowhere as an escape, and JSON forbids it raw), then the number's index.
// The line parses to the same structure as before, and each marked string is put back
// as the number's text. A line with no such number, or with them only under keys no text
// or integer column reads (a float column takes the nearest double either way: a
// Sparkify `registration` of `1540919166796.0`), is parsed as it is.

export class NumberText {
  constructor(readonly text: string) {}
}

/** Under which keys a number's text matters (the last name in a text or integer column's path); undefined: under every key. */
export type NumberKeys = ReadonlySet<string> | undefined;

/** A JSON number as RFC 8259 (section 6) has it, matched where it starts. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** Only a number with a dot, an exponent, 16 or more digits or a minus can read back differently. */
const MAY_CHANGE = /[.eE]|\d{16}|-0/;

interface Changed {
  token: string;
  start: number;
}

/** JSON.parse's value, with every number a double would change (under `keys`) as a NumberText; throws as JSON.parse does. */
export function parseKeepingNumbers(text: string, keys?: NumberKeys): unknown {
  if (keys?.size === 0 || !MAY_CHANGE.test(text)) return JSON.parse(text);
  const changed = changedNumbers(text, keys);
  if (changed.length === 0) return JSON.parse(text);
  const mark = unusedMark(text);
  // Every control character appears as an escape: nothing can be marked safely (never seen in data).
  if (mark === undefined) return JSON.parse(text);
  const escape = `\\u00${hex(mark)}`;
  let marked = '';
  let from = 0;
  changed.forEach(({ token, start }, i) => {
    marked += `${text.slice(from, start)}"${escape}${i}"`;
    from = start + token.length;
  });
  return restore(JSON.parse(marked + text.slice(from)), mark, changed);
}

/**
 * The number tokens outside strings that read back differently, under `keys`. A string
 * followed by a colon is a key; a number belongs to the last key read (inside an array,
 * the array's). Malformed text gives some list; JSON.parse then refuses the text anyway.
 */
function changedNumbers(text: string, keys: NumberKeys): Changed[] {
  const changed: Changed[] = [];
  let key: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      if (end < 0) break;
      if (keys !== undefined && text.charCodeAt(skipSpace(text, end)) === 0x3a) key = text.slice(i + 1, end - 1);
      i = end;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)?.[0] ?? text[i];
      if (String(Number(token)) !== token && (keys === undefined || (key !== undefined && keys.has(unescapedKey(key)))))
        changed.push({ token, start: i });
      i += token.length;
    } else i++;
  }
  return changed;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at++;
  return at;
}

/** Where the string starting at the quote `start` ends (past its closing quote); -1 when it does not. */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/** A key as the record holds it: escapes decoded (rare in keys). */
function unescapedKey(key: string): string {
  if (!key.includes('\\')) return key;
  try {
    return JSON.parse(`"${key}"`) as string;
  } catch {
    return key;
  }
}

/** The control characters that may mark (not one of JSON's short escapes), each with the escape that spells it. */
const MARKS = Array.from({ length: 0x1f }, (_, i) => i + 1)
  .filter((code) => code < 0x08 || code > 0x0d) // \b \t \n \v \f \r have other spellings
  .map((code) => ({
    char: String.fromCharCode(code),
    escape: new RegExp(`\\\\u00${code.toString(16).padStart(2, '0')}`, 'i'),
  }));

/** A control character that no escape in `text` decodes to. */
function unusedMark(text: string): string | undefined {
  if (!text.includes('\\u00')) return MARKS[0].char; // no escape of a control character at all
  return MARKS.find((mark) => !mark.escape.test(text))?.char;
}

function hex(char: string): string {
  return char.charCodeAt(0).toString(16).padStart(2, '0');
}

/** Puts each marked string back as its NumberText, walking without recursion (values may nest thousands deep). */
function restore(value: unknown, mark: string, changed: Changed[]): unknown {
  const back = (item: unknown) =>
    typeof item === 'string' && item.startsWith(mark) ? new NumberText(changed[Number(item.slice(1))].token) : item;
  const top = back(value);
  const stack: unknown[] = [top];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || node instanceof NumberText) continue;
    const holder = node as Record<string, unknown>;
    for (const key of Object.keys(holder)) {
      const item = holder[key];
      if (typeof item === 'object') stack.push(item);
      else holder[key] = back(item);
    }
  }
  return top;
}

/**
 * The keys whose numbers' text matters to these columns: the last name in each text or
 * integer column's path; undefined (every key) when such a path has no name.
 */
export function numberKeys(
  paths: ReadonlyArray<{ steps: ReadonlyArray<string | number> }>,
  kinds: ReadonlyArray<string>,
): NumberKeys {
  const keys = new Set<string>();
  for (const [i, path] of paths.entries()) {
    if (kinds[i] === 'float' || kinds[i] === 'timestamp') continue;
    const last = path.steps.filter((step): step is string => typeof step === 'string').pop();
    if (last === undefined) return undefined;
    keys.add(last);
  }
  return keys;
}

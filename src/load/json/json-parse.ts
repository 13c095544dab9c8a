// Parsing one record's text: its value with exact numbers, or the reason it is not JSON.
import { parseKeepingNumbers, type NumberKeys } from './exact-numbers';

/** `{…}` with nothing around it, the usual line: no need to copy it through trim(). */
export function isTrimmed(line: string): boolean {
  return line.charCodeAt(0) === 123 && line.charCodeAt(line.length - 1) === 125;
}

/** The innermost bracket still open at the end of `text`, reading outside strings. */
export function innermostOpenBracket(text: string): string | undefined {
  const open: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') open.push(c);
    else if (c === '}' || c === ']') open.pop();
  }
  return open[open.length - 1];
}

export function tryParse(text: string, keys: NumberKeys): unknown {
  try {
    return parseKeepingNumbers(text, keys);
  } catch {
    return undefined;
  }
}

export function parseError(text: string): string {
  try {
    JSON.parse(text);
    return 'unknown';
  } catch (error) {
    return (error as Error).message;
  }
}

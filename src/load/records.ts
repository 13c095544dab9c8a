// Splits a stream of JSON text into records with their line numbers: one object per
// line (event logs, compacted song files), or one object spread over several lines
// (a pretty-printed song file). A line that is not JSON becomes a record with a reason,
// never an exception: the caller decides whether to reject it or fail.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export interface JsonRecord {
  /** 1-based line where the record starts. */
  line: number;
  text: string;
  value?: unknown;
  /** Why the record is not usable; set when value is not. */
  error?: string;
}

/** A record spread over more lines than this is treated as malformed rather than buffered on. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;
const BOM = '\uFEFF';

export async function* readJsonRecords(stream: Readable): AsyncGenerator<JsonRecord> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNumber = 0;
  let pending: { line: number; text: string } | undefined;

  const take = function* (line: string): Generator<JsonRecord> {
    lineNumber++;
    if (lineNumber === 1 && line.startsWith(BOM)) {
      yield { line: 1, text: line, error: 'the file starts with a UTF-8 byte-order mark (BOM), which Redshift COPY rejects; save the file as UTF-8 without BOM' };
      return;
    }
    if (pending && line.trimStart().startsWith('{') && innermostOpenBracket(pending.text) === '{') {
      // A new object begins: the pending one was a broken line, not a multi-line object.
      yield { line: pending.line, text: pending.text, error: `malformed JSON: ${parseError(pending.text)}` };
      pending = undefined;
    }
    if (pending) {
      pending.text += `\n${line}`;
      const value = tryParse(pending.text);
      if (value !== undefined) {
        yield { line: pending.line, text: pending.text, value };
        pending = undefined;
      } else if (pending.text.length > MAX_RECORD_BYTES) {
        yield { line: pending.line, text: pending.text.slice(0, 2000), error: `a JSON object starting here never closes within ${MAX_RECORD_BYTES} bytes` };
        pending = undefined;
      }
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '') return;
    const value = tryParse(trimmed);
    if (value !== undefined) {
      yield { line: lineNumber, text: trimmed, value };
    } else if (trimmed.startsWith('{') && !trimmed.endsWith('}')) {
      pending = { line: lineNumber, text: trimmed }; // an object continued on the next lines
    } else {
      yield { line: lineNumber, text: trimmed, error: `malformed JSON: ${parseError(trimmed)}` };
    }
  };

  for await (const chunk of stream) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    const lines = text.split('\n');
    rest = lines.pop()!;
    for (const line of lines) yield* take(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
  rest += decoder.end();
  if (rest !== '') yield* take(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
  if (pending) yield { line: pending.line, text: pending.text.slice(0, 2000), error: `malformed JSON (the file ends inside this object): ${parseError(pending.text)}` };
}

/** The innermost bracket still open at the end of `text`, reading outside strings. */
function innermostOpenBracket(text: string): string | undefined {
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

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseError(text: string): string {
  try {
    JSON.parse(text);
    return 'unknown';
  } catch (error) {
    return (error as Error).message;
  }
}

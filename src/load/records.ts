// Splits a stream of JSON text into records with their line numbers: one object per
// line (event logs, compacted song files), or one object spread over several lines
// (a pretty-printed song file). A line that is not JSON becomes a record with a reason,
// never an exception: the caller decides whether to reject it or fail.
//
// The work is synchronous per chunk (JsonRecordReader.push): the loader handles a whole
// chunk of records between two awaits instead of paying a promise per record.
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

export type RecordSink = (record: JsonRecord) => void;

/** A record spread over more lines than this is treated as malformed rather than buffered on. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;
const BOM = '\uFEFF';

/** Feed it chunks in order; it hands each complete record to the sink, synchronously. */
export class JsonRecordReader {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private lineNumber = 0;
  private pending: { line: number; text: string } | undefined;

  push(chunk: Buffer | string, sink: RecordSink): void {
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      this.take(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end), sink);
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    this.rest = start === 0 ? text : text.slice(start);
  }

  /** The stream ended: the last line (without a newline) and any object left open. */
  end(sink: RecordSink): void {
    const rest = this.rest + this.decoder.end();
    this.rest = '';
    if (rest !== '') this.take(rest.endsWith('\r') ? rest.slice(0, -1) : rest, sink);
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      sink({ line: pending.line, text: pending.text.slice(0, 2000), error: `malformed JSON (the file ends inside this object): ${parseError(pending.text)}` });
    }
  }

  private take(line: string, sink: RecordSink): void {
    const lineNumber = ++this.lineNumber;
    if (lineNumber === 1 && line.startsWith(BOM)) {
      sink({ line: 1, text: line, error: 'the file starts with a UTF-8 byte-order mark (BOM), which Redshift COPY rejects; save the file as UTF-8 without BOM' });
      return;
    }
    let pending = this.pending;
    if (pending && line.trimStart().startsWith('{') && innermostOpenBracket(pending.text) === '{') {
      // A new object begins: the pending one was a broken line, not a multi-line object.
      sink({ line: pending.line, text: pending.text, error: `malformed JSON: ${parseError(pending.text)}` });
      pending = this.pending = undefined;
    }
    if (pending) {
      pending.text += `\n${line}`;
      const value = tryParse(pending.text);
      if (value !== undefined) {
        this.pending = undefined;
        sink({ line: pending.line, text: pending.text, value });
      } else if (pending.text.length > MAX_RECORD_BYTES) {
        this.pending = undefined;
        sink({ line: pending.line, text: pending.text.slice(0, 2000), error: `a JSON object starting here never closes within ${MAX_RECORD_BYTES} bytes` });
      }
      return;
    }
    const trimmed = isTrimmed(line) ? line : line.trim();
    if (trimmed === '') return;
    const value = tryParse(trimmed);
    if (value !== undefined) {
      sink({ line: lineNumber, text: trimmed, value });
    } else if (trimmed.startsWith('{') && !trimmed.endsWith('}')) {
      this.pending = { line: lineNumber, text: trimmed }; // an object continued on the next lines
    } else {
      sink({ line: lineNumber, text: trimmed, error: `malformed JSON: ${parseError(trimmed)}` });
    }
  }
}

export async function* readJsonRecords(stream: Readable): AsyncGenerator<JsonRecord> {
  const reader = new JsonRecordReader();
  let records: JsonRecord[] = [];
  const sink = (record: JsonRecord) => void records.push(record);
  for await (const chunk of stream) {
    reader.push(chunk as Buffer | string, sink);
    yield* records;
    records = [];
  }
  reader.end(sink);
  yield* records;
}

/** `{…}` with nothing around it, the usual line: no need to copy it through trim(). */
function isTrimmed(line: string): boolean {
  return line.charCodeAt(0) === 123 && line.charCodeAt(line.length - 1) === 125;
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

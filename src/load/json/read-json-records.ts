// The records of a whole stream, as an async iterator: for callers that take one record at a time.
import type { Readable } from 'node:stream';
import type { JsonRecord } from './json-record';
import { JsonRecordReader } from './records';

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

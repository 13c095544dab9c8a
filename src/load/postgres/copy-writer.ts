// Streams rows into `COPY … FROM STDIN` on the connection of a knex transaction, in
// large chunks with backpressure, and remembers which source line each COPY line came
// from (line-map.ts: a segment a run of lines, not an entry a row) so a server-side
// error can name the file and line.
// Rows are encoded at once into a buffer (no string outlives its row, which keeps the
// garbage collector's work small); the caller flushes when it is full, and the server
// works on one chunk while the next is parsed.
import { once } from 'node:events';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import type { ByteRowEncoder } from '../json/byte-row-encoder';
import { LineMap, type LineOrigin } from './line-map';

/** Bytes of COPY text sent at once: few, large messages; still bounded memory. */
const CHUNK_BYTES = 1024 * 1024;

/** The server refused the COPY: not a problem of the file being read. */
export class CopyFailed extends Error {
  constructor(readonly original: Error & { where?: string }) {
    super(original.message);
    this.name = 'CopyFailed';
  }
}

/** The step's database handle as the transaction a COPY needs; a dry run never gets here. */
export function asTransaction(db: Knex | Knex.Transaction): Knex.Transaction {
  if ((db as Knex.Transaction).isTransaction !== true)
    throw new Error(
      "COPY FROM STDIN must run inside the step's transaction (a bug: the runner gave a plain connection).",
    );
  return db as Knex.Transaction;
}

export class CopyWriter {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly ready: Buffer[] = [];
  private readyBytes = 0;
  private readonly lines = new LineMap();

  private constructor(
    private readonly stream: Writable,
    private readonly done: Promise<void>,
  ) {}

  /**
   * A transaction only: it hands back its own connection, so the COPY is part of it and
   * the connection goes back with it. A plain knex would lend a pool connection that is
   * never returned, and the COPY would commit apart from the step.
   */
  static async open(trx: Knex.Transaction, sql: string): Promise<CopyWriter> {
    const connection = (await trx.client.acquireConnection()) as { query(stream: Writable): Writable };
    const stream = connection.query(copyFrom(sql));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
    });
    done.catch(() => undefined); // observed by finish(); avoid an unhandled rejection meanwhile
    return new CopyWriter(stream, done);
  }

  /** `row` is one line of COPY text format, without its newline. Call flush() when full. */
  append(row: string, fileIndex: number, sourceLine: number): void {
    this.lines.add(fileIndex, sourceLine);
    // At most 3 bytes a UTF-16 unit, and the newline.
    if (this.used + row.length * 3 + 1 > this.chunk.length) this.nextChunk(row.length * 3 + 1);
    this.used += this.chunk.write(row, this.used, 'utf8');
    this.chunk[this.used++] = 10;
  }

  /**
   * The short path's row (byte-rows.ts): `encode` writes the COPY text of the JSON line
   * src[start, end) straight into the chunk; false when it declines the line.
   */
  appendLine(
    encode: ByteRowEncoder,
    src: Uint8Array,
    start: number,
    end: number,
    fileIndex: number,
    sourceLine: number,
  ): boolean {
    const room = end - start + 1;
    if (this.used + room > this.chunk.length) this.nextChunk(room);
    const to = encode(src, start, end, this.chunk, this.used);
    if (to < 0) return false;
    this.used = to;
    this.lines.add(fileIndex, sourceLine);
    return true;
  }

  /**
   * Rows already encoded as COPY text, each with its newline (a worker's output):
   * `rows` of them, the i-th from source line `sourceLines[i]` of the file. Call flush() when full.
   */
  appendEncoded(bytes: Buffer, fileIndex: number, sourceLines: Uint32Array, rows: number): void {
    this.lines.addAll(fileIndex, sourceLines, rows);
    this.nextChunk(0); // after the rows appended before these
    this.ready.push(bytes);
    this.readyBytes += bytes.length;
  }

  /** Enough is buffered to send. */
  get full(): boolean {
    return this.readyBytes + this.used >= CHUNK_BYTES;
  }

  async flush(): Promise<void> {
    this.nextChunk(0);
    if (this.ready.length === 0) return;
    const chunks = this.ready.splice(0);
    this.readyBytes = 0;
    try {
      let more = true;
      for (const chunk of chunks) more = this.stream.write(chunk);
      if (!more) await Promise.race([once(this.stream, 'drain'), this.done]);
    } catch (error) {
      throw new CopyFailed(error as Error);
    }
  }

  /** Sets the filled part aside to be sent, and starts a buffer with room for `atLeast` bytes. */
  private nextChunk(atLeast: number): void {
    if (this.used > 0) {
      this.ready.push(this.chunk.subarray(0, this.used));
      this.readyBytes += this.used;
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, atLeast));
      this.used = 0;
    } else if (this.chunk.length < atLeast) {
      this.chunk = Buffer.allocUnsafe(atLeast);
    }
  }

  async finish(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.done.catch((error: Error) => {
      throw new CopyFailed(error);
    });
  }

  /** Ends the COPY with an error so the server discards it and the connection stays usable. */
  abort(reason: Error): void {
    this.stream.destroy(reason);
  }

  /** The (file index, source line) of COPY's 1-based line `copyLine`. */
  origin(copyLine: number): LineOrigin | undefined {
    return this.lines.origin(copyLine);
  }
}

// One file of a load through the worker threads (parallel-load.ts): this thread reads it
// (and gunzips it) and hands its bytes to the file's worker in chunks, and later writes the
// worker's replies, in order, to the COPY. Reading runs ahead of writing by a bounded
// number of bytes, so a few files can be in progress at once without memory growing.
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { finishFile } from './classify';
import type { CopyWriter } from './copy-writer';
import type { FromWorker, ToWorker } from './format-worker';
import type { Reject } from './ledger';
import type { SourceFile } from './source-files';
import type { FileResult } from './stream-file';

/** Bytes of a file sent and not yet written to COPY: bounds memory; a whole usual file, so the next worker keeps busy. */
const IN_FLIGHT_BYTES = 32 * 1024 * 1024;
/** Stream chunks (gunzip's are 16 kB) are gathered to about this much before being sent. */
const SEND_BYTES = 256 * 1024;

/** One file: read and handed to its worker; the replies queued until written. */
export class Job {
  private readonly replies: FromWorker[] = [];
  private sent = 0;
  private taken = 0;
  private sentBytes = 0;
  private takenBytes = 0;
  private readonly sizes: number[] = [];
  private finished = false;
  private cancelled = false;
  private stream: Readable | undefined;
  private readError: Error | undefined;
  private waiter: (() => void) | undefined;
  private readerWaiter: (() => void) | undefined;

  constructor(
    private readonly index: number,
    private readonly file: SourceFile,
    private readonly worker: Worker,
    private readonly failure: () => Error | undefined,
  ) {
    void this.read();
  }

  receive(reply: FromWorker): void {
    this.replies.push(reply);
    this.wake();
  }

  wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
    const readerWaiter = this.readerWaiter;
    this.readerWaiter = undefined;
    readerWaiter?.();
  }

  cancel(): void {
    this.cancelled = true;
    this.stream?.destroy();
    this.wake();
  }

  private post(message: ToWorker, bytes = 0, transfer?: ArrayBuffer[]): void {
    this.sent++;
    this.sentBytes += bytes;
    this.sizes.push(bytes);
    try {
      this.worker.postMessage(message, transfer);
    } catch {
      // The worker is gone: its 'exit' event fails the load.
    }
  }

  private async read(): Promise<void> {
    const job = this.index;
    const filePath = this.file.path;
    let gathered: Buffer[] = [];
    let gatheredBytes = 0;
    const send = () => {
      // A copy of its own to transfer: stream chunks may share memory that is reused. Not
      // zero-filled first (allocUnsafeSlow: its own memory, not the pool): it is filled whole.
      const data = Buffer.allocUnsafeSlow(gatheredBytes);
      let offset = 0;
      for (const piece of gathered) {
        data.set(piece, offset);
        offset += piece.length;
      }
      this.post({ kind: 'chunk', job, path: filePath, data: data.buffer }, gatheredBytes, [data.buffer]);
      gathered = [];
      gatheredBytes = 0;
    };
    try {
      const stream = await this.file.open();
      this.stream = stream;
      if (this.cancelled) {
        stream.destroy();
        return;
      }
      for await (const chunk of stream) {
        if (this.cancelled || this.failure()) return;
        gathered.push(chunk as Buffer);
        gatheredBytes += (chunk as Buffer).length;
        if (gatheredBytes < SEND_BYTES) continue;
        send();
        while (this.sentBytes - this.takenBytes >= IN_FLIGHT_BYTES && !this.cancelled && !this.failure()) {
          await new Promise<void>((resolve) => (this.readerWaiter = resolve));
        }
      }
      if (this.cancelled || this.failure()) return;
      if (gatheredBytes > 0) send();
      this.post({ kind: 'end', job, path: filePath });
    } catch (error) {
      if (this.cancelled || this.failure()) return;
      this.readError = error as Error;
      // The chunks read before the error count, as in the in-thread path.
      if (gatheredBytes > 0) send();
      this.post({ kind: 'fail', job, path: filePath });
    } finally {
      this.finished = true;
      this.wake();
    }
  }

  /** Writes the file's rows as they come back; the file's totals once all have. */
  async write(writer: CopyWriter, reject: (r: Reject) => void): Promise<FileResult> {
    let last: FromWorker | undefined;
    for (;;) {
      const reply = this.replies.shift();
      if (reply) {
        this.takenBytes += this.sizes[this.taken++];
        this.wakeReader();
        for (const r of reply.rejects) reject(r);
        if (reply.rows > 0) writer.appendEncoded(Buffer.from(reply.bytes, 0, reply.used), this.index, reply.lines, reply.rows);
        last = reply;
        if (writer.full) await writer.flush();
        if (reply.error !== undefined) {
          // What the in-thread path does when a record's processing throws.
          this.cancel();
          return this.finish(reject, reply, reply.error);
        }
        if (this.finished && this.taken === this.sent) break;
        continue;
      }
      const error = this.failure();
      if (error) throw error;
      if (this.finished && this.taken === this.sent) break;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    return this.finish(reject, last, this.readError?.message);
  }

  /** The file's totals and whole-file reject, by the rules the in-thread path follows. */
  private finish(reject: (r: Reject) => void, last: FromWorker | undefined, failure: string | undefined): FileResult {
    const tally = { read: last?.read ?? 0, loaded: last?.loaded ?? 0, lastLine: last?.lastLine ?? 0, bytes: this.sentBytes };
    return finishFile(this.file, tally, failure, reject);
  }

  private wakeReader(): void {
    const readerWaiter = this.readerWaiter;
    this.readerWaiter = undefined;
    readerWaiter?.();
  }
}

// The main thread's side of one loader worker (parallel-load.ts runs them): the worker's
// batches queue here as they arrive, and are written to the COPY when their file's turn
// comes; each batch's bytes are granted back to the worker once written, so it reads on
// (worker-protocol.ts).
import type { Worker } from 'node:worker_threads';
import type { CopyWriter } from './copy-writer';
import type { Reject } from '../ledger';
import type { FileResult } from './stream-file';
import type { Batch, Grant } from './worker-protocol';

/** Grants are sent a megabyte or a file at a time rather than a batch at a time: fewer messages, and the worker's window is far larger. */
const GRANT_BYTES = 1024 * 1024;

export class WorkerLane {
  private readonly batches: Batch[] = [];
  private ungranted = 0;
  private waiter: (() => void) | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly failure: () => Error | undefined,
  ) {}

  receive(batch: Batch): void {
    this.batches.push(batch);
    this.wake();
  }

  /** Something changed: a batch came, or the load failed. */
  wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** Writes file `index`'s rows as they come (this worker's batches are all of its earlier files'); its totals once all have. */
  async writeFile(index: number, writer: CopyWriter, reject: (r: Reject) => void): Promise<FileResult> {
    for (;;) {
      const batch = this.batches.shift();
      if (!batch) {
        const error = this.failure();
        if (error) throw error;
        await new Promise<void>((resolve) => (this.waiter = resolve));
        continue;
      }
      if (batch.file !== index)
        throw new Error(`a loader worker sent file ${batch.file} while file ${index} was due (a bug)`);
      for (const r of batch.rejects) reject(r);
      if (batch.rows > 0) writer.appendEncoded(Buffer.from(batch.bytes, 0, batch.used), index, batch.lines, batch.rows);
      if (writer.full) await writer.flush();
      this.grant(batch.readBytes, batch.result !== undefined);
      if (batch.result) return batch.result;
    }
  }

  private grant(bytes: number, fileDone: boolean): void {
    this.ungranted += bytes;
    if (this.ungranted < GRANT_BYTES && !fileDone) return;
    const grant: Grant = { bytes: this.ungranted };
    this.ungranted = 0;
    try {
      this.worker.postMessage(grant);
    } catch {
      // The worker is gone: its 'exit' event fails the load.
    }
  }
}

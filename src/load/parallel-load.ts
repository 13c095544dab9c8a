// The streamed load with the JSON parsing and COPY formatting moved to worker threads:
// this thread reads (and gunzips) the files and writes the workers' COPY text to the
// server, in file order. Each file goes whole to one worker, and a few files are in
// progress at once, one a worker; a file's replies come back in order and are written
// only when the files before it are done, so COPY sees exactly the rows, in the order,
// that the in-thread path (streamFile in stream-load.ts) sends, and the rejects, counts
// and line numbers are the same.
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { finishFile, type RecordRules } from './classify';
import type { CopyWriter } from './copy-writer';
import { READY, type FromWorker, type ToWorker, type WorkerSetup } from './format-worker';
import type { Reject } from './ledger';
import type { SourceFile } from './source-files';

/** Below this many bytes of files the workers' start-up costs more than they save. */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;
/** Worker threads: the parsing is about twice the server's COPY work a row. */
export const WORKER_COUNT = 2;
/** The workers' V8 young generation, in MB. */
const WORKER_YOUNG_MB = 8;
/** And its old generation: a worker keeps only one file's reader and a chunk of output, so a small cap keeps memory flat as inputs grow. */
const WORKER_OLD_MB = 48;
/** Bytes of a file sent and not yet written to COPY: bounds memory; a whole usual file, so the next worker keeps busy. */
const IN_FLIGHT_BYTES = 32 * 1024 * 1024;
/** Stream chunks (gunzip's are 16 kB) are gathered to about this much before being sent. */
const SEND_BYTES = 256 * 1024;

export interface FileResult {
  read: number;
  loaded: number;
}

/**
 * Loads `files` in order through workers. `done` is called for each file in order, as
 * the in-thread loop does after each file; returning false stops before the next file.
 */
export async function loadWithWorkers(
  files: SourceFile[],
  setup: RecordRules,
  writer: CopyWriter,
  reject: (r: Reject) => void,
  done: (index: number, result: FileResult) => boolean,
): Promise<boolean> {
  const count = Math.max(1, Math.min(WORKER_COUNT, files.length));
  const workers: Worker[] = [];
  const jobs = new Map<number, Job>();
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const job of jobs.values()) job.wake();
  };
  try {
    for (let i = 0; i < count; i++) {
      const worker = startWorker(setup);
      workers.push(worker);
      worker.on('message', (reply: FromWorker | typeof READY) => reply !== READY && jobs.get(reply.job)?.receive(reply));
      worker.on('error', (error) => failAll(error));
      worker.on('exit', (code) => failAll(new Error(`a loader worker stopped (exit code ${code})`)));
    }
    // Nothing is read before every worker runs: a worker that cannot start (no tsx to
    // load it) leaves the load to the in-thread path.
    if (!(await Promise.all(workers.map(started))).every(Boolean)) return false;
    for (let index = 0; index < files.length; index++) {
      for (let next = index; next < Math.min(files.length, index + count); next++) {
        if (!jobs.has(next)) jobs.set(next, new Job(next, files[next], workers[next % count], () => failure));
      }
      const job = jobs.get(index)!;
      const result = await job.write(writer, reject);
      jobs.delete(index);
      if (!done(index, result)) break;
    }
    return true;
  } catch (error) {
    if (workers.length < count) return false; // a worker could not even be created
    throw error;
  } finally {
    for (const job of jobs.values()) job.cancel();
    jobs.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function startWorker(setup: WorkerSetup): Worker {
  // The worker is TypeScript too: load it through tsx's require hook, as the project runs.
  return new Worker(path.join(__dirname, 'format-worker.ts'), {
    workerData: setup,
    execArgv: ['--require', require.resolve('tsx/cjs')],
    stdout: false,
    stderr: false,
    // Its garbage is short-lived (a chunk's records): a small young generation keeps its memory small.
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB, maxOldGenerationSizeMb: WORKER_OLD_MB },
  });
}

/** Resolves true when the worker says it is ready, false if it fails or stops first. */
function started(worker: Worker): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (ok: boolean) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(ok);
    };
    const onMessage = (message: unknown) => settle(message === READY);
    const onError = () => settle(false);
    const onExit = () => settle(false);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** One file: read and handed to its worker; the replies queued until written. */
class Job {
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
      // A copy of its own to transfer: stream chunks may share memory that is reused.
      const data = new Uint8Array(gatheredBytes);
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

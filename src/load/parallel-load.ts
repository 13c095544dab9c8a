// The streamed load with the JSON parsing and COPY formatting moved to worker threads:
// this thread reads (and gunzips) the files and writes the workers' COPY text to the
// server, in file order. Each file goes whole to one worker, and a few files are in
// progress at once, one a worker; a file's replies come back in order and are written
// only when the files before it are done, so COPY sees exactly the rows, in the order,
// that the in-thread path (stream-file.ts) sends, and the rejects, counts and line
// numbers are the same. This module runs the workers; worker-job.ts moves one file
// through one; format-worker.ts is the workers' body.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RecordRules } from './classify';
import type { CopyWriter } from './copy-writer';
import { READY, type FromWorker, type WorkerSetup } from './format-worker';
import type { Reject } from './ledger';
import type { SourceFile } from './source-files';
import type { FileResult } from './stream-file';
import { Job } from './worker-job';

/** Below this many bytes of files the workers' start-up costs more than they save. */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;
/** Worker threads: the parsing is about twice the server's COPY work a row. */
export const WORKER_COUNT = 2;
/** The workers' V8 young generation, in MB. */
const WORKER_YOUNG_MB = 8;
/** And its old generation: a worker keeps only one file's reader and a chunk of output, so a small cap keeps memory flat as inputs grow. */
const WORKER_OLD_MB = 48;

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

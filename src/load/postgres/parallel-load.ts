// The streamed load with the reading, JSON parsing and COPY formatting moved to worker
// threads: this thread only writes the workers' COPY text to the server, in file order.
// Each file goes whole to one worker (file i to worker i mod n), given when the worker
// starts; each worker opens and reads its files itself, in order, and sends its rows in
// batches. A file's batches are written only when the files before it are done, so COPY
// sees exactly the rows, in the order, that the in-thread path (stream-file.ts) sends,
// and the rejects, counts and line numbers are the same. A worker reads ahead of the
// writing by a bounded number of bytes (worker-protocol.ts). This module runs the
// workers; worker-lane.ts is this thread's side of one; format-worker.ts is their body.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RecordRules } from '../json/row-formatter';
import type { CopyWriter } from './copy-writer';
import type { Reject } from '../ledger';
import type { Tail } from '../read-hash';
import type { S3Options } from '../s3';
import { fieldsOf, type SourceFile } from '../source-files';
import type { FileResult } from './stream-file';
import { WorkerLane } from './worker-lane';
import { READY, type Batch, type WorkerSetup } from './worker-protocol';
import { typeScriptExecArgv } from '../../ts-loader';

/** Below this many bytes of files the workers' start-up costs more than they save. */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;
/** Worker threads: the parsing is about twice the server's COPY work a row. */
const WORKER_COUNT = 2;
/** The workers' V8 young generation, in MB. */
const WORKER_YOUNG_MB = 8;
/** And its old generation: a worker keeps only one file's reader and a batch of output, so a small cap keeps memory flat as inputs grow. */
const WORKER_OLD_MB = 48;

/**
 * Loads `files` in order through workers. `done` is called for each file in order, as
 * the in-thread loop does after each file; returning false stops before the next file.
 * Resolves false, having written nothing, when a worker cannot start: the caller loads
 * on this thread instead.
 */
export async function loadWithWorkers(
  files: SourceFile[],
  rules: RecordRules,
  s3: S3Options,
  writer: CopyWriter,
  reject: (r: Reject) => void,
  done: (index: number, result: FileResult) => boolean,
  tails: ReadonlyMap<string, Tail> = new Map(),
): Promise<boolean> {
  const count = Math.max(1, Math.min(WORKER_COUNT, files.length));
  const workers: Worker[] = [];
  const lanes: WorkerLane[] = [];
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const lane of lanes) lane.wake();
  };
  try {
    for (let w = 0; w < count; w++) {
      const share = files.flatMap((file, index) =>
        index % count === w ? [{ ...fieldsOf(file), index, tail: tails.get(file.path) }] : [],
      );
      const worker = startWorker({ rules, files: share, s3: { region: s3.region, endpoint: s3.endpoint } });
      workers.push(worker);
      const lane = new WorkerLane(worker, () => failure);
      lanes.push(lane);
      worker.on('message', (message: Batch | typeof READY) => message !== READY && lane.receive(message));
      worker.on('error', (error) => failAll(error));
      worker.on('exit', (code) => failAll(new Error(`a loader worker stopped (exit code ${code})`)));
    }
    // Nothing is written before every worker runs: a worker that cannot start (nothing to
    // load its TypeScript) leaves the load to the in-thread path.
    if (!(await Promise.all(workers.map(started))).every(Boolean)) return false;
    for (let index = 0; index < files.length; index++) {
      const result = await lanes[index % count].writeFile(index, writer, reject);
      if (!done(index, result)) break;
    }
    return true;
  } catch (error) {
    if (workers.length < count) return false; // a worker could not even be created
    throw error;
  } finally {
    // Also how a load that fails or stops early cancels the reading still under way.
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function startWorker(setup: WorkerSetup): Worker {
  // The worker is TypeScript too: it loads the way this thread did (the compiled build, or tsx under mocha).
  return new Worker(path.join(__dirname, 'format-worker.ts'), {
    workerData: setup,
    execArgv: typeScriptExecArgv(),
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

// What a command does when it is stopped (Ctrl-C, `kill`, a closed terminal): one place
// that owns SIGINT, SIGTERM and SIGHUP, so every part of a run gets its say before the
// process exits. First the work's own handlers (a run records that it was interrupted,
// while the warehouse still answers), then the last ones (the embedded server stops),
// then the exit code a shell expects (128 + the signal's number). A second signal while
// this runs exits at once (a copy of the first passed on by npm or tsx is not a second);
// a handler that takes longer than HANDLER_TIME_MS is left behind.
//
// The step in progress needs no handler: its transaction is on a connection that closes
// with the process, and the server rolls it back (no COMMIT was sent).

export type SignalHandler = (signal: StopSignal) => Promise<void> | void;
type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const EXIT_CODES: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Long enough for a few short statements on a live connection; a stuck one must not keep the process. */
const HANDLER_TIME_MS = 10_000;

const first = new Set<SignalHandler>();
const last = new Set<SignalHandler>();
let installed = false;
/** When the first signal came. */
let stopping: number | undefined;
/** Signals this close to the first are the same stop, passed on by a parent process. */
const SAME_STOP_MS = 1000;

/**
 * Runs `handler` when the process is stopped by a signal, before it exits; `last` ones
 * run after all the others. Returns the function that takes the handler back.
 */
export function onStopSignal(handler: SignalHandler, options: { last?: boolean } = {}): () => void {
  install();
  const set = options.last ? last : first;
  set.add(handler);
  return () => void set.delete(handler);
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(EXIT_CODES) as StopSignal[]) process.on(signal, () => void stop(signal));
}

async function stop(signal: StopSignal): Promise<void> {
  if (stopping !== undefined) {
    // The same stop often arrives twice: a terminal signals the whole process group, and
    // npm and tsx each pass it on to their child too. A second one later: the user means it.
    if (Date.now() - stopping > SAME_STOP_MS) process.exit(EXIT_CODES[signal]);
    return;
  }
  stopping = Date.now();
  for (const handlers of [first, last]) {
    for (const handler of [...handlers]) await withinTime(handler, signal);
  }
  process.exit(EXIT_CODES[signal]);
}

async function withinTime(handler: SignalHandler, signal: StopSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      process.stderr.write(`A clean-up after ${signal} took over ${HANDLER_TIME_MS / 1000} s and was left.\n`);
      resolve();
    }, HANDLER_TIME_MS);
  });
  try {
    await Promise.race([Promise.resolve().then(() => handler(signal)), late]);
  } catch (error) {
    process.stderr.write(`A clean-up after ${signal} failed: ${(error as Error).message}\n`);
  } finally {
    clearTimeout(timer);
  }
}

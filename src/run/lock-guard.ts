// What a run asks of the run lock it holds while it works (src/run/run-lock.ts holds it;
// the step runner asks). A file of its own so that the runner names these two checks and
// nothing of the lock's connection.

export interface RunLockGuard {
  /** Rejects with RunLockLostError as soon as the lock's connection is gone; never resolves. */
  lost: Promise<never>;
  /** Throws RunLockLostError unless the lock's connection still answers. */
  check(): Promise<void>;
}

// When a statement fails for the server's own reasons (a full disk, no memory, a crash)
// rather than the data's, the message must say so: "fix the value" for a full disk sends
// the user to the wrong place. PostgreSQL names the reason in the SQLSTATE (class 53,
// insufficient resources; class 58, system error: PostgreSQL manual, appendix A, "Error
// codes"). A server that crashed sends nothing at all (node-pg: "Connection terminated
// unexpectedly"); the embedded server's log then says why, and is quoted.
import fs from 'node:fs';

const TROUBLE: Record<string, string> = {
  '53100':
    "the database server's disk is full (SQLSTATE 53100), which is no fault of the data. Free space on the disk that holds the server's data " +
    '(the embedded server keeps it in EMBEDDED_PG_DATA_DIR, default .warehouse/), then run again',
  '53200':
    'the database server ran out of memory (SQLSTATE 53200), which is no fault of the data. Free memory on its machine, then run again',
  '53300':
    'the database server has no connection left (SQLSTATE 53300). Close other sessions or raise max_connections, then run again',
  '58030':
    "the database server could not read or write its files (SQLSTATE 58030, I/O error). Check its disk and the server's log, then run again",
};

/** What a server-side failure means when it is the server's own trouble, as a sentence that ends with the fix; undefined otherwise. */
export function serverTrouble(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? TROUBLE[code] : undefined;
}

/** node-pg's and the server's words when a connection ends without a reason (a crash, a PANIC, a kill) or cannot be had while the server recovers. */
export const CONNECTION_LOST =
  /Connection terminated unexpectedly|server closed the connection unexpectedly|terminating connection because of crash|connection error and is not queryable|ECONNRESET|database system is in recovery mode/i;

/** Log lines that say why a server stopped answering. */
const WHY = /No space left on device|PANIC:|terminated by signal|out of memory|could not write/i;

/**
 * The last lines of a server log that say why it dropped its connections, quoted for a
 * message; undefined when the log says nothing of the kind (or cannot be read).
 */
export function whyTheServerDropped(logFile: string): string | undefined {
  let text: string;
  try {
    const fd = fs.openSync(logFile, 'r');
    try {
      // The tail only: the log grows with every run.
      const size = fs.fstatSync(fd).size;
      const tail = Buffer.alloc(Math.min(size, 64 * 1024));
      fs.readSync(fd, tail, 0, tail.length, size - tail.length);
      text = tail.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const lines = text.split('\n').filter((line) => WHY.test(line));
  if (lines.length === 0) return undefined;
  const quoted = lines.slice(-2).map((line) => `"${line.trim()}"`);
  const full = lines.some((line) => /No space left on device/i.test(line))
    ? ' The disk that holds its data is full: free space there (EMBEDDED_PG_DATA_DIR, default .warehouse/), then run again.'
    : '';
  return `The embedded server's log (${logFile}) says: ${quoted.join(' … ')}.${full}`;
}

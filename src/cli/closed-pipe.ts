// `npm run cluster -- status | head -3`: once the reader has what it wants it closes the
// pipe, and the next write fails with EPIPE, which Node raises as an uncaught error with a
// stack. The command keeps working (a delete half done because `head` left would be worse)
// and its further output has nowhere to go, so it is dropped; the exit code stays the
// command's own.
const GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

export function dropOutputOnClosedPipe(stream: NodeJS.WritableStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (!GONE.has(error.code ?? '')) throw error;
  });
}

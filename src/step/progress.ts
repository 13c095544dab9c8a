// A live progress line for loads on a terminal (files, rows, bytes, rate), and a
// line every few seconds when output goes to a file or CI log.
interface ProgressState {
  files: number;
  totalFiles: number;
  rows: number;
  bytes: number;
}

export interface Progress {
  start(label: string, totalFiles: number): void;
  update(state: Omit<ProgressState, 'totalFiles'>): void;
  done(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, done() {} };

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let label = '';
  let total = 0;
  let started = 0;
  let lastPrint = 0;
  let lastState: Omit<ProgressState, 'totalFiles'> = { files: 0, rows: 0, bytes: 0 };
  const interval = stream.isTTY ? 200 : 5000;
  const render = () => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const { files, rows, bytes } = lastState;
    return `${label}: ${files}/${total} files, ${rows.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(1)} MB, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`;
  };
  return {
    start(name, totalFiles) {
      label = name;
      total = totalFiles;
      started = Date.now();
      lastPrint = started;
    },
    update(state) {
      lastState = state;
      const now = Date.now();
      if (now - lastPrint < interval) return;
      lastPrint = now;
      stream.write(stream.isTTY ? `\r${render()}\u001b[K` : `${render()}\n`);
    },
    done() {
      if (stream.isTTY && lastPrint !== started) stream.write('\r\u001b[K');
    },
  };
}

// Which source file and line each line of a COPY came from, so an error the server reports
// as "COPY staging_events, line 123456" can name the file and line to fix. Rows mostly come
// in runs (line n+1 of a file follows line n), so the map keeps one segment a run: the COPY
// line it starts at, the file, and the file's line there. A blank, rejected or multi-line
// record, or the next file, starts a new segment. Memory grows with the files and those
// breaks, not with the rows: a million rows of clean event logs are a few dozen segments.
export interface LineOrigin {
  fileIndex: number;
  line: number;
}

export class LineMap {
  /** 1-based COPY line where each segment starts; ascending. */
  private copyStart: Uint32Array = new Uint32Array(64);
  private file: Uint32Array = new Uint32Array(64);
  private sourceStart: Uint32Array = new Uint32Array(64);
  private count = 0;
  /** COPY lines mapped so far. */
  rows = 0;
  /** Where the next row continues the last segment. */
  private nextFile = -1;
  private nextLine = -1;

  /** The next COPY line came from `sourceLine` of file `fileIndex`. */
  add(fileIndex: number, sourceLine: number): void {
    this.rows++;
    if (fileIndex !== this.nextFile || sourceLine !== this.nextLine) this.startSegment(fileIndex, sourceLine);
    this.nextLine = sourceLine + 1;
  }

  /** The next `rows` COPY lines came from lines `sourceLines[0..rows)` of file `fileIndex`. */
  addAll(fileIndex: number, sourceLines: Uint32Array, rows: number): void {
    for (let i = 0; i < rows; i++) this.add(fileIndex, sourceLines[i]);
  }

  /** The origin of COPY's 1-based line `copyLine`, or undefined when no row was sent there. */
  origin(copyLine: number): LineOrigin | undefined {
    if (!Number.isInteger(copyLine) || copyLine < 1 || copyLine > this.rows) return undefined;
    // The last segment starting at or before copyLine.
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.copyStart[middle] <= copyLine) low = middle;
      else high = middle - 1;
    }
    return { fileIndex: this.file[low], line: this.sourceStart[low] + (copyLine - this.copyStart[low]) };
  }

  /** Segments held: what the map's memory grows with. */
  get segments(): number {
    return this.count;
  }

  private startSegment(fileIndex: number, sourceLine: number): void {
    if (this.count === this.copyStart.length) {
      this.copyStart = grown(this.copyStart);
      this.file = grown(this.file);
      this.sourceStart = grown(this.sourceStart);
    }
    this.copyStart[this.count] = this.rows;
    this.file[this.count] = fileIndex;
    this.sourceStart[this.count] = sourceLine;
    this.count++;
    this.nextFile = fileIndex;
  }
}

function grown(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

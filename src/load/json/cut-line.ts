// A line that a chunk's end cut off, kept until its newline comes. Up to Redshift's limit
// for one JSON object its pieces are kept, to be joined once; past the limit only its
// length and first bytes are, and the rest of it is read past, so a line of any length (a
// 5 GB file with no newline) is rejected as a line in flat memory, and the next line
// reads as usual. AWS, "Using COPY to load data into SUPER columns"
// (https://docs.aws.amazon.com/redshift/latest/dg/copy_json.html): "The maximum size of a
// JSON object in Amazon Redshift is 4 MB, which applies before any shredding or parsing."
import { decodeMarkingInvalid, showInvalidBytes } from './utf8';

/** The longest line read, in bytes without its newline: Redshift's 4 MB for one JSON object. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
/** Bytes of an over-long line kept to show in load_errors. */
const HEAD_BYTES = 1000;

export class CutLine {
  private pieces: Buffer[] = [];
  /** The line's bytes so far. */
  bytes = 0;
  /** Set once the line is over the limit: its first bytes. */
  private head: Buffer | undefined;

  /** More of the line, without a newline. Copied: a stream may reuse its chunks. */
  add(piece: Buffer): void {
    this.bytes += piece.length;
    if (this.head !== undefined || piece.length === 0) return;
    if (this.bytes > MAX_LINE_BYTES) {
      this.head = Buffer.concat([...this.pieces, piece], HEAD_BYTES);
      this.pieces = [];
      return;
    }
    this.pieces.push(Buffer.from(piece));
  }

  get tooLong(): boolean {
    return this.head !== undefined;
  }

  /** The line joined up (within the limit), and its newline when it had one. */
  joined(newline: boolean): Buffer {
    return Buffer.concat(newline ? [...this.pieces, NEWLINE] : this.pieces);
  }

  /** Why an over-long line is rejected. */
  get reason(): string {
    return `the line is ${this.bytes} bytes, longer than the ${MAX_LINE_BYTES} bytes (4 MB) Redshift's COPY takes for one JSON object; split the record, or shorten its values`;
  }

  /** An over-long line's first bytes, for people to read (invalid bytes as \xHH). */
  get shown(): string {
    return `${showInvalidBytes(decodeMarkingInvalid(this.head ?? Buffer.alloc(0)))}…`;
  }
}

const NEWLINE = Buffer.from('\n');

// The gzipped parts `compact` writes, one open at a time: lines are buffered into large
// writes, and a new part begins once the current one holds its share of the input (the
// part count is fixed up front, so each part aims at an equal slice of the bytes).
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { partName, type CompactOutput } from './output';
import { encodeKeepingInvalidBytes } from '../load/json/utf8';

/** Text is handed to gzip in writes of about this many characters. */
const WRITE_CHARS = 256 * 1024;

export interface CompactedPart {
  uri: string;
  records: number;
}

interface OpenPart {
  name: string;
  gzip: Gzip;
  done: Promise<void>;
  records: number;
}

export class PartWriter {
  /** Every part opened, in order: what to publish, or to discard after a failure. */
  readonly names: string[] = [];
  /** The parts finished so far. */
  readonly parts: CompactedPart[] = [];
  private part: OpenPart | undefined;
  private text = '';

  constructor(
    private readonly output: CompactOutput,
    private readonly planned: number,
    private readonly totalBytes: number,
  ) {}

  /**
   * Whether lines read when `progress` bytes of the input are done belong in a new part:
   * none is open yet, or the open one has records and its share of the input.
   */
  wantsNewPart(progress: number): boolean {
    if (!this.part) return true;
    const opened = this.names.length;
    return this.part.records > 0 && opened < this.planned && progress >= (opened * this.totalBytes) / this.planned;
  }

  /** Appends lines to the open part, or first to a new one. */
  async write(lines: string[], newPart: boolean): Promise<void> {
    if (newPart || !this.part) {
      await this.close();
      this.open();
    }
    this.part!.records += lines.length;
    this.text += `${lines.join('\n')}\n`;
    if (this.text.length >= WRITE_CHARS) await this.send();
  }

  /** Finishes the open part, if any: its last text, the gzip trailer, the output stream. */
  async close(): Promise<void> {
    const part = this.part;
    if (!part) return;
    await this.send();
    part.gzip.end();
    await part.done;
    this.parts.push({ uri: this.output.uri(part.name), records: part.records });
    this.part = undefined;
  }

  /** After a failure: stops the open part's stream (the caller discards what was written). */
  abort(error: Error): void {
    this.part?.gzip.destroy(error);
  }

  private open(): void {
    const name = partName(this.names.length);
    this.names.push(name);
    const gzip = createGzip({ level: 6 });
    const done = pipeline(gzip, this.output.openPart(name));
    done.catch(() => undefined); // awaited in close(), or abandoned by abort()
    this.part = { name, gzip, done, records: 0 };
  }

  private async send(): Promise<void> {
    const part = this.part;
    if (!part || this.text === '') return;
    const chunk = this.text;
    this.text = '';
    // The bytes as read: a byte that is not UTF-8 stays itself, not U+FFFD, for COPY to judge.
    if (!part.gzip.write(encodeKeepingInvalidBytes(chunk))) await Promise.race([once(part.gzip, 'drain'), part.done]);
  }
}

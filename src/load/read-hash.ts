// The SHA-256 of a file's bytes, taken in the pass that loads them (no second read), and
// for an appended file the cut between the bytes loaded before and the new tail: the
// ledger's hash lets the next run tell an append from an edit (changed-files.ts).
import { createHash, type Hash } from 'node:crypto';

/** Where the new bytes of an appended file start, and what its old bytes hashed to. */
export interface Tail {
  /** Bytes loaded before: the tail starts here. */
  from: number;
  /** The source line the tail starts at, so rejects and COPY errors name the file's own lines. */
  firstLine: number;
  /** SHA-256 of bytes [0, from), as the check before the load found it. */
  prefixSha256: string;
}

/** What a load read of one file: its bytes and their hash, and with a tail the hash of the bytes before it. */
export interface ReadDigest {
  bytes: number;
  sha256: string;
  /** Set when reading a tail: the hash of the bytes before it, as read by this pass (absent if the file ended first). */
  prefixSha256?: string;
}

const NOTHING = Buffer.alloc(0);

/**
 * Hashes every chunk of a file as the loader reads it, and hands on the part to load: all
 * of it, or with a tail only the bytes from `tail.from` on. The chunk may be reused for the
 * next read (fileChunks), so it is hashed at once. SHA-256 runs far ahead of the parsing
 * where the CPU has SHA extensions.
 */
export class ReadHasher {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private prefixSha256: string | undefined;

  constructor(private readonly tail?: Tail) {}

  take(chunk: Buffer): Buffer {
    const start = this.bytes;
    this.bytes += chunk.length;
    const from = this.tail?.from ?? 0;
    if (start >= from) {
      this.hash.update(chunk);
      return chunk;
    }
    const cut = Math.min(chunk.length, from - start);
    this.hash.update(chunk.subarray(0, cut));
    if (start + cut === from) this.prefixSha256 = this.hash.copy().digest('hex');
    if (cut === chunk.length) return NOTHING;
    const rest = chunk.subarray(cut);
    this.hash.update(rest);
    return rest;
  }

  digest(): ReadDigest {
    const digest: ReadDigest = { bytes: this.bytes, sha256: this.hash.digest('hex') };
    if (this.tail) digest.prefixSha256 = this.prefixSha256;
    return digest;
  }
}

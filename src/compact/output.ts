// Where `compact` writes its parts: a folder, or an S3 prefix. Parts are written whole
// or not at all: in a folder under a temporary name renamed at the end; on S3 as one
// PutObject, or as a multipart upload once a part outgrows one buffer, so memory stays
// bounded by that buffer whatever the size of the part.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { clientFor, listObjects, parseS3Uri, s3Call, type S3Options } from '../load/s3';
import { isS3Uri } from '../load/source-files';

const PART_NAME = /^part-\d{4,}\.json\.gz$/;

export function partName(index: number): string {
  return `part-${String(index).padStart(4, '0')}.json.gz`;
}

export interface CompactOutput {
  /** The URI of part `name`. */
  uri(name: string): string;
  /** Removes the parts an earlier run left (only files named like parts); returns how many. */
  clearOldParts(): Promise<number>;
  /** A stream that becomes part `name` when it finishes. */
  openPart(name: string): Writable;
  /** Makes the finished parts visible (folder: renames them into place). */
  publish(names: string[]): Promise<void>;
  /** After a failure: removes what this run wrote. */
  discard(names: string[]): Promise<void>;
}

export function compactOutput(to: string, s3: S3Options, uploadPartBytes: number): CompactOutput {
  return isS3Uri(to) ? s3Output(to, s3, uploadPartBytes) : folderOutput(path.resolve(to));
}

function folderOutput(dir: string): CompactOutput {
  const temp = (name: string) => path.join(dir, `.${name}.partial`);
  return {
    uri: (name) => path.join(dir, name),
    async clearOldParts() {
      if (!fs.existsSync(dir)) return 0;
      const old = fs.readdirSync(dir).filter((f) => PART_NAME.test(f));
      for (const f of old) fs.rmSync(path.join(dir, f), { force: true });
      return old.length;
    },
    openPart(name) {
      fs.mkdirSync(dir, { recursive: true });
      return fs.createWriteStream(temp(name));
    },
    async publish(names) {
      for (const name of names) fs.renameSync(temp(name), path.join(dir, name));
    },
    async discard(names) {
      for (const name of names) fs.rmSync(temp(name), { force: true });
    },
  };
}

function s3Output(to: string, options: S3Options, uploadPartBytes: number): CompactOutput {
  const { bucket, prefix: given } = parseS3Uri(to);
  const prefix = given === '' || given.endsWith('/') ? given : `${given}/`;
  const client = clientFor(options);
  const del = (key: string) =>
    s3Call(`delete s3://${bucket}/${key}`, () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
  return {
    uri: (name) => `s3://${bucket}/${prefix}${name}`,
    async clearOldParts() {
      const old = (await listObjects(bucket, prefix, options)).filter((o) =>
        PART_NAME.test(o.key.slice(prefix.length)),
      );
      for (const o of old) await del(o.key);
      return old.length;
    },
    openPart: (name) => new S3PartStream(options, bucket, `${prefix}${name}`, uploadPartBytes),
    async publish() {
      // Each object appeared whole when its upload completed.
    },
    async discard(names) {
      for (const name of names) await del(`${prefix}${name}`).catch(() => undefined);
    },
  };
}

/** Buffers up to `partBytes`; a bigger object goes up as a multipart upload, piece by piece. */
class S3PartStream extends Writable {
  private pieces: Buffer[] = [];
  private buffered = 0;
  private uploadId: string | undefined;
  private readonly uploaded: Array<{ PartNumber: number; ETag: string }> = [];

  constructor(
    private readonly options: S3Options,
    private readonly bucket: string,
    private readonly key: string,
    private readonly partBytes: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pieces.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.partBytes) return callback();
    this.uploadBuffered().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.finish().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.uploadId === undefined) return callback(error);
    const abort = new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId });
    clientFor(this.options)
      .send(abort)
      .then(
        () => callback(error),
        () => callback(error),
      );
  }

  private take(): Buffer {
    const body = Buffer.concat(this.pieces);
    this.pieces = [];
    this.buffered = 0;
    return body;
  }

  private async uploadBuffered(): Promise<void> {
    const client = clientFor(this.options);
    const where = `upload s3://${this.bucket}/${this.key}`;
    if (this.uploadId === undefined) {
      const created = await s3Call(where, () =>
        client.send(
          new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, ContentType: 'application/gzip' }),
        ),
      );
      this.uploadId = created.UploadId!;
    }
    const PartNumber = this.uploaded.length + 1;
    const body = this.take();
    const part = await s3Call(where, () =>
      client.send(
        new UploadPartCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, PartNumber, Body: body }),
      ),
    );
    this.uploaded.push({ PartNumber, ETag: part.ETag! });
  }

  private async finish(): Promise<void> {
    const client = clientFor(this.options);
    const where = `upload s3://${this.bucket}/${this.key}`;
    if (this.uploadId === undefined) {
      const body = this.take();
      await s3Call(where, () =>
        client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: body, ContentType: 'application/gzip' }),
        ),
      );
      return;
    }
    if (this.buffered > 0) await this.uploadBuffered();
    await s3Call(where, () =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.uploaded },
        }),
      ),
    );
    this.uploadId = undefined;
  }
}

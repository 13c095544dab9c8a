// An S3 key's extension is read without regard to case, by the same check as a local
// file's: `X.JSON.GZ` is gunzipped when streamed, and the Redshift loader puts it in the
// COPY that has GZIP (one COPY a compression kind). Real S3 endpoint on loopback (s3rver).
import { expect } from 'chai';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { byCompression } from '../../src/load/redshift/manifest';
import { listSourceFiles } from '../../src/load/source-files';
import { startLocalS3, type LocalS3 } from '../support/s3rver';

const BUCKET = 'sparkify-case';

describe('S3 keys: one case-insensitive extension check (s3rver)', () => {
  let s3: LocalS3;
  const text = '{"artist":"a","ts":1}\n';

  before(async () => {
    s3 = await startLocalS3(BUCKET);
    const put = (key: string, body: string | Buffer) =>
      s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    await put('logs/a.json', text);
    await put('logs/B.JSON.GZ', gzipSync(text));
    await put('logs/c.Json.Gz', gzipSync(text));
    await put('logs/d.NDJSON', text);
    await put('logs/e.txt', text);
  });
  after(async () => {
    await s3?.stop();
  });

  it('lists .JSON.GZ as gzipped, gunzips it when streamed, and groups it into the GZIP COPY', async () => {
    const files = await listSourceFiles(`s3://${BUCKET}/logs`, { endpoint: s3.endpoint, region: 'us-east-1' });
    expect(files.map((f) => [f.path.split('/').pop(), f.gzip])).to.deep.equal([
      ['B.JSON.GZ', true],
      ['a.json', false],
      ['c.Json.Gz', true],
      ['d.NDJSON', false],
    ]);
    for (const file of files) {
      const chunks: Buffer[] = [];
      for await (const chunk of await file.open()) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString('utf8'), file.path).to.equal(text);
    }
    expect(byCompression(files).map((g) => [g.kind, g.files.map((f) => f.path.split('/').pop())])).to.deep.equal([
      ['plain', ['a.json', 'd.NDJSON']],
      ['gzip', ['B.JSON.GZ', 'c.Json.Gz']],
    ]);
  });
});

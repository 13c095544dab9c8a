// A real S3 endpoint on loopback (s3rver) for tests, with one bucket, and a way to
// upload a folder into it. Sets s3rver's fixed credentials while it runs (they only ever
// reach loopback) and restores the environment when it stops.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadModule } from '../../src/load-module';

// s3rver ships no types: the little of it used here is typed at the call.
const S3rver = loadModule('s3rver') as new (options: Record<string, unknown>) => { run(): Promise<{ port: number }>; close(): Promise<void> };

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /** Uploads every file under `dir` to `prefix/<relative path>`. */
  upload(dir: string, prefix: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalS3(bucket: string): Promise<LocalS3> {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: storage, configureBuckets: [{ name: bucket }] });
  const address: { port: number } = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
  return {
    endpoint,
    client,
    async upload(dir, prefix) {
      for (const file of filesUnder(dir)) {
        const key = `${prefix}/${path.relative(dir, file).split(path.sep).join('/')}`;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.readFileSync(file) }));
      }
    },
    async stop() {
      client.destroy();
      await server.close();
      fs.rmSync(storage, { recursive: true, force: true });
      restore('AWS_ACCESS_KEY_ID', saved.id);
      restore('AWS_SECRET_ACCESS_KEY', saved.secret);
    },
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

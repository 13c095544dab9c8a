// A real S3 endpoint on loopback (s3rver, in a child process: s3rver-process.cjs says why)
// for tests, with one bucket, and a way to upload a folder into it. Sets s3rver's fixed credentials while it runs (they only ever
// reach loopback) and restores the environment when it stops.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /** Uploads every file under `dir` to `prefix/<relative path>`. */
  upload(dir: string, prefix: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalS3(bucket: string): Promise<LocalS3> {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', path.join(__dirname, 's3rver-process.cjs'), storage, bucket],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  const firstLine = await Promise.race([
    once(readline.createInterface({ input: child.stdout }), 'line').then(([line]) => line as string),
    exited.then(([code]) => Promise.reject(new Error(`s3rver exited with code ${String(code)} before it listened`))),
  ]);
  const { port } = JSON.parse(firstLine) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
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
      child.stdin.end();
      await exited;
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

/** Every file under `dir`, sorted. */
export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

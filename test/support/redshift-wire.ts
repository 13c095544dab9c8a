// The tool against the Redshift stand-in, as a user runs it: each command a child process
// whose environment points at the stand-in (TLS verified through NODE_EXTRA_CA_CERTS, IAM
// credentials from the fake AWS endpoint), with s3rver as S3 and a real PostgreSQL database
// behind the stand-in.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PROJECT_ROOT } from '../../src/config';
import { createTestDatabase, type TestDatabase } from './databases';
import { startRedshiftStandin, type Deployment, type RedshiftStandin, type StandinOptions } from './redshift-standin';
import { startLocalS3, type LocalS3 } from './s3rver';

export { filesUnder } from './s3rver';

export const WIRE_BUCKET = 'sparkify-wire';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface WireSetup {
  standin: RedshiftStandin;
  s3: LocalS3;
  /** The database behind the stand-in: read the warehouse here. */
  backing: TestDatabase;
  env: Record<string, string>;
  /** Runs `npm run <script>`'s script with `args` and the stand-in's environment. */
  run(script: string, args?: string[], env?: Record<string, string>): Promise<CommandResult>;
  /** Uploads files (absolute paths) under `dir` to `prefix/<path relative to dir>`, several at a time. */
  upload(dir: string, files: string[], prefix: string): Promise<void>;
  put(key: string, body: string | Buffer): Promise<void>;
  stop(): Promise<void>;
}

export interface WireOptions {
  deployment: Deployment;
  auth: 'password' | 'iam';
  /** Load only new or changed files through manifests (MANIFEST_PREFIX). */
  manifests: boolean;
  serverless?: StandinOptions['serverless'];
}

export async function startWire(options: WireOptions): Promise<WireSetup> {
  const s3 = await startLocalS3(WIRE_BUCKET);
  const backing = await createTestDatabase('embedded', { migrate: false });
  const standin = await startRedshiftStandin({
    deployment: options.deployment,
    auth: options.auth,
    backing: backing.connection,
    s3Endpoint: s3.endpoint,
    serverless: options.serverless,
  });
  const env: Record<string, string> = {
    ...standin.env,
    LOG_DATA: `s3://${WIRE_BUCKET}/log_data`,
    SONG_DATA: `s3://${WIRE_BUCKET}/song_data`,
    LOG_JSONPATH: `s3://${WIRE_BUCKET}/log_json_path.json`,
    S3_ENDPOINT: s3.endpoint,
    SOURCE_REGION: 'us-west-2',
    REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
    // s3rver's own keys: the fake AWS endpoint does not check signatures, s3rver does.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    ...(options.manifests ? { MANIFEST_PREFIX: `s3://${WIRE_BUCKET}/manifests/` } : {}),
  };
  const put = async (key: string, body: string | Buffer) => {
    await s3.client.send(new PutObjectCommand({ Bucket: WIRE_BUCKET, Key: key, Body: body }));
  };
  return {
    standin,
    s3,
    backing,
    env,
    run: (script, args = [], extra = {}) => runScript(script, args, { ...env, ...extra }),
    put,
    async upload(dir, files, prefix) {
      const queue = [...files];
      const worker = async () => {
        for (let file = queue.shift(); file; file = queue.shift())
          await put(`${prefix}/${path.relative(dir, file).split(path.sep).join('/')}`, fs.readFileSync(file));
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    },
    async stop() {
      await standin.stop();
      await backing.drop();
      await s3.stop();
    },
  };
}

/** The tool's own variables are cleared first, so a developer's .env or shell cannot leak in. */
function runScript(script: string, args: string[], env: Record<string, string>): Promise<CommandResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !/^(REDSHIFT_|AWS_|DATABASE_URL$|WAREHOUSE_TARGET$|MANIFEST_PREFIX$|LOG_DATA$|SONG_DATA$|LOG_JSONPATH$|S3_ENDPOINT$|SOURCE_REGION$|PG)/.test(
          k,
        ),
    ),
  );
  const child = spawn(
    process.execPath,
    [path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join('scripts', `${script}.ts`), ...args],
    {
      cwd: PROJECT_ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// One credential source for every AWS client (issue 23, item 4): keys or AWS_PROFILE in
// .env only (not in the environment) must sign the load's S3 requests as they sign the
// cluster commands'. A local HTTP endpoint stands in for S3 and records who signed.
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { listObjects, s3Options } from '../../src/load/s3';

const EMPTY_LISTING =
  '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>log_data</Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>';
const HIDDEN = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
];

describe('AWS credentials from .env reach the S3 client', () => {
  let server: http.Server;
  let endpoint: string;
  const signedBy: string[] = [];
  const saved: Record<string, string | undefined> = {};
  let dir: string;

  before(async () => {
    server = http.createServer((req, res) => {
      signedBy.push(/Credential=([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? '(unsigned)');
      res.writeHead(200, { 'content-type': 'application/xml' }).end(EMPTY_LISTING);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-source-'));
    // Nothing from this machine: no keys in the environment, no shared files, no instance role.
    for (const name of HIDDEN) saved[name] = process.env[name];
    for (const name of HIDDEN) delete process.env[name];
    process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });

  after(() => {
    server.close();
    for (const name of HIDDEN) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function configFrom(envText: string) {
    fs.writeFileSync(path.join(dir, '.env'), envText);
    const config = loadConfig({ cwd: dir, target: 'redshift', dryRun: true });
    config.s3Endpoint = endpoint;
    return config;
  }

  it('keys only in .env sign the S3 listing', async () => {
    signedBy.length = 0;
    const config = configFrom(
      'AWS_REGION=us-west-2\nAWS_ACCESS_KEY_ID=AKIDFROMDOTENV\nAWS_SECRET_ACCESS_KEY=secret-from-dotenv\nLOG_DATA=s3://b/log_data\n',
    );
    expect(await listObjects('b', 'log_data', s3Options(config))).to.deep.equal([]);
    expect(signedBy).to.deep.equal(['AKIDFROMDOTENV']);
  });

  it('AWS_PROFILE only in .env: the S3 client reads that profile', async () => {
    signedBy.length = 0;
    // A file of its own: the SDK caches each shared file it has read, by path.
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    fs.writeFileSync(
      process.env.AWS_SHARED_CREDENTIALS_FILE,
      '[sparkify-dev]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = secret-from-profile\n',
    );
    const config = configFrom('AWS_REGION=us-west-2\nAWS_PROFILE=sparkify-dev\n');
    await listObjects('b', 'log_data', s3Options(config));
    expect(signedBy).to.deep.equal(['AKIDFROMPROFILE']);
  });
});

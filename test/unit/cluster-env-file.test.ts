import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { rewriteEnv, updateEnvFile, writeEnvSettings } from '../../src/cluster/env-file';

const UPDATES = {
  REDSHIFT_HOST: 'sparkify.abc.us-west-2.redshift.amazonaws.com',
  REDSHIFT_PORT: '5439',
  REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
};

describe('cluster .env rewrite', () => {
  it('replaces keys in place and keeps every other line and comment as it was', () => {
    const before = [
      '# Sparkify settings',
      'WAREHOUSE_TARGET=redshift',
      '',
      '# the endpoint (written by npm run cluster -- create)',
      'REDSHIFT_HOST=old.example.com',
      'export REDSHIFT_PORT = 5440',
      '# REDSHIFT_IAM_ROLE_ARN=commented out, left alone',
      'REDSHIFT_PASSWORD="keep me #1"',
      '',
    ].join('\n');
    expect(rewriteEnv(before, UPDATES)).to.equal(
      [
        '# Sparkify settings',
        'WAREHOUSE_TARGET=redshift',
        '',
        '# the endpoint (written by npm run cluster -- create)',
        `REDSHIFT_HOST=${UPDATES.REDSHIFT_HOST}`,
        'export REDSHIFT_PORT = 5439',
        '# REDSHIFT_IAM_ROLE_ARN=commented out, left alone',
        'REDSHIFT_PASSWORD="keep me #1"',
        `REDSHIFT_IAM_ROLE_ARN=${UPDATES.REDSHIFT_IAM_ROLE_ARN}`,
        '',
      ].join('\n'),
    );
  });

  it('replaces every copy of a duplicated key, so no stale one wins', () => {
    expect(rewriteEnv('REDSHIFT_PORT=1\nA=b\nREDSHIFT_PORT=2\n', { REDSHIFT_PORT: '5439' })).to.equal(
      'REDSHIFT_PORT=5439\nA=b\nREDSHIFT_PORT=5439\n',
    );
  });

  it('keeps Windows line endings and adds a final newline when missing', () => {
    expect(rewriteEnv('A=1\r\nREDSHIFT_PORT=1', { REDSHIFT_PORT: '5439' })).to.equal('A=1\r\nREDSHIFT_PORT=5439\r\n');
    expect(rewriteEnv('A=1', { B: '2' })).to.equal('A=1\nB=2\n');
  });

  it('does not mistake a longer key with the same start for the key', () => {
    expect(rewriteEnv('REDSHIFT_HOST_OLD=x\n', { REDSHIFT_HOST: 'h' })).to.equal(
      'REDSHIFT_HOST_OLD=x\nREDSHIFT_HOST=h\n',
    );
  });

  it("creates a missing file readable by its owner only, and keeps an existing file's mode", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-env-'));
    try {
      const file = path.join(dir, '.env');
      expect(updateEnvFile(file, UPDATES)).to.equal('created');
      expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
      expect(fs.readFileSync(file, 'utf8')).to.equal(
        Object.entries(UPDATES)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );

      fs.chmodSync(file, 0o640);
      fs.appendFileSync(file, '# mine\n');
      expect(updateEnvFile(file, { REDSHIFT_PORT: '5440' })).to.equal('updated');
      expect(fs.statSync(file).mode & 0o777).to.equal(0o640);
      expect(fs.readFileSync(file, 'utf8')).to.include('REDSHIFT_PORT=5440\n').and.include('# mine\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says "Created" for a new file, with no other lines to keep, and "Updated … (other lines kept)" for an existing one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-message-'));
    try {
      const file = path.join(dir, '.env');
      const said: string[] = [];
      writeEnvSettings(file, { REDSHIFT_HOST: 'h.example', REDSHIFT_PORT: '5439' }, (line) => said.push(line));
      writeEnvSettings(file, { REDSHIFT_PORT: '5440' }, (line) => said.push(line));
      expect(said).to.deep.equal([
        `Created ${file} with REDSHIFT_HOST, REDSHIFT_PORT.`,
        `Updated ${file}: REDSHIFT_PORT (other lines kept).`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { expect } from 'chai';
import { readClusterSettings } from '../../src/cluster/settings';
import { loadConfig } from '../../src/config';
import { secretsIn } from '../../src/secrets';

const ENV = {
  REDSHIFT_PASSWORD: 'Pa55word-redshift',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-key',
  AWS_SESSION_TOKEN: 'aws-session-token',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_REGION: 'us-west-2',
  DATABASE_URL: 'postgres://u:url%20secret@localhost/db',
};

describe('secretsIn: the one list of settings to redact', () => {
  it('finds every secret setting and the password inside DATABASE_URL', () => {
    expect(secretsIn(ENV)).to.have.members([
      'Pa55word-redshift',
      'aws-secret-key',
      'aws-session-token',
      'AKIAEXAMPLE',
      'url secret',
    ]);
  });

  it('is what the warehouse config and the cluster commands redact', () => {
    expect(loadConfig({ target: 'local', env: ENV }).secrets).to.have.members(secretsIn(ENV));
    expect(readClusterSettings(ENV).secrets).to.have.members(secretsIn(ENV));
  });
});

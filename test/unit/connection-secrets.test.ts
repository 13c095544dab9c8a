// Issue 21 item 2: a connection string can carry a secret in its userinfo or in its query
// (node-pg and libpq read `?password=`, `sslpassword`, `sslkey` there), written plainly or
// URL-encoded. None of them may reach the Target: banner, the report's location or an
// error message; the host and database stay readable.
import { expect } from 'chai';
import { loadConfig } from '../../src/config';
import { redact } from '../../src/errors';
import { maskConnectionString, secretsIn } from '../../src/secrets';
import { connect } from '../../src/targets/connect';

interface Form {
  name: string;
  url: string;
  /** Every spelling of the secrets that must not be shown. */
  secrets: string[];
}

export const SECRET_FORMS: Form[] = [
  { name: 'userinfo', url: 'postgres://u:Userinfo-S3cret@db.example:5432/wh', secrets: ['Userinfo-S3cret'] },
  { name: '?password=', url: 'postgres://u@db.example:5432/wh?password=Query-S3cret', secrets: ['Query-S3cret'] },
  {
    name: '&sslpassword= and sslkey',
    url: 'postgres://u@db.example/wh?sslmode=require&sslpassword=SslPass-S3cret&sslkey=/home/u/.postgresql/Key-S3cret.key',
    secrets: ['SslPass-S3cret', 'Key-S3cret'],
  },
  {
    name: 'URL-encoded value and name',
    url: 'postgres://u@db.example/wh?application_name=x&pass%77ord=Enc%40S3cret%2Fx%20y',
    secrets: ['Enc%40S3cret', 'Enc@S3cret', 'S3cret'],
  },
  {
    name: 'URL-encoded userinfo',
    url: 'postgres://u:Enc%3AUser%40S3cret@db.example/wh',
    secrets: ['Enc%3AUser', 'Enc:User@S3cret', 'User%40S3cret'],
  },
  {
    name: 'token and secret parameters',
    url: 'postgresql://u@db.example/wh?auth_token=Tok-S3cret&client_secret=Cli-S3cret',
    secrets: ['Tok-S3cret', 'Cli-S3cret'],
  },
];

function expectNoSecret(text: string, form: Form): void {
  for (const secret of form.secrets) expect(text, `${form.name}: ${text}`).not.to.include(secret);
}

describe('connection strings never show their secrets', () => {
  for (const form of SECRET_FORMS) {
    describe(form.name, () => {
      it('the Target: banner (the warehouse location) masks it and still names the server', async () => {
        const warehouse = await connect(loadConfig({ target: 'postgres', env: { DATABASE_URL: form.url } }));
        try {
          const banner = `Target: ${warehouse.target} (${warehouse.location})`;
          expectNoSecret(banner, form);
          expect(banner).to.include('db.example').and.to.include('/wh').and.to.include('***');
        } finally {
          await warehouse.close();
        }
      });

      it('an error message that quotes the URL is redacted', () => {
        const env = { DATABASE_URL: form.url };
        const message = redact(`could not connect to ${form.url}: timeout expired`, secretsIn(env));
        expectNoSecret(message, form);
        expect(message).to.include('db.example');
      });
    });
  }

  it('a decoded secret quoted without its URL is redacted too (the list secretsIn gives)', () => {
    const env = { DATABASE_URL: 'postgres://u@db.example/wh?sslpassword=SslPass-S3cret&password=Enc%40S3cret' };
    expect(redact('bad passphrase SslPass-S3cret; password Enc@S3cret', secretsIn(env))).to.equal(
      'bad passphrase ***; password ***',
    );
  });

  it('leaves a URL without a secret as it was written', () => {
    for (const url of [
      'postgres://u@db.example:5432/wh?sslmode=require&application_name=etl',
      's3://bucket/log_data/',
      'https://docs.aws.amazon.com/x.html#y',
    ]) {
      expect(maskConnectionString(url)).to.equal(url);
      expect(redact(`see ${url}.`, [])).to.equal(`see ${url}.`);
    }
  });

  it('masks a string that does not parse whole after its scheme', () => {
    expect(maskConnectionString('postgres://u:pa#ss@db.example/wh')).to.equal('postgres://***');
  });
});

// loadConfig: which target, which settings, and messages that name the variable and
// never leak a password. `env` is always passed, so no .env file is read.
import { expect } from 'chai';
import { loadConfig, LOCAL_SAMPLE_SOURCES, type WarehouseConfig } from '../../src/config';
import { ConfigError, redact } from '../../src/errors';

const PASSWORD = 'Sup3r-secret-pw';
const REDSHIFT_ENV: NodeJS.ProcessEnv = {
  WAREHOUSE_TARGET: 'redshift',
  REDSHIFT_HOST: 'sparkify.abc123.us-west-2.redshift.amazonaws.com',
  REDSHIFT_PORT: '5439',
  REDSHIFT_DB: 'sparkify',
  REDSHIFT_USER: 'awsuser',
  REDSHIFT_PASSWORD: PASSWORD,
  REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
  AWS_REGION: 'us-west-2',
};

/** The ConfigError that `load` throws; fails the test when it throws nothing or something else. */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  expect.fail('expected a ConfigError');
}

function without(env: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy[name];
  return copy;
}

describe('loadConfig', () => {
  describe('choosing the target', () => {
    it('defaults to local with an empty environment', () => {
      const config = loadConfig({ env: {} });
      expect(config.target).to.equal('local');
      expect(config.databaseUrl).to.equal(undefined);
      expect(config.redshift).to.equal(undefined);
    });

    it('local targets default to the generated sample', () => {
      const config = loadConfig({ env: {} });
      expect(config.sources).to.deep.equal(LOCAL_SAMPLE_SOURCES);
      expect(config.sources.logData).to.match(/sample[\\/]log_data$/);
    });

    it('selects postgres when DATABASE_URL is set', () => {
      const url = 'postgres://sparkify:pw123@db.example.com:5432/sparkify';
      const config = loadConfig({ env: { DATABASE_URL: url } });
      expect(config.target).to.equal('postgres');
      expect(config.databaseUrl).to.equal(url);
    });

    it('accepts the postgresql:// scheme as well', () => {
      const config = loadConfig({ env: { DATABASE_URL: 'postgresql://u:pw123@h/db' } });
      expect(config.target).to.equal('postgres');
    });

    it('lets WAREHOUSE_TARGET win over DATABASE_URL', () => {
      const config = loadConfig({ env: { DATABASE_URL: 'postgres://u:pw123@h/db', WAREHOUSE_TARGET: 'local' } });
      expect(config.target).to.equal('local');
      expect(config.databaseUrl).to.equal(undefined);
    });

    it('lets --target win over WAREHOUSE_TARGET', () => {
      const config = loadConfig({ target: 'local', env: { ...REDSHIFT_ENV, WAREHOUSE_TARGET: 'redshift' } });
      expect(config.target).to.equal('local');
      expect(config.redshift).to.equal(undefined);
    });

    it('--target postgres uses DATABASE_URL even when WAREHOUSE_TARGET says local', () => {
      const config = loadConfig({
        target: 'postgres',
        env: { WAREHOUSE_TARGET: 'local', DATABASE_URL: 'postgres://u:pw123@h/db' },
      });
      expect(config.target).to.equal('postgres');
      expect(config.databaseUrl).to.equal('postgres://u:pw123@h/db');
    });

    it('names WAREHOUSE_TARGET when its value is not a target, and lists the targets', () => {
      const error = configError(() => loadConfig({ env: { WAREHOUSE_TARGET: 'bigquery' } }));
      expect(error.message).to.include('WAREHOUSE_TARGET');
      expect(error.message).to.include('"bigquery"');
      expect(error.message).to.include('local, postgres, redshift');
      expect(error.message).not.to.include('--target');
    });

    it('names --target when the flag is not a target', () => {
      const error = configError(() => loadConfig({ target: 'Redshift', env: { WAREHOUSE_TARGET: 'local' } }));
      expect(error.message).to.match(/^--target is "Redshift"/);
      expect(error.message).to.include('local, postgres, redshift');
    });

    it('treats an empty WAREHOUSE_TARGET as not set', () => {
      expect(loadConfig({ env: { WAREHOUSE_TARGET: '' } }).target).to.equal('local');
      expect(loadConfig({ env: { WAREHOUSE_TARGET: '', DATABASE_URL: 'postgres://u:pw123@h/db' } }).target).to.equal(
        'postgres',
      );
    });
  });

  describe('postgres', () => {
    it('requires DATABASE_URL for --target postgres, with the form to use', () => {
      const error = configError(() => loadConfig({ target: 'postgres', env: {} }));
      expect(error.message).to.include('DATABASE_URL is not set');
      expect(error.message).to.include('postgres://user:password@host:5432/dbname');
    });

    it('needs no DATABASE_URL in a dry run', () => {
      const config = loadConfig({ target: 'postgres', dryRun: true, env: {} });
      expect(config.target).to.equal('postgres');
      expect(config.databaseUrl).to.equal(undefined);
    });

    it('refuses a DATABASE_URL that is not a URL, naming the variable and not echoing it', () => {
      const url = `//sparkify:${PASSWORD}@localhost/sparkify`;
      const error = configError(() => loadConfig({ env: { DATABASE_URL: url } }));
      expect(error.message).to.include('DATABASE_URL is not a URL');
      expect(error.message).not.to.include(PASSWORD);
    });

    it('refuses another scheme, naming it but not the password', () => {
      const error = configError(() =>
        loadConfig({ env: { DATABASE_URL: `mysql://root:${PASSWORD}@localhost:3306/sparkify` } }),
      );
      expect(error.message).to.include('DATABASE_URL');
      expect(error.message).to.include('mysql://');
      expect(error.message).not.to.include(PASSWORD);
    });

    it('checks DATABASE_URL even in a dry run', () => {
      expect(() => loadConfig({ dryRun: true, env: { DATABASE_URL: 'http://u:pw123@h/db' } })).to.throw(
        ConfigError,
        /DATABASE_URL/,
      );
    });

    it('ignores DATABASE_URL when another target is chosen', () => {
      const config = loadConfig({ target: 'local', env: { DATABASE_URL: 'not a url' } });
      expect(config.target).to.equal('local');
      expect(config.databaseUrl).to.equal(undefined);
    });
  });

  describe('redshift', () => {
    it('reads the connection, role and region', () => {
      const config = loadConfig({ env: REDSHIFT_ENV });
      expect(config.target).to.equal('redshift');
      expect(config.redshift).to.deep.equal({
        host: 'sparkify.abc123.us-west-2.redshift.amazonaws.com',
        port: 5439,
        connectTimeoutSeconds: 20,
        database: 'sparkify',
        user: 'awsuser',
        password: PASSWORD,
      });
      expect(config.redshiftLoad.iamRoleArn).to.equal(REDSHIFT_ENV.REDSHIFT_IAM_ROLE_ARN);
      expect(config.aws).to.deep.equal({ region: 'us-west-2' });
    });

    it('keeps AWS_REGION in config.aws, not among the load settings', () => {
      const config = loadConfig({ env: { ...REDSHIFT_ENV, AWS_REGION: 'eu-west-1' } });
      expect(config.aws.region).to.equal('eu-west-1');
      expect(config.redshiftLoad).not.to.have.property('region');
    });

    it('defaults the port to 5439 and parses another one as a number', () => {
      expect(loadConfig({ env: without(REDSHIFT_ENV, 'REDSHIFT_PORT') }).redshift!.port).to.equal(5439);
      expect(loadConfig({ env: { ...REDSHIFT_ENV, REDSHIFT_PORT: '' } }).redshift!.port).to.equal(5439);
      expect(loadConfig({ env: { ...REDSHIFT_ENV, REDSHIFT_PORT: '5440' } }).redshift!.port).to.equal(5440);
    });

    for (const variable of [
      'REDSHIFT_HOST',
      'REDSHIFT_DB',
      'REDSHIFT_USER',
      'REDSHIFT_PASSWORD',
      'REDSHIFT_IAM_ROLE_ARN',
      'AWS_REGION',
    ]) {
      it(`names ${variable} when it is missing, and never shows the password`, () => {
        const error = configError(() => loadConfig({ env: without(REDSHIFT_ENV, variable) }));
        expect(error.message).to.match(new RegExp(`^${variable} is not set`));
        expect(error.message).to.include('.env');
        expect(error.message).not.to.include(PASSWORD);
      });
    }

    const malformed: Array<[string, string, string, RegExp]> = [
      ['a port that is not a number', 'REDSHIFT_PORT', 'abc', /REDSHIFT_PORT must be a port number.*"abc"/],
      ['port 0', 'REDSHIFT_PORT', '0', /REDSHIFT_PORT/],
      ['a port above 65535', 'REDSHIFT_PORT', '65536', /REDSHIFT_PORT/],
      ['a fractional port', 'REDSHIFT_PORT', '5439.5', /REDSHIFT_PORT/],
      [
        'a host with a scheme',
        'REDSHIFT_HOST',
        'https://sparkify.abc123.us-west-2.redshift.amazonaws.com',
        /REDSHIFT_HOST must be a bare host name/,
      ],
      ['a host with a port', 'REDSHIFT_HOST', 'sparkify.example.com:5439', /REDSHIFT_HOST/],
      ['a host with a path', 'REDSHIFT_HOST', 'sparkify.example.com/dev', /REDSHIFT_HOST/],
      ['a host with a space', 'REDSHIFT_HOST', 'sparkify example', /REDSHIFT_HOST/],
      [
        'an ARN of a user, not a role',
        'REDSHIFT_IAM_ROLE_ARN',
        'arn:aws:iam::123456789012:user/alice',
        /REDSHIFT_IAM_ROLE_ARN is not an IAM role ARN/,
      ],
      [
        'an ARN with a short account',
        'REDSHIFT_IAM_ROLE_ARN',
        'arn:aws:iam::12345:role/sparkify',
        /REDSHIFT_IAM_ROLE_ARN/,
      ],
      ['a bare role name', 'REDSHIFT_IAM_ROLE_ARN', 'sparkify-redshift-s3-read', /REDSHIFT_IAM_ROLE_ARN/],
      ['a region name instead of a code', 'AWS_REGION', 'Oregon', /AWS_REGION must be a region code.*"Oregon"/],
      ['an availability zone', 'AWS_REGION', 'us-west-2a', /AWS_REGION/],
      ['an upper-case region', 'AWS_REGION', 'US-WEST-2', /AWS_REGION/],
    ];
    for (const [what, variable, value, pattern] of malformed) {
      it(`refuses ${what}, naming ${variable} and never the password`, () => {
        const error = configError(() => loadConfig({ env: { ...REDSHIFT_ENV, [variable]: value } }));
        expect(error.message).to.match(pattern);
        expect(error.message).not.to.include(PASSWORD);
      });
    }

    it('accepts GovCloud regions, role paths and other partitions', () => {
      const config = loadConfig({
        env: {
          ...REDSHIFT_ENV,
          AWS_REGION: 'us-gov-west-1',
          REDSHIFT_IAM_ROLE_ARN: 'arn:aws-us-gov:iam::123456789012:role/service/sparkify',
        },
      });
      expect(config.aws.region).to.equal('us-gov-west-1');
      // The same region codes as npm run cluster accepts (one check for both).
      expect(loadConfig({ env: { ...REDSHIFT_ENV, AWS_REGION: 'us-iso-east-1' } }).aws.region).to.equal(
        'us-iso-east-1',
      );
      expect(config.redshiftLoad.iamRoleArn).to.equal('arn:aws-us-gov:iam::123456789012:role/service/sparkify');
    });

    it('checks the ARN and region even in a dry run when they are set', () => {
      expect(() => loadConfig({ target: 'redshift', dryRun: true, env: { REDSHIFT_IAM_ROLE_ARN: 'nope' } })).to.throw(
        ConfigError,
        /REDSHIFT_IAM_ROLE_ARN/,
      );
      expect(() => loadConfig({ target: 'redshift', dryRun: true, env: { AWS_REGION: 'mars' } })).to.throw(
        ConfigError,
        /AWS_REGION/,
      );
    });

    describe('in a dry run', () => {
      let config: WarehouseConfig;
      before(() => {
        config = loadConfig({ target: 'redshift', dryRun: true, env: {} });
      });

      it('needs no credentials, role or region', () => {
        expect(config.target).to.equal('redshift');
        expect(config.redshift).to.equal(undefined);
        expect(config.redshiftLoad.iamRoleArn).to.equal(undefined);
        expect(config.aws.region).to.equal(undefined);
        expect(config.secrets).to.deep.equal([]);
      });

      it('defaults the sources to the public Sparkify sample on S3', () => {
        expect(config.sources).to.deep.equal({
          logData: 's3://udacity-dend/log_data',
          songData: 's3://udacity-dend/song_data',
          logJsonPath: 's3://udacity-dend/log_json_path.json',
        });
      });

      it('does not validate the connection settings it does not need', () => {
        const lenient = loadConfig({
          target: 'redshift',
          dryRun: true,
          env: { REDSHIFT_PORT: 'abc', REDSHIFT_HOST: 'https://x' },
        });
        expect(lenient.redshift).to.equal(undefined);
      });
    });
  });

  describe('sources and other settings', () => {
    it('takes LOG_DATA, SONG_DATA and LOG_JSONPATH over the defaults', () => {
      const config = loadConfig({
        target: 'redshift',
        dryRun: true,
        env: { LOG_DATA: 's3://mine/logs', SONG_DATA: 's3://mine/songs', LOG_JSONPATH: 's3://mine/paths.json' },
      });
      expect(config.sources).to.deep.equal({
        logData: 's3://mine/logs',
        songData: 's3://mine/songs',
        logJsonPath: 's3://mine/paths.json',
      });
    });

    it('treats empty source variables as not set', () => {
      const config = loadConfig({ env: { LOG_DATA: '', SONG_DATA: '', LOG_JSONPATH: '' } });
      expect(config.sources).to.deep.equal(LOCAL_SAMPLE_SOURCES);
    });

    it('passes EMBEDDED_PG_DATA_DIR and S3_ENDPOINT through, empty meaning unset', () => {
      const set = loadConfig({ env: { EMBEDDED_PG_DATA_DIR: '/tmp/pg', S3_ENDPOINT: 'http://localhost:4569' } });
      expect(set.embeddedDataDir).to.equal('/tmp/pg');
      expect(set.s3Endpoint).to.equal('http://localhost:4569');
      const empty = loadConfig({ env: { EMBEDDED_PG_DATA_DIR: '', S3_ENDPOINT: '' } });
      expect(empty.embeddedDataDir).to.equal(undefined);
      expect(empty.s3Endpoint).to.equal(undefined);
    });
  });

  describe('secrets', () => {
    it('lists the password from DATABASE_URL, decoded', () => {
      const config = loadConfig({ env: { DATABASE_URL: 'postgres://sparkify:p%40ss%3Aword@localhost:5432/sparkify' } });
      expect(config.secrets).to.deep.equal(['p@ss:word']);
    });

    it('lists the Redshift password and the AWS secrets', () => {
      const config = loadConfig({
        env: { ...REDSHIFT_ENV, AWS_SECRET_ACCESS_KEY: 'aws-secret-key', AWS_SESSION_TOKEN: 'aws-session-token' },
      });
      expect(config.secrets).to.have.members([PASSWORD, 'aws-secret-key', 'aws-session-token']);
    });

    it('lists nothing for a DATABASE_URL without a password', () => {
      expect(loadConfig({ env: { DATABASE_URL: 'postgres://sparkify@localhost/sparkify' } }).secrets).to.deep.equal([]);
    });

    it('lists a DATABASE_URL password that is not percent-encoded', () => {
      const config = loadConfig({ env: { DATABASE_URL: 'postgres://sparkify:100%@localhost/sparkify' } });
      expect(config.secrets).to.include('100%');
    });
  });
});

describe('redact', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redact('pw hunter2, again hunter2; key abc123', ['hunter2', 'abc123'])).to.equal(
      'pw ***, again ***; key ***',
    );
  });

  it('treats secrets as text, not patterns', () => {
    expect(redact('password a.b*c(d) and axbbc', ['a.b*c(d)'])).to.equal('password *** and axbbc');
  });

  it('skips empty, undefined and very short secrets, which would mangle the text', () => {
    expect(redact('a bc def', ['', undefined, 'a', 'bc'])).to.equal('a bc def');
    expect(redact('a bc def', ['def'])).to.equal('a bc ***');
  });

  it('hides the password of any connection string, known or not', () => {
    expect(redact('connect postgres://sparkify:unknownpw@db:5432/x failed', [])).to.equal(
      'connect postgres://sparkify:***@db:5432/x failed',
    );
    expect(redact('redshift://awsuser:pw@cluster:5439/dev', [])).to.equal('redshift://awsuser:***@cluster:5439/dev');
  });

  it('leaves a connection string without a password alone', () => {
    expect(redact('postgres://sparkify@db:5432/x', [])).to.equal('postgres://sparkify@db:5432/x');
    expect(redact('see https://docs.aws.amazon.com/redshift/', [])).to.equal(
      'see https://docs.aws.amazon.com/redshift/',
    );
  });

  it("redacts a loaded config's secrets out of a driver message", () => {
    const config = loadConfig({ env: REDSHIFT_ENV });
    const message = `password authentication failed for user "awsuser" (password ${PASSWORD})`;
    const out = redact(message, config.secrets);
    expect(out).not.to.include(PASSWORD);
    expect(out).to.include('user "awsuser"');
  });
});

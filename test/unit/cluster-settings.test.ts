import { expect } from 'chai';
import { ConfigError } from '../../src/errors';
import { readClusterSettings, requireCreateSettings } from '../../src/cluster/settings';
import { s3Sources } from '../../src/cluster/s3-sources';
import { readPolicy, trustPolicy } from '../../src/cluster/policies';
import { checkCidr } from '../../src/cluster/access';
import { ENV, PASSWORD } from '../support/cluster-fakes';

describe('cluster settings', () => {
  it('uses the documented defaults', () => {
    const s = readClusterSettings({ AWS_REGION: 'us-west-2' });
    expect(s).to.include({
      clusterId: 'sparkify-warehouse',
      nodeType: 'ra3.large',
      nodeCount: 4,
      port: 5439,
      region: 'us-west-2',
      roleName: 'sparkify-redshift-s3-read',
    });
  });

  it('keeps the password only among the secrets to redact', () => {
    const s = readClusterSettings(ENV);
    expect(s.secrets).to.include(PASSWORD);
  });

  it('requires AWS_REGION and names the variable', () => {
    expect(() => readClusterSettings({})).to.throw(ConfigError, /AWS_REGION is not set/);
  });

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    ['an upper-case cluster id', { REDSHIFT_CLUSTER_ID: 'Sparkify' }, /REDSHIFT_CLUSTER_ID/],
    ['a cluster id with a double hyphen', { REDSHIFT_CLUSTER_ID: 'a--b' }, /REDSHIFT_CLUSTER_ID/],
    ['an unknown node type', { REDSHIFT_NODE_TYPE: 'dc1.large' }, /REDSHIFT_NODE_TYPE "dc1.large".*ra3.large/],
    ['too few nodes for ra3.4xlarge', { REDSHIFT_NODE_TYPE: 'ra3.4xlarge', REDSHIFT_NODE_COUNT: '1' }, /from 2 to 32/],
    ['a fractional node count', { REDSHIFT_NODE_COUNT: '2.5' }, /REDSHIFT_NODE_COUNT/],
    ['a port Redshift refuses', { REDSHIFT_PORT: '80' }, /1150 to 65535/],
    ['a malformed region', { AWS_REGION: 'oregon' }, /AWS_REGION must be a region code/],
    ['an upper-case database', { REDSHIFT_DB: 'Sparkify' }, /REDSHIFT_DB/],
    ['an upper-case master user', { REDSHIFT_USER: 'Admin' }, /REDSHIFT_USER must be lower case .*use "admin"/],
    [
      'a master user with a colon',
      { REDSHIFT_USER: 'a:b' },
      /REDSHIFT_USER must start with a letter and hold only lower-case/,
    ],
    ['the subnet group named default', { REDSHIFT_SUBNET_GROUP: 'Default' }, /REDSHIFT_SUBNET_GROUP .*not "default"/],
  ];
  for (const [what, env, message] of refusals) {
    it(`refuses ${what}`, () => {
      expect(() => readClusterSettings({ ...ENV, ...env })).to.throw(ConfigError, message);
    });
  }

  it('states the password rules without echoing the password', () => {
    const weak = 'alllowercase1';
    expect(() => readClusterSettings({ ...ENV, REDSHIFT_PASSWORD: weak }))
      .to.throw(ConfigError, /upper-case/)
      .with.property('message')
      .that.does.not.include(weak);
  });

  it('needs the database, user and password for create, but no password for a dry run', () => {
    const s = readClusterSettings({ ...ENV, REDSHIFT_PASSWORD: '' });
    expect(() => requireCreateSettings(s, false)).to.throw(ConfigError, /REDSHIFT_PASSWORD is not set/);
    expect(requireCreateSettings(s, true)).to.deep.equal({ database: 'sparkify', user: 'awsuser', password: '' });
    expect(() => requireCreateSettings(readClusterSettings({ AWS_REGION: 'us-west-2' }), true)).to.throw(
      /REDSHIFT_DB is not set/,
    );
  });
});

describe('cluster source locations and policies', () => {
  it('refuses a local path as a source, saying why', () => {
    expect(() =>
      s3Sources({ logData: './sample/log_data', songData: 's3://bkt/song', logJsonPath: 's3://bkt/p.json' }),
    ).to.throw(ConfigError, /LOG_DATA must be an s3:\/\/bucket\/prefix URI .*reads S3/);
  });

  it('refuses wildcards that would widen the policy, and a folder as the JSONPaths file', () => {
    expect(() =>
      s3Sources({ logData: 's3://bkt/log*', songData: 's3://bkt/s', logJsonPath: 's3://bkt/p.json' }),
    ).to.throw(/must not contain \*/);
    expect(() => s3Sources({ logData: 's3://bkt/l', songData: 's3://bkt/s', logJsonPath: 's3://bkt/paths/' })).to.throw(
      /LOG_JSONPATH must name one object/,
    );
  });

  it('grants GetObject on exactly the configured prefixes and file, and ListBucket only under the prefixes and on the JSONPaths key', () => {
    const policy = readPolicy(
      s3Sources({ logData: ENV.LOG_DATA, songData: ENV.SONG_DATA, logJsonPath: ENV.LOG_JSONPATH }),
      'us-west-2',
    );
    expect(policy).to.deep.equal({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadSourceObjects',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [
            'arn:aws:s3:::udacity-dend/log_data*',
            'arn:aws:s3:::udacity-dend/song_data*',
            'arn:aws:s3:::udacity-dend/log_json_path.json',
          ],
        },
        {
          Sid: 'ListSourcePrefixes1',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::udacity-dend',
          // COPY needs LIST as well as GET on the JSONPaths file (issue 10 item 9).
          Condition: { StringLike: { 's3:prefix': ['log_data*', 'song_data*', 'log_json_path.json'] } },
        },
      ],
    });
    expect(JSON.stringify(policy)).not.to.match(/s3:\*|"\*"|arn:aws:s3:::\*/);
  });

  it('lists each bucket in its own statement, and uses the China partition there', () => {
    const policy = readPolicy(
      s3Sources({
        logData: 's3://logs-bucket/2018/',
        songData: 's3://songs-bucket/a',
        logJsonPath: 's3://logs-bucket/paths.json',
      }),
      'cn-north-1',
    );
    expect(policy.Statement[0].Resource).to.deep.equal([
      'arn:aws-cn:s3:::logs-bucket/2018/*',
      'arn:aws-cn:s3:::songs-bucket/a*',
      'arn:aws-cn:s3:::logs-bucket/paths.json',
    ]);
    expect(policy.Statement.slice(1).map((s) => [s.Resource, s.Condition])).to.deep.equal([
      ['arn:aws-cn:s3:::logs-bucket', { StringLike: { 's3:prefix': ['2018/*', 'paths.json'] } }],
      ['arn:aws-cn:s3:::songs-bucket', { StringLike: { 's3:prefix': ['a*'] } }],
    ]);
  });

  it('lists the JSONPaths key in its own bucket when it lives in another one', () => {
    const policy = readPolicy(
      s3Sources({ logData: 's3://logs/l', songData: 's3://logs/s', logJsonPath: 's3://config-bucket/jp/log.json' }),
      'us-east-1',
    );
    expect(policy.Statement[0].Resource).to.include('arn:aws:s3:::config-bucket/jp/log.json');
    expect(policy.Statement.slice(1)).to.deep.equal([
      {
        Sid: 'ListSourcePrefixes1',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::logs',
        Condition: { StringLike: { 's3:prefix': ['l*', 's*'] } },
      },
      {
        Sid: 'ListSourcePrefixes2',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::config-bucket',
        Condition: { StringLike: { 's3:prefix': ['jp/log.json'] } },
      },
    ]);
  });

  it('grants GetObject and ListBucket under MANIFEST_PREFIX when it is set, and nothing for it otherwise', () => {
    const raw = { logData: ENV.LOG_DATA, songData: ENV.SONG_DATA, logJsonPath: ENV.LOG_JSONPATH };
    const withManifests = readPolicy(
      s3Sources({ ...raw, manifestPrefix: 's3://my-work/sparkify/manifests/' }),
      'us-west-2',
    );
    expect(withManifests.Statement[0].Resource).to.include('arn:aws:s3:::my-work/sparkify/manifests/*');
    expect(withManifests.Statement[2]).to.deep.equal({
      Sid: 'ListSourcePrefixes2',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::my-work',
      Condition: { StringLike: { 's3:prefix': ['sparkify/manifests/*'] } },
    });
    expect(JSON.stringify(readPolicy(s3Sources(raw), 'us-west-2'))).not.to.include('manifests');
    expect(() => s3Sources({ ...raw, manifestPrefix: '/tmp/manifests' })).to.throw(
      ConfigError,
      /MANIFEST_PREFIX must be an s3:\/\/bucket\/prefix URI/,
    );
  });

  it('reads MANIFEST_PREFIX from the environment like the other sources', () => {
    expect(readClusterSettings({ ...ENV, MANIFEST_PREFIX: 's3://my-work/m/' }).sources.manifestPrefix).to.equal(
      's3://my-work/m/',
    );
  });

  it('lets only Redshift assume the role', () => {
    expect(trustPolicy().Statement).to.deep.equal([
      { Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
  });
});

describe('cluster --allow-cidr', () => {
  it('accepts a narrow range and turns a bare address into /32 or /128', () => {
    expect(checkCidr('203.0.113.7/32')).to.equal('203.0.113.7/32');
    expect(checkCidr('203.0.113.7')).to.equal('203.0.113.7/32');
    expect(checkCidr('198.51.100.0/24')).to.equal('198.51.100.0/24');
    expect(checkCidr('2001:db8::1')).to.equal('2001:db8::1/128');
  });

  for (const open of ['0.0.0.0/0', '::/0', '10.0.0.0/0', ' 0.0.0.0/0 ']) {
    it(`refuses ${open.trim()}, the whole internet`, () => {
      expect(() => checkCidr(open)).to.throw(ConfigError, /whole internet/);
    });
  }

  for (const bad of ['300.1.1.1/32', '1.2.3.4/33', 'my-ip', '1.2.3.4/8/1', '']) {
    it(`refuses the malformed "${bad}"`, () => {
      expect(() => checkCidr(bad)).to.throw(ConfigError, /--allow-cidr must be an address range/);
    });
  }
});

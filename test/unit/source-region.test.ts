// COPY's REGION is the bucket's region: known buckets, SOURCE_REGION, then GetBucketLocation
// (through aws-sdk-client-mock: the AWS control plane is the one thing tests mock).
import { expect } from 'chai';
import { GetBucketLocationCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../../src/config';
import { sourceRegion } from '../../src/load/redshift/source-region';
import { regionOfLocationConstraint } from '../../src/load/s3';

describe("Redshift load: the sources' bucket region", () => {
  const client = new S3Client({ region: 'us-west-2' });
  const s3 = mockClient(client);
  afterEach(() => s3.reset());
  const config = (env: Record<string, string> = {}) =>
    loadConfig({ target: 'redshift', dryRun: true, env: { AWS_REGION: 'eu-central-1', ...env } });

  it('reads GetBucketLocation: null/empty means us-east-1, EU means eu-west-1', async () => {
    expect(regionOfLocationConstraint(undefined)).to.equal('us-east-1');
    expect(regionOfLocationConstraint('')).to.equal('us-east-1');
    expect(regionOfLocationConstraint('EU')).to.equal('eu-west-1');
    s3.on(GetBucketLocationCommand, { Bucket: 'my-data' }).resolves({ LocationConstraint: 'ap-south-1' });
    expect(await sourceRegion('s3://my-data/log_data', config(), { lookUp: true, s3: { client } })).to.deep.equal({
      region: 'ap-south-1',
    });
    s3.on(GetBucketLocationCommand, { Bucket: 'my-data' }).resolves({});
    expect(await sourceRegion('s3://my-data/log_data', config(), { lookUp: true, s3: { client } })).to.deep.equal({
      region: 'us-east-1',
    });
  });

  it('names udacity-dend in us-west-2 and asks nothing; SOURCE_REGION wins over a lookup', async () => {
    expect(
      await sourceRegion('s3://udacity-dend/log_data', config({ SOURCE_REGION: 'eu-west-1' }), {
        lookUp: true,
        s3: { client },
      }),
    ).to.deep.equal({ region: 'us-west-2' });
    expect(
      await sourceRegion('s3://my-data/x', config({ SOURCE_REGION: 'eu-west-1' }), { lookUp: true, s3: { client } }),
    ).to.deep.equal({ region: 'eu-west-1' });
    expect(s3.commandCalls(GetBucketLocationCommand)).to.have.length(0);
  });

  it('falls back to AWS_REGION, with a note, when the lookup is refused', async () => {
    s3.on(GetBucketLocationCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const choice = await sourceRegion('s3://my-data/x', config(), { lookUp: true, s3: { client } });
    expect(choice.region).to.equal('eu-central-1');
    expect(choice.note)
      .to.contain('could not be looked up')
      .and.to.contain('AccessDenied')
      .and.to.contain('set SOURCE_REGION');
  });

  it('refuses a malformed SOURCE_REGION or MANIFEST_PREFIX, naming the variable', () => {
    expect(() => config({ SOURCE_REGION: 'Oregon' })).to.throw(/SOURCE_REGION must be a region code/);
    expect(() => config({ MANIFEST_PREFIX: '/tmp/manifests' })).to.throw(
      /MANIFEST_PREFIX must be an s3:\/\/bucket\/prefix\//,
    );
    expect(config({ MANIFEST_PREFIX: 's3://my-loads' }).redshiftLoad.manifestPrefix).to.equal('s3://my-loads/');
    expect(config({ MANIFEST_PREFIX: 's3://my-loads/m' }).redshiftLoad.manifestPrefix).to.equal('s3://my-loads/m/');
  });
});

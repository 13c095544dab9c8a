import fs from 'node:fs';
import { expect } from 'chai';
import {
  AccessDeniedException,
  ConflictException,
  CreateNamespaceCommand,
  CreateUsageLimitCommand,
  CreateWorkgroupCommand,
  GetNamespaceCommand,
  GetWorkgroupCommand,
  ListTagsForResourceCommand,
  ListUsageLimitsCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  UpdateNamespaceCommand,
  ValidationException,
} from '@aws-sdk/client-redshift-serverless';
import {
  CreateRoleCommand,
  GetRoleCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { runCluster } from '../../src/cluster/run';
import { ourRoleWithPolicyOf, statefulIam } from '../support/role-state';
import {
  ENV,
  OUR_TAGS,
  PASSWORD,
  ROLE_ARN,
  SUBNETS,
  allCalls,
  everything,
  fake,
  mocks,
  resetMocks,
  useClusterMocks,
  role,
} from '../support/cluster-fakes';
import { HOST, SERVERLESS_TAGS, WORKGROUP_ARN, workgroupIn } from '../support/serverless-fakes';

const NAMESPACE_ARN = 'arn:aws:redshift-serverless:us-west-2:123456789012:namespace/def';
const notFound = (what: string) => new ResourceNotFoundException({ message: `${what} not found`, $metadata: {} });

/** A fresh account: no workgroup (until CreateWorkgroup), no namespace, no role, a default VPC. */
function freshAccount(): void {
  mocks.serverless
    .on(GetWorkgroupCommand)
    .rejectsOnce(notFound('workgroup'))
    .resolvesOnce({ workgroup: workgroupIn('CREATING') })
    .resolves({ workgroup: workgroupIn('AVAILABLE') });
  mocks.serverless.on(GetNamespaceCommand).rejects(notFound('namespace'));
  mocks.serverless.on(CreateNamespaceCommand).resolves({ namespace: { namespaceName: 'sparkify' } });
  mocks.serverless.on(CreateWorkgroupCommand).resolves({ workgroup: workgroupIn('CREATING', { endpoint: undefined }) });
  mocks.serverless.on(ListUsageLimitsCommand).resolves({ usageLimits: [] });
  mocks.serverless.on(CreateUsageLimitCommand).resolves({ usageLimit: { usageLimitId: 'ul-1' } });
  mocks.iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'no role', $metadata: {} }));
  mocks.iam.on(CreateRoleCommand).resolves({ Role: role() });
  mocks.iam.on(PutRolePolicyCommand).resolves({});
  mocks.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  mocks.ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-456' });
  mocks.ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({});
}

// No REDSHIFT_PASSWORD: AWS manages the admin password of a namespace.
const SERVERLESS_ENV: NodeJS.ProcessEnv = { ...ENV, REDSHIFT_PASSWORD: undefined, REDSHIFT_DEPLOYMENT: 'serverless' };

describe('cluster create --serverless', () => {
  useClusterMocks();

  it('creates role, namespace, private workgroup and usage limit with the exact parameters, waits, and writes .env', async () => {
    freshAccount();
    const f = fake({ envText: '# mine\nREDSHIFT_HOST=old\n' });
    expect(await runCluster('create', {}, SERVERLESS_ENV, f.deps)).to.equal(0);

    expect(mocks.serverless.commandCalls(CreateNamespaceCommand)[0].args[0].input).to.deep.equal({
      namespaceName: 'sparkify',
      dbName: 'sparkify',
      adminUsername: 'awsuser',
      manageAdminPassword: true,
      defaultIamRoleArn: ROLE_ARN,
      iamRoles: [ROLE_ARN],
      tags: SERVERLESS_TAGS,
    });
    expect(mocks.serverless.commandCalls(CreateWorkgroupCommand)[0].args[0].input).to.deep.equal({
      workgroupName: 'sparkify',
      namespaceName: 'sparkify',
      // REDSHIFT_BASE_RPU unset: the smallest capacity AWS offers, where the region offers it.
      baseCapacity: 4,
      port: 5439,
      publiclyAccessible: false,
      subnetIds: SUBNETS,
      securityGroupIds: ['sg-456'],
      tags: SERVERLESS_TAGS,
    });
    expect(mocks.serverless.commandCalls(ListUsageLimitsCommand)[0].args[0].input).to.deep.equal({
      resourceArn: WORKGROUP_ARN,
      usageType: 'serverless-compute',
    });
    expect(mocks.serverless.commandCalls(CreateUsageLimitCommand)[0].args[0].input).to.deep.equal({
      resourceArn: WORKGROUP_ARN,
      usageType: 'serverless-compute',
      amount: 8,
      period: 'daily',
      breachAction: 'deactivate',
    });
    // Private: our own tagged group, the port open to the VPC's own range only.
    expect(
      mocks.ec2.commandCalls(CreateSecurityGroupCommand)[0].args[0].input.TagSpecifications![0].Tags,
    ).to.deep.include({ Key: 'managed-by', Value: 'sparkify-warehouse' });
    expect(
      mocks.ec2.commandCalls(AuthorizeSecurityGroupIngressCommand).map((c) => c.args[0].input.IpPermissions),
    ).to.deep.equal([
      [
        {
          IpProtocol: 'tcp',
          FromPort: 5439,
          ToPort: 5439,
          IpRanges: [{ CidrIp: '172.31.0.0/16', Description: 'Redshift from inside its VPC' }],
        },
      ],
    ]);
    expect(mocks.redshift.calls()).to.have.length(0);
    // The poll slept once while the workgroup was CREATING.
    expect(f.sleeps).to.deep.equal([10_000]);
    expect(fs.readFileSync(f.deps.envFile, 'utf8')).to.equal(
      `# mine\nREDSHIFT_HOST=${HOST}\nREDSHIFT_PORT=5439\nREDSHIFT_DEPLOYMENT=serverless\nREDSHIFT_IAM_ROLE_ARN=${ROLE_ARN}\n`,
    );
    expect(f.out).to.include('Usage limit: 8 RPU-hours daily, then deactivate.');
  });

  // AWS, "Identity and access management in Amazon Redshift Serverless": a role a namespace
  // uses to reach other services trusts redshift-serverless.amazonaws.com as well as redshift.amazonaws.com.
  const BOTH_PRINCIPALS = { Service: ['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com'] };

  it('makes a COPY role that Redshift Serverless may assume, not only Redshift', async () => {
    freshAccount();
    expect(await runCluster('create', {}, SERVERLESS_ENV, fake().deps)).to.equal(0);
    const trust = JSON.parse(mocks.iam.commandCalls(CreateRoleCommand)[0].args[0].input.AssumeRolePolicyDocument!);
    expect(trust.Statement).to.deep.equal([{ Effect: 'Allow', Principal: BOTH_PRINCIPALS, Action: 'sts:AssumeRole' }]);
  });

  it('rewrites the trust policy of a role of ours made before (e.g. for a cluster), as it rewrites the read policy', async () => {
    freshAccount();
    mocks.iam.on(GetRoleCommand).resolves({ Role: role(OUR_TAGS) });
    mocks.iam.on(UpdateAssumeRolePolicyCommand).resolves({});
    expect(await runCluster('create', {}, SERVERLESS_ENV, fake().deps)).to.equal(0);
    expect(mocks.iam.commandCalls(CreateRoleCommand)).to.have.length(0);
    const [update] = mocks.iam.commandCalls(UpdateAssumeRolePolicyCommand);
    expect(update.args[0].input.RoleName).to.equal('sparkify-redshift-s3-read');
    expect(JSON.parse(update.args[0].input.PolicyDocument!).Statement[0].Principal).to.deep.equal(BOTH_PRINCIPALS);
  });

  it('falls back to 8 RPU when the region refuses a base capacity of 4, and says so', async () => {
    freshAccount();
    mocks.serverless
      .on(CreateWorkgroupCommand)
      .rejectsOnce(
        new ValidationException({ message: 'Base capacity 4 is not supported in this region.', $metadata: {} }),
      )
      .resolves({ workgroup: workgroupIn('CREATING', { endpoint: undefined }) });
    const f = fake();
    expect(await runCluster('create', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(
      mocks.serverless.commandCalls(CreateWorkgroupCommand).map((c) => c.args[0].input.baseCapacity),
    ).to.deep.equal([4, 8]);
    expect(f.out.join('\n')).to.match(/does not offer a base capacity of 4 RPU.*using 8/);
  });

  it('does not retry other refusals of CreateWorkgroup, nor a capacity the user chose', async () => {
    freshAccount();
    mocks.serverless
      .on(CreateWorkgroupCommand)
      .rejects(new ValidationException({ message: 'Base capacity 16 is not supported.', $metadata: {} }));
    expect(await runCluster('create', {}, { ...SERVERLESS_ENV, REDSHIFT_BASE_RPU: '16' }, fake().deps)).to.equal(1);
    expect(mocks.serverless.commandCalls(CreateWorkgroupCommand)).to.have.length(1);
  });

  it('takes capacity and the usage limit from the settings, and --serverless works without REDSHIFT_DEPLOYMENT', async () => {
    freshAccount();
    const env = {
      ...ENV,
      REDSHIFT_BASE_RPU: '16',
      REDSHIFT_MAX_RPU: '64',
      REDSHIFT_MAX_RPU_HOURS: '40',
      REDSHIFT_USAGE_PERIOD: 'weekly',
      REDSHIFT_USAGE_BREACH_ACTION: 'emit-metric',
    };
    expect(await runCluster('create', { serverless: true }, env, fake().deps)).to.equal(0);
    expect(mocks.serverless.commandCalls(CreateWorkgroupCommand)[0].args[0].input).to.deep.include({
      baseCapacity: 16,
      maxCapacity: 64,
    });
    expect(mocks.serverless.commandCalls(CreateUsageLimitCommand)[0].args[0].input).to.deep.include({
      amount: 40,
      period: 'weekly',
      breachAction: 'emit-metric',
    });
  });

  it('--public opens only the port to the given CIDR and never sends 0.0.0.0/0 or ::/0', async () => {
    freshAccount();
    expect(
      await runCluster('create', { public: true, allowCidr: '203.0.113.7/32' }, SERVERLESS_ENV, fake().deps),
    ).to.equal(0);
    expect(mocks.serverless.commandCalls(CreateWorkgroupCommand)[0].args[0].input).to.deep.include({
      publiclyAccessible: true,
      securityGroupIds: ['sg-456'],
    });
    expect(
      mocks.ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0].args[0].input.IpPermissions![0],
    ).to.deep.include({
      FromPort: 5439,
      ToPort: 5439,
      IpRanges: [{ CidrIp: '203.0.113.7/32', Description: 'Redshift from the address given to --allow-cidr' }],
    });
    const sent = JSON.stringify(
      [...mocks.ec2.calls(), ...mocks.serverless.calls()].map((c) => (c.args[0] as { input: unknown }).input),
    );
    expect(sent).not.to.include('0.0.0.0/0').and.not.include('::/0');

    for (const cidr of ['0.0.0.0/0', '::/0']) {
      const f = fake();
      expect(await runCluster('create', { public: true, allowCidr: cidr }, SERVERLESS_ENV, f.deps)).to.equal(2);
      expect(f.err[0]).to.match(/whole internet/);
    }
  });

  it('on an existing workgroup checks the role, waits and rewrites .env', async () => {
    mocks.serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroupIn('AVAILABLE') });
    mocks.serverless
      .on(GetNamespaceCommand)
      .resolves({ namespace: { namespaceName: 'sparkify', defaultIamRoleArn: ROLE_ARN, iamRoles: [ROLE_ARN] } });
    ourRoleWithPolicyOf(SERVERLESS_ENV, 'serverless');
    const f = fake();
    expect(await runCluster('create', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(f.out[0]).to.equal(
      'Workgroup sparkify already exists (AVAILABLE); not creating it again. Bringing it to the settings:',
    );
    expect(f.out[1]).to.equal('IAM role sparkify-redshift-s3-read exists and matches the settings; unchanged.');
    expect(mocks.serverless.commandCalls(CreateNamespaceCommand)).to.have.length(0);
    expect(mocks.serverless.commandCalls(CreateWorkgroupCommand)).to.have.length(0);
    expect(mocks.serverless.commandCalls(CreateUsageLimitCommand)).to.have.length(0);
    expect(mocks.iam.commandCalls(PutRolePolicyCommand)).to.have.length(0);
    expect(mocks.iam.commandCalls(UpdateAssumeRolePolicyCommand)).to.have.length(0);
    expect(fs.readFileSync(f.deps.envFile, 'utf8'))
      .to.include(`REDSHIFT_HOST=${HOST}`)
      .and.include(`REDSHIFT_IAM_ROLE_ARN=${ROLE_ARN}`);
  });

  it('keeps an existing usage limit instead of adding a second one', async () => {
    freshAccount();
    mocks.serverless
      .on(ListUsageLimitsCommand)
      .resolves({ usageLimits: [{ usageLimitId: 'ul-0', amount: 4, period: 'daily', breachAction: 'log' }] });
    expect(await runCluster('create', {}, SERVERLESS_ENV, fake().deps)).to.equal(0);
    expect(mocks.serverless.commandCalls(CreateUsageLimitCommand)).to.have.length(0);
  });

  const errors: Array<[string, Error, RegExp]> = [
    [
      'ConflictException',
      new ConflictException({ message: 'Workgroup is being modified', $metadata: {} }),
      /resource is busy .*wait a minute and run the command again/,
    ],
    [
      'ServiceQuotaExceededException',
      new ServiceQuotaExceededException({ message: 'quota', $metadata: {} }),
      /Serverless quota is used up .*Service Quotas/,
    ],
    [
      'AccessDeniedException',
      new AccessDeniedException({
        message: 'not authorized to perform: redshift-serverless:CreateWorkgroup',
        $metadata: {},
      }),
      /^AWS denied access: .*CreateWorkgroup/,
    ],
    [
      'ThrottlingException',
      new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }),
      /^AWS is throttling requests/,
    ],
    [
      'ExpiredTokenException',
      Object.assign(new Error('expired'), { name: 'ExpiredTokenException' }),
      /session has expired/,
    ],
  ];
  for (const [name, error, expected] of errors) {
    it(`turns ${name} into one line and exit 1`, async () => {
      freshAccount();
      mocks.serverless.on(CreateWorkgroupCommand).rejects(error);
      const f = fake();
      expect(await runCluster('create', {}, SERVERLESS_ENV, f.deps)).to.equal(1);
      expect(f.err).to.have.length(1);
      expect(f.err[0].replace(/^error: /, '')).to.match(expected);
    });
  }

  it('with no default VPC refuses in one line and creates no workgroup', async () => {
    freshAccount();
    mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    const f = fake();
    expect(await runCluster('create', {}, SERVERLESS_ENV, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: This region has no default VPC. Create one (aws ec2 create-default-vpc), or create the workgroup yourself in a VPC of your choice.',
    ]);
    expect(mocks.serverless.commandCalls(CreateWorkgroupCommand)).to.have.length(0);
  });

  const refusals: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    [
      'a base capacity that is not a step of 8',
      { REDSHIFT_BASE_RPU: '12' },
      /REDSHIFT_BASE_RPU must be 8-512 RPUs in steps of 8/,
    ],
    [
      'a max below the base',
      { REDSHIFT_BASE_RPU: '32', REDSHIFT_MAX_RPU: '16' },
      /REDSHIFT_MAX_RPU \(16\) must be at least REDSHIFT_BASE_RPU \(32\)/,
    ],
    [
      'an unknown usage period',
      { REDSHIFT_USAGE_PERIOD: 'hourly' },
      /REDSHIFT_USAGE_PERIOD must be one of daily, weekly, monthly/,
    ],
    [
      'an unknown breach action',
      { REDSHIFT_USAGE_BREACH_ACTION: 'stop' },
      /REDSHIFT_USAGE_BREACH_ACTION must be one of log, emit-metric, deactivate/,
    ],
    [
      'an unknown deployment',
      { REDSHIFT_DEPLOYMENT: 'lambda' },
      /REDSHIFT_DEPLOYMENT must be provisioned or serverless/,
    ],
  ];
  for (const [what, env, message] of refusals) {
    it(`refuses ${what} before any call`, async () => {
      const f = fake();
      expect(await runCluster('create', { serverless: true }, { ...SERVERLESS_ENV, ...env }, f.deps)).to.equal(1);
      expect(f.err[0]).to.match(message);
      expect(allCalls()).to.equal(0);
    });
  }

  it('refuses a workgroup port outside 5431-5455 and 8191-8215 before any call', async () => {
    const f = fake();
    expect(await runCluster('create', {}, { ...SERVERLESS_ENV, REDSHIFT_PORT: '5460' }, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: REDSHIFT_PORT 5460 cannot be used for a Serverless workgroup: AWS allows only 5431-5455 or 8191-8215. Use 5439 (the default).',
    ]);
    expect(allCalls()).to.equal(0);
  });

  it('--dry-run prints every call without credentials, secrets or a chosen password', async () => {
    const f = fake();
    expect(
      await runCluster(
        'create',
        { dryRun: true, public: true, allowCidr: '203.0.113.7/32' },
        { ...SERVERLESS_ENV, REDSHIFT_PASSWORD: PASSWORD },
        f.deps,
      ),
    ).to.equal(0);
    const text = f.out.join('\n');
    for (const call of [
      'redshift-serverless:CreateNamespace',
      'redshift-serverless:CreateWorkgroup',
      'redshift-serverless:CreateUsageLimit',
      'iam:PutRolePolicy',
      'ec2:AuthorizeSecurityGroupIngress',
    ]) {
      expect(text).to.include(call);
    }
    expect(text).to.include('"redshift-serverless.amazonaws.com"');
    expect(text)
      .to.include('"manageAdminPassword": true')
      .and.include('"publiclyAccessible": true')
      .and.include('"breachAction": "deactivate"');
    expect(text).not.to.include(PASSWORD).and.not.include('adminUserPassword');
    expect(allCalls()).to.equal(0);
    expect(everything(f)).not.to.include(PASSWORD);
  });
});

describe('cluster create --serverless: placement, IAM propagation, price and re-runs (issue 23)', () => {
  useClusterMocks();

  const subnetsIn = (zones: string[]) => ({
    Subnets: zones.map((AvailabilityZone, i) => ({ SubnetId: `subnet-${i}`, VpcId: 'vpc-123', AvailabilityZone })),
  });

  for (const [what, zones] of [
    ['two subnets', ['us-west-2a', 'us-west-2b']],
    ['three subnets in two zones', ['us-west-2a', 'us-west-2b', 'us-west-2b']],
  ] as Array<[string, string[]]>) {
    it(`refuses ${what} before it makes the role or the namespace`, async () => {
      freshAccount();
      mocks.ec2.on(DescribeSubnetsCommand).resolves(subnetsIn(zones));
      const f = fake();
      expect(await runCluster('create', {}, SERVERLESS_ENV, f.deps)).to.equal(1);
      expect(f.err[0]).to.match(
        /^error: A Redshift Serverless workgroup needs at least 3 subnets in 3 Availability Zones; the default VPC vpc-123 has \d subnets in 2 zones/,
      );
      expect(f.err[0]).to.include('aws ec2 create-default-subnet --availability-zone');
      expect(mocks.iam.commandCalls(CreateRoleCommand)).to.have.length(0);
      expect(mocks.serverless.commandCalls(CreateNamespaceCommand)).to.have.length(0);
    });
  }

  it('takes three subnets in two zones in us-west-1, which has two', async () => {
    freshAccount();
    mocks.ec2.on(DescribeSubnetsCommand).resolves(subnetsIn(['us-west-1a', 'us-west-1c', 'us-west-1c']));
    expect(await runCluster('create', {}, { ...SERVERLESS_ENV, AWS_REGION: 'us-west-1' }, fake().deps)).to.equal(0);
    expect(mocks.serverless.commandCalls(CreateWorkgroupCommand)).to.have.length(1);
  });

  it('retries CreateNamespace while IAM propagates the new role, and no other refusal', async () => {
    freshAccount();
    const notYet = new ValidationException({ message: `The IAM role ${ROLE_ARN} is not valid.`, $metadata: {} });
    mocks.serverless
      .on(CreateNamespaceCommand)
      .rejectsOnce(notYet)
      .rejectsOnce(notYet)
      .resolves({ namespace: { namespaceName: 'sparkify' } });
    const f = fake();
    expect(await runCluster('create', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(mocks.serverless.commandCalls(CreateNamespaceCommand)).to.have.length(3);
    expect(f.sleeps.slice(0, 2)).to.deep.equal([5_000, 10_000]);
    expect(f.out).to.include(
      'IAM role sparkify-redshift-s3-read is not visible to Redshift yet (IAM propagates new roles within a minute or two); retrying...',
    );

    freshAccount();
    mocks.serverless
      .on(CreateNamespaceCommand)
      .rejects(new ValidationException({ message: 'dbName must be lower case', $metadata: {} }));
    const g = fake();
    mocks.serverless.resetHistory();
    expect(await runCluster('create', {}, SERVERLESS_ENV, g.deps)).to.equal(1);
    expect(mocks.serverless.commandCalls(CreateNamespaceCommand)).to.have.length(1);
  });

  it('prints the price before it creates, and in the dry run', async () => {
    freshAccount();
    const f = fake();
    expect(await runCluster('create', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    const price = f.out.findIndex(
      (line) =>
        line.startsWith('Price: $0.375 per RPU-hour') && line.includes('at least $1.50 per hour of work at base 4 RPU'),
    );
    expect(price).to.be.greaterThan(-1);
    expect(price).to.be.lessThan(f.out.findIndex((line) => line.startsWith('Created IAM role')));
    const dry = fake();
    expect(await runCluster('create', { dryRun: true }, SERVERLESS_ENV, dry.deps)).to.equal(0);
    expect(dry.out.join('\n'))
      .to.include('Price: $0.375 per RPU-hour')
      .and.include('The usage limit stops at 8 RPU-hours daily (about $3.00)');
  });

  it('refuses an admin user that is a reserved word before any call', async () => {
    const f = fake();
    expect(await runCluster('create', {}, { ...SERVERLESS_ENV, REDSHIFT_USER: 'user' }, f.deps)).to.equal(1);
    expect(f.err[0]).to.match(/REDSHIFT_USER "user" is a reserved word in Redshift/);
    expect(allCalls()).to.equal(0);
  });

  it('a re-run with changed sources rewrites the role policy as a first create would, associates the role, and says so', async () => {
    freshAccount();
    const roles = statefulIam();
    expect(await runCluster('create', {}, SERVERLESS_ENV, fake().deps)).to.equal(0);
    const moved = { ...SERVERLESS_ENV, LOG_DATA: 's3://my-sparkify/logs/' };
    // The namespace exists now, tagged as ours, and has lost the role.
    mocks.serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroupIn('AVAILABLE') });
    mocks.serverless
      .on(GetNamespaceCommand)
      .resolves({ namespace: { namespaceName: 'sparkify', namespaceArn: NAMESPACE_ARN, iamRoles: [] } });
    mocks.serverless.on(ListTagsForResourceCommand).resolves({ tags: SERVERLESS_TAGS });
    mocks.serverless.on(UpdateNamespaceCommand).resolves({});
    const f = fake();
    expect(await runCluster('create', { public: true, allowCidr: '203.0.113.7/32' }, moved, f.deps)).to.equal(0);
    const afterRerun = JSON.parse(roles.get('sparkify-redshift-s3-read')!.policy!);
    expect(
      f.out.find((line) => line.startsWith('Changed: IAM role sparkify-redshift-s3-read, read policy')),
    ).to.include('adds s3:GetObject on arn:aws:s3:::my-sparkify/logs/*');
    expect(mocks.serverless.commandCalls(UpdateNamespaceCommand).map((c) => c.args[0].input)).to.deep.equal([
      { namespaceName: 'sparkify', iamRoles: [ROLE_ARN], defaultIamRoleArn: ROLE_ARN },
    ]);
    expect(f.out.join('\n'))
      .to.include('--public is not applied')
      .and.include('update-workgroup --workgroup-name sparkify --publicly-accessible');
    expect(mocks.serverless.commandCalls(CreateWorkgroupCommand)).to.have.length(1);

    resetMocks();
    freshAccount();
    const fresh = statefulIam();
    expect(await runCluster('create', {}, moved, fake().deps)).to.equal(0);
    expect(afterRerun).to.deep.equal(JSON.parse(fresh.get('sparkify-redshift-s3-read')!.policy!));
  });
});

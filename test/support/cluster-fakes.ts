// Shared fakes for the cluster tests: mocked SDK clients (aws-sdk-client-mock), a clock
// that only moves when the code sleeps, recorded output and a .env in a temp folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import {
  type Cluster,
  ClusterNotFoundFault,
  ClusterSubnetGroupNotFoundFault,
  CreateClusterCommand,
  DescribeClustersCommand,
  CreateClusterSubnetGroupCommand,
  DescribeClusterSubnetGroupsCommand,
  RedshiftClient,
} from '@aws-sdk/client-redshift';
import {
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  NoSuchEntityException,
  PutRolePolicyCommand,
  type Role,
  type Tag,
} from '@aws-sdk/client-iam';
import { ListNamespacesCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { type RunDeps } from '../../src/cluster/run';

export const PASSWORD = 'Sup3rSecretPw9';

/** A complete cloud configuration, as .env would hold it. */
export const ENV: NodeJS.ProcessEnv = {
  AWS_REGION: 'us-west-2',
  REDSHIFT_DB: 'sparkify',
  REDSHIFT_USER: 'awsuser',
  REDSHIFT_PASSWORD: PASSWORD,
  LOG_DATA: 's3://udacity-dend/log_data',
  SONG_DATA: 's3://udacity-dend/song_data',
  LOG_JSONPATH: 's3://udacity-dend/log_json_path.json',
};

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read';
export const OUR_TAGS = [{ Key: 'managed-by', Value: 'sparkify-warehouse' }];
export const START = new Date('2025-11-25T10:00:00Z');

/** The role as IAM's GetRole returns it (with `tags`), or CreateRole (without). */
export function role(tags?: Tag[]): Role {
  return {
    RoleName: 'sparkify-redshift-s3-read',
    Arn: ROLE_ARN,
    Path: '/',
    RoleId: 'AROAX',
    CreateDate: new Date(),
    ...(tags ? { Tags: tags } : {}),
  };
}

export function clusterIn(status: string, extra: Partial<Cluster> = {}): Cluster {
  return {
    ClusterIdentifier: 'sparkify-warehouse',
    ClusterStatus: status,
    NodeType: 'ra3.large',
    NumberOfNodes: 4,
    ClusterCreateTime: START,
    Endpoint: { Address: 'sparkify-warehouse.abc123.us-west-2.redshift.amazonaws.com', Port: 5439 },
    IamRoles: [{ IamRoleArn: ROLE_ARN, ApplyStatus: 'in-sync' }],
    Tags: OUR_TAGS,
    PubliclyAccessible: false,
    ...extra,
  };
}

function stubs() {
  return {
    redshift: mockClient(RedshiftClient),
    iam: mockClient(IAMClient),
    ec2: mockClient(EC2Client),
    serverless: mockClient(RedshiftServerlessClient),
  };
}

/** The stubs of the current describe block; see useClusterMocks. */
export const mocks = {} as ReturnType<typeof stubs>;

/**
 * Stubs the three SDK clients for the enclosing describe block only, and restores them
 * after it, so no other test file finds its AWS clients mocked.
 */
export function useClusterMocks(): void {
  before(() => Object.assign(mocks, stubs()));
  after(() => Object.values(mocks).forEach((m) => m.restore()));
  beforeEach(resetMocks);
  afterEach(removeFakeFolders);
}

// Every fake() makes a temp folder for its .env; each is removed after its test.
const fakeFolders: string[] = [];

export function removeFakeFolders(): void {
  for (const dir of fakeFolders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The fake folders not yet removed (a test checks that none is left behind). */
export function pendingFakeFolders(): readonly string[] {
  return fakeFolders;
}

export function resetMocks(): void {
  Object.values(mocks).forEach((m) => m.reset());
  defaultNetwork();
}

export const SUBNETS = ['subnet-a1', 'subnet-b2', 'subnet-c3'];

/**
 * Every test starts in a region with a default VPC of three subnets in three zones (what a
 * Serverless workgroup needs) and no subnet group of
 * ours yet; a test that needs otherwise overrides these stubs.
 */
export function defaultNetwork(): void {
  mocks.redshift.on(DescribeClusterSubnetGroupsCommand).rejects(
    new ClusterSubnetGroupNotFoundFault({
      message: 'ClusterSubnetGroup sparkify-warehouse-subnets not found.',
      $metadata: {},
    }),
  );
  mocks.redshift
    .on(CreateClusterSubnetGroupCommand)
    .resolves({ ClusterSubnetGroup: { ClusterSubnetGroupName: 'sparkify-warehouse-subnets', VpcId: 'vpc-123' } });
  mocks.ec2
    .on(DescribeVpcsCommand)
    .resolves({ Vpcs: [{ VpcId: 'vpc-123', IsDefault: true, CidrBlock: '172.31.0.0/16' }] });
  mocks.ec2.on(DescribeSubnetsCommand).resolves({
    Subnets: SUBNETS.map((SubnetId, i) => ({ SubnetId, VpcId: 'vpc-123', AvailabilityZone: `us-west-2${'abc'[i]}` })),
  });
  mocks.serverless.on(ListNamespacesCommand).resolves({ namespaces: [] });
  otherClusters();
}

/** DescribeClusters without an id (delete's look for other users of the role) answers `clusters`; call it after the test's own DescribeClusters stubs. */
export function otherClusters(clusters: Cluster[] = []): void {
  mocks.redshift.on(DescribeClustersCommand, { MaxRecords: 100 }).resolves({ Clusters: clusters });
}

export function allCalls(): number {
  return (
    mocks.redshift.calls().length +
    mocks.iam.calls().length +
    mocks.ec2.calls().length +
    mocks.serverless.calls().length
  );
}

export interface Fake {
  deps: RunDeps;
  out: string[];
  err: string[];
  sleeps: number[];
  waited: string[];
  questions: string[];
  dir: string;
  /** Minutes the fake clock has moved. */
  elapsedMinutes(): number;
}

export function fake(options: { answer?: string; publicIp?: string; envText?: string; now?: Date } = {}): Fake {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-test-'));
  fakeFolders.push(dir);
  const envFile = path.join(dir, '.env');
  if (options.envText !== undefined) fs.writeFileSync(envFile, options.envText);
  const region = 'us-west-2';
  const credentials = { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' };
  const start = (options.now ?? START).getTime();
  let clock = start;
  const f: Fake = {
    out: [],
    err: [],
    sleeps: [],
    waited: [],
    questions: [],
    dir,
    elapsedMinutes: () => (clock - start) / 60_000,
    deps: undefined as unknown as RunDeps,
  };
  f.deps = {
    redshift: new RedshiftClient({ region, credentials }),
    iam: new IAMClient({ region, credentials }),
    ec2: new EC2Client({ region, credentials }),
    serverless: new RedshiftServerlessClient({ region, credentials }),
    sleep: async (ms) => {
      f.sleeps.push(ms);
      clock += ms;
    },
    now: () => new Date(clock),
    out: (line) => f.out.push(line),
    err: (line) => f.err.push(line),
    waiters: {
      untilAvailable: async (_client, o) => void f.waited.push(`available:${o.clusterId}:${o.maxWaitSeconds}`),
      untilDeleted: async (_client, o) => void f.waited.push(`deleted:${o.clusterId}:${o.maxWaitSeconds}`),
    },
    delays: { minDelay: 10, maxDelay: 120 },
    ask: async (question) => {
      f.questions.push(question);
      return options.answer ?? '';
    },
    findPublicIp: async () => options.publicIp,
    envFile,
  };
  return f;
}

export function everything(f: Fake): string {
  return [...f.out, ...f.err].join('\n');
}

const clusterNotFound = () =>
  new ClusterNotFoundFault({ message: 'Cluster sparkify-warehouse not found.', $metadata: {} });
const noRole = () => new NoSuchEntityException({ message: 'The role cannot be found.', $metadata: {} });

/** A fresh account: no cluster (until CreateCluster), no role, a default VPC. */
export function freshAccount(): void {
  mocks.redshift
    .on(DescribeClustersCommand)
    .rejectsOnce(clusterNotFound())
    .resolves({ Clusters: [clusterIn('available')] });
  mocks.redshift.on(CreateClusterCommand).resolves({ Cluster: clusterIn('creating', { Endpoint: undefined }) });
  mocks.iam.on(GetRoleCommand).rejects(noRole());
  mocks.iam.on(CreateRoleCommand).resolves({ Role: role() });
  mocks.iam.on(PutRolePolicyCommand).resolves({});
  mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-123', IsDefault: true }] });
  mocks.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  mocks.ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-456' });
  mocks.ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({});
}

// An IAM role that keeps what is put on it, as IAM does, for the create re-run tests:
// GetRole and GetRolePolicy answer with the documents last written, URL-encoded like IAM's.
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { readPolicy, trustPolicy } from '../../src/cluster/policies';
import { readClusterSettings } from '../../src/cluster/settings';
import { s3Sources } from '../../src/cluster/s3-sources';
import { OUR_TAGS, ROLE_ARN, mocks } from './cluster-fakes';

export interface StoredRole {
  tags: Array<{ Key: string; Value: string }>;
  trust?: string;
  policy?: string;
}

const noSuchEntity = (what: string) =>
  new NoSuchEntityException({ message: `${what} cannot be found.`, $metadata: {} });

/** Stubs IAM with roles kept in a map (empty: a fresh account); returns the map. */
export function statefulIam(roles = new Map<string, StoredRole>()): Map<string, StoredRole> {
  mocks.iam.on(GetRoleCommand).callsFake(({ RoleName }) => {
    const role = roles.get(RoleName);
    if (!role) throw noSuchEntity(`The role with name ${RoleName}`);
    return {
      Role: {
        RoleName,
        Arn: ROLE_ARN,
        Path: '/',
        RoleId: 'AROAX',
        CreateDate: new Date(),
        Tags: role.tags,
        AssumeRolePolicyDocument: role.trust && encodeURIComponent(role.trust),
      },
    };
  });
  mocks.iam.on(CreateRoleCommand).callsFake(({ RoleName, AssumeRolePolicyDocument, Tags }) => {
    roles.set(RoleName, { tags: Tags ?? [], trust: AssumeRolePolicyDocument });
    return { Role: { RoleName, Arn: ROLE_ARN, Path: '/', RoleId: 'AROAX', CreateDate: new Date() } };
  });
  mocks.iam.on(PutRolePolicyCommand).callsFake(({ RoleName, PolicyDocument }) => {
    roles.get(RoleName)!.policy = PolicyDocument;
    return {};
  });
  mocks.iam.on(UpdateAssumeRolePolicyCommand).callsFake(({ RoleName, PolicyDocument }) => {
    roles.get(RoleName)!.trust = PolicyDocument;
    return {};
  });
  mocks.iam.on(GetRolePolicyCommand).callsFake(({ RoleName, PolicyName }) => {
    const policy = roles.get(RoleName)?.policy;
    if (!policy) throw noSuchEntity(`The role policy with name ${PolicyName}`);
    return { RoleName, PolicyName, PolicyDocument: encodeURIComponent(policy) };
  });
  return roles;
}

/** Our role as a create with these settings leaves it. */
export function ourRoleWithPolicyOf(
  env: NodeJS.ProcessEnv,
  deployment: 'provisioned' | 'serverless' = 'provisioned',
): Map<string, StoredRole> {
  const settings = readClusterSettings(env);
  const policy = JSON.stringify(readPolicy(s3Sources(settings.sources), settings.region));
  return statefulIam(
    new Map([[settings.roleName, { tags: [...OUR_TAGS], trust: JSON.stringify(trustPolicy(deployment)), policy }]]),
  );
}

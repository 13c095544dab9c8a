// One credential source for every AWS client the tool makes: the cluster commands', the
// S3 client of a load, and REDSHIFT_AUTH=iam's. The SDK's default chain reads only the
// process environment, and .env is not in it (readEnv keeps the two apart, the environment
// winning), so keys or AWS_PROFILE set only in .env reached the clients that were handed
// them and not the ones that were not: S3 then failed with CredentialsProviderError
// (issue 23). Every client is built from the settings read here.
export interface AwsIdentity {
  /** AWS_PROFILE, from the environment or .env. */
  profile?: string;
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), from the environment or .env. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Keys win over a profile, as in the SDK's own default chain (environment before shared files). */
export function awsIdentityFrom(env: NodeJS.ProcessEnv): AwsIdentity {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN || undefined,
      },
    };
  }
  return env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {};
}

/** The part of an SDK client's configuration that says who calls: nothing when neither is set, so the SDK's chain (SSO, instance role) applies. */
export function identityConfig(identity: AwsIdentity): AwsIdentity {
  return {
    ...(identity.profile ? { profile: identity.profile } : {}),
    ...(identity.credentials ? { credentials: identity.credentials } : {}),
  };
}

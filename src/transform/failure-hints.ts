// What to do about the errors a first Redshift run meets. The database's own message is
// always printed; when it is one of these, one more line says what it means here and the
// fix. Matched on the server's words, which only Redshift says, so it needs no engine check.
export interface FailureHint {
  /** The server's words. */
  match: RegExp;
  hint: string;
  /** The AWS page that documents the error. */
  aws: string;
}

export const FAILURE_HINTS: FailureHint[] = [
  {
    match: /must be addressed using the specified endpoint|PermanentRedirect|AuthorizationHeaderMalformed.*region/i,
    hint:
      "COPY's REGION is not the bucket's region. The tool names us-west-2 for s3://udacity-dend and looks other buckets up with " +
      'GetBucketLocation when your credentials allow it; otherwise set SOURCE_REGION to the region the source bucket is in.',
    aws: 'https://docs.aws.amazon.com/redshift/latest/dg/queries-troubleshooting-load-fails.html',
  },
  {
    match: /S3ServiceException:?\s*Access Denied|Status 403/i,
    hint:
      'The COPY role cannot read a source object. It needs s3:GetObject on the data, the JSONPaths file and MANIFEST_PREFIX, and ' +
      's3:ListBucket covering each of them (the JSONPaths key too). `npm run cluster -- create` writes that policy: run it again after ' +
      'changing LOG_DATA, SONG_DATA, LOG_JSONPATH or MANIFEST_PREFIX, or grant the same to your own role.',
    aws: 'https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-access-permissions.html',
  },
  {
    match: /not authorized to assume IAM Role|is not valid\. The IAM role must delegate/i,
    hint:
      'The cluster cannot use REDSHIFT_IAM_ROLE_ARN yet: a new role takes a minute or two to propagate, and the role must be ' +
      'associated with the cluster (or be the namespace default role on Serverless). Wait and run again; `npm run cluster -- status` shows the roles.',
    aws: 'https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service.html',
  },
  {
    match: /ERROR:\s*1023\b|Serializable isolation violation/i,
    hint:
      "Another session wrote these tables while this step ran (Redshift's serializable isolation). Our own runs cannot overlap " +
      '(the run lock) and each step locks its tables first, so look for another writer (SVV_TRANSACTIONS, STL_TR_CONFLICT). The step ' +
      'was rolled back whole: run the transform again.',
    aws: 'https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation-serializable-isolation-troubleshooting.html',
  },
  {
    match: /Load into table '[^']+' failed\.\s*Check '(stl_load_errors|sys_load_error_detail)'/i,
    hint:
      'More lines were rejected than --max-errors allows (the COPY ran with MAXERROR N+1). The first reasons are listed above; ' +
      'fix those lines, or pass --max-errors N to load the good rows and keep the rejected ones in load_errors.',
    aws: 'https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-error-handling.html',
  },
];

/** The line to add to a failure's message, when the server's words are one of the known ones. */
export function hintFor(message: string): string | undefined {
  const known = FAILURE_HINTS.find((h) => h.match.test(message));
  return known ? `What it means: ${known.hint}` : undefined;
}

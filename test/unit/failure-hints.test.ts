// The first-run Redshift errors get one more line that says what they mean here and the
// fix. The messages are the server's words as the AWS pages cited in failure-hints.ts give them.
import { expect } from 'chai';
import { FAILURE_HINTS, hintFor } from '../../src/transform/failure-hints';
import { failureMessage } from '../../src/transform/summary';
import type { RunOutcome } from '../../src/step/outcome';

const outcomeOf = (message: string): RunOutcome => ({
  error: new Error(message),
  results: [
    { id: '010_stage_events', description: 'load', status: 'error', stats: {}, seconds: 1, error: new Error(message) },
  ],
});

describe('failure hints for a first Redshift run', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'wrong region',
      'S3ServiceException:The bucket you are attempting to access must be addressed using the specified endpoint.,Status 301',
      /SOURCE_REGION/,
    ],
    [
      'Access Denied on the JSONPaths file',
      'S3ServiceException:Access Denied,Status 403,Error AccessDenied … s3://udacity-dend/log_json_path.json',
      /JSONPaths key too/,
    ],
    [
      'role not yet usable',
      'User arn:aws:redshift:us-west-2:123456789012:dbuser:sparkify/awsuser is not authorized to assume IAM Role arn:aws:iam::123456789012:role/r',
      /propagate/,
    ],
    [
      'error 1023',
      'ERROR: 1023 DETAIL: Serializable isolation violation on table - 100473, transactions forming the cycle are: 1234, 1235',
      /another writer/,
    ],
    [
      'MAXERROR reached',
      "COPY into staging_events failed: Load into table 'staging_events' failed. Check 'stl_load_errors' system table for details.",
      /--max-errors N/,
    ],
  ];
  for (const [name, message, fix] of cases) {
    it(`${name}: the message is kept and the fix follows it`, () => {
      const printed = failureMessage(outcomeOf(message), { fullRefresh: false }, []);
      expect(printed).to.contain(message);
      expect(printed.split('\n').pop())
        .to.match(/^What it means: /)
        .and.to.match(fix);
    });
  }

  it('adds nothing to an error it does not know, nor to a line number that happens to be 1023', () => {
    expect(hintFor('Loading failed at /data/day1.json, line 1023: invalid input syntax for type bigint')).to.equal(
      undefined,
    );
    expect(failureMessage(outcomeOf('connection refused'), { fullRefresh: false }, [])).to.equal(
      '010_stage_events failed: connection refused',
    );
  });

  it('cites an AWS page for every hint', () => {
    for (const hint of FAILURE_HINTS) expect(hint.aws).to.match(/^https:\/\/docs\.aws\.amazon\.com\/redshift\//);
  });
});

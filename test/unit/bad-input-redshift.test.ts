// The Redshift side of the shared bad-input table (test/support/bad-input-cases.ts): each
// case's run options rendered as the COPY Redshift runs, holding the options that give
// Redshift the behaviour the table states beside the local outcome.
import { expect } from 'chai';
import { loadConfig } from '../../src/config';
import { redshift } from '../../src/dialects';
import { renderCopy } from '../../src/load/redshift/copy-sql';
import type { StageSpec } from '../../src/load/stage-spec';
import { BAD_INPUT_CASES, type CaseOptions } from '../support/bad-input-cases';

const config = loadConfig({
  target: 'redshift',
  dryRun: true,
  env: {
    REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
    AWS_REGION: 'us-west-2',
    LOG_DATA: 's3://bucket/log_data',
    LOG_JSONPATH: 's3://bucket/log_json_path.json',
  },
});

const events: StageSpec = {
  source: 'events',
  table: 'staging_events',
  columns: ['artist', 'ts'],
  uri: (c) => c.sources.logData,
  mapping: (c) => c.sources.logJsonPath,
  keeps: 'batch',
};

/** The COPY the Redshift loader renders for a case's options (one plain-JSON manifest). */
function copyFor(options: CaseOptions = {}): string {
  return renderCopy(
    {
      table: events.table,
      columns: events.columns,
      from: 's3://bucket/manifests/events/run-plain.manifest',
      manifest: true,
      gzip: false,
      roleArn: config.redshiftLoad.iamRoleArn!,
      region: 'us-west-2',
      mapping: events.mapping(config),
      maxErrors: 0,
      acceptInvalidChars: options.acceptInvalidChars,
    },
    redshift,
  );
}

describe('bad input on Redshift: the COPY each case runs', () => {
  for (const bad of BAD_INPUT_CASES) {
    it(`${bad.name}: ${bad.redshift.does}`, () => {
      const copy = copyFor(bad.options);
      const lines = copy.split('\n');
      // MAXERROR is what counts the lines the table says Redshift rejects.
      expect(
        lines.filter((line) => line.startsWith('maxerror ')),
        copy,
      ).to.have.length(1);
      for (const line of bad.redshift.copyHas) expect(lines, copy).to.include(line);
      for (const word of bad.redshift.copyLacks) expect(copy).not.to.contain(word);
    });
  }

  it('pairs every run option a case sets with the COPY line that option renders', () => {
    for (const bad of BAD_INPUT_CASES) {
      const char = bad.options?.acceptInvalidChars;
      if (char !== undefined) expect(bad.redshift.copyHas, bad.name).to.include(`acceptinvchars as '${char}'`);
      else expect(bad.redshift.copyHas.join('\n'), bad.name).not.to.contain('acceptinvchars');
    }
  });
});

// The Redshift side of the shared bad-input table (test/support/bad-input-cases.ts): each
// case's run options rendered as the COPY Redshift runs, holding the options that give
// Redshift the behaviour the table states beside the local outcome.
import { expect } from 'chai';
import { loadConfig } from '../../src/config';
import { redshift } from '../../src/dialects';
import { renderCopy } from '../../src/load/redshift-copy';
import type { StageSpec } from '../../src/load/stage-spec';
import { BAD_INPUT_CASES, type CaseOptions } from '../support/bad-input-cases';

const config = loadConfig({
  target: 'redshift',
  dryRun: true,
  env: { REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/r', AWS_REGION: 'us-west-2', LOG_DATA: 's3://bucket/log_data', LOG_JSONPATH: 's3://bucket/log_json_path.json' },
});

const events: StageSpec = { source: 'events', table: 'staging_events', columns: ['artist', 'ts'], uri: (c) => c.sources.logData, mapping: (c) => c.sources.logJsonPath, keeps: 'batch' };

/**
 * The COPY for a case's options, or undefined when today's renderCopy cannot be asked for
 * one of them. Extend it as renderCopy learns options (acceptInvalidChars: the Redshift
 * loader's branch renders it as ACCEPTINVCHARS AS '<char>').
 */
function copyFor(options: CaseOptions = {}): string | undefined {
  if (options.acceptInvalidChars !== undefined) return undefined;
  return renderCopy(events, config, redshift, 0);
}

describe('bad input on Redshift: the COPY each case runs', () => {
  for (const bad of BAD_INPUT_CASES) {
    it(`${bad.name}: ${bad.redshift.does}`, function () {
      const copy = copyFor(bad.options);
      if (copy === undefined) this.skip(); // shows as pending until copyFor can render the case's options
      const lines = copy.split('\n');
      // MAXERROR is what counts the lines the table says Redshift rejects.
      expect(lines.filter((line) => line.startsWith('maxerror ')), copy).to.have.length(1);
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

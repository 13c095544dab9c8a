import { expect } from 'chai';
import { recordingKnex } from '../../src/dry-run/recording-knex';
import { runVerbatim } from '../../src/verbatim';

describe('SQL passed as written', () => {
  it('keeps every ? as it is, where knex.raw would take it for a binding', async () => {
    const { knex, statements } = recordingKnex('postgres');
    await runVerbatim(knex, "select '?' as question -- why?\nfrom songs where title = 'Who?'");
    await knex.destroy();
    expect(statements).to.deep.equal(["select '?' as question -- why?\nfrom songs where title = 'Who?'"]);
  });
});

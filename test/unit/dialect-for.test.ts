import { expect } from 'chai';
import { dialectFor, postgres, redshift } from '../../src/dialects';

describe('dialectFor: the dialect a target speaks', () => {
  it('is Redshift for redshift, PostgreSQL for the embedded server and DATABASE_URL', () => {
    expect(dialectFor('redshift')).to.equal(redshift);
    expect(dialectFor('local')).to.equal(postgres);
    expect(dialectFor('postgres')).to.equal(postgres);
  });
});

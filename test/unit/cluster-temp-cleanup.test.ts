// npm test used to leave a cluster-test-* folder per fake behind in the temp folder.
import fs from 'node:fs';
import { expect } from 'chai';
import { fake, pendingFakeFolders, useClusterMocks } from '../support/cluster-fakes';

describe('cluster test fakes', () => {
  useClusterMocks();
  let folder = '';

  it('make a temp folder for their .env', () => {
    folder = fake({ envText: 'A=1\n' }).dir;
    expect(fs.existsSync(folder)).to.equal(true);
    expect(pendingFakeFolders()).to.include(folder);
  });

  it('remove it after the test that made it', () => {
    expect(folder).not.to.equal('');
    expect(fs.existsSync(folder)).to.equal(false);
    expect(pendingFakeFolders()).to.deep.equal([]);
  });
});

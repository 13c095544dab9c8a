// `npm run test:unit` runs the unit tests and nothing else, and `test:integration` the
// rest: mocha merges a command line's spec with the config file's, so a spec in
// .mocharc.json once made test:unit run every integration test too (issue 25). Checked
// with mocha's own dry run of each script: the files it would run, not a guess at them.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';

/** The test files a package.json script's mocha would run. */
function filesRunBy(script: string): string[] {
  const result = spawnSync('npm', ['run', '-s', script, '--', '--dry-run', '--reporter', 'json'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(result.status, result.stderr).to.equal(0);
  const report = JSON.parse(result.stdout) as { tests: Array<{ file: string }> };
  return [...new Set(report.tests.map((t) => path.relative(PROJECT_ROOT, t.file)))].sort();
}

function testFilesIn(folder: string): string[] {
  return fs
    .readdirSync(path.join(PROJECT_ROOT, folder))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(folder, f))
    .sort();
}

describe('the test scripts', function () {
  this.timeout(120_000);

  it('test:unit runs every unit test file and no other', () => {
    expect(filesRunBy('test:unit')).to.deep.equal(testFilesIn('test/unit'));
  });

  it('test:integration runs every integration test file and no other', () => {
    expect(filesRunBy('test:integration')).to.deep.equal(testFilesIn('test/integration'));
  });

  it('npm test runs both, after the typecheck', () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.test).to.equal(
      `npm run typecheck && ${scripts['test:unit']} ${scripts['test:integration'].replace(/^mocha /, '')}`,
    );
    expect(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, '.mocharc.json'), 'utf8'))).not.to.have.property('spec');
  });
});

// The Redshift stand-in imports nothing from the code it checks: the ESLint rule that says so
// applies to its folder and refuses such an import, and no file there has one today.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { ESLint, Linter } from 'eslint';
import { PROJECT_ROOT } from '../../src/config';

const FOLDER = path.join(PROJECT_ROOT, 'test', 'support', 'redshift-standin');

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );
}

describe('the Redshift stand-in is independent of the tool', () => {
  it('has an ESLint rule over its folder that refuses imports of src/, transforms/ and migrations/', async () => {
    const config = (await new ESLint({ cwd: PROJECT_ROOT }).calculateConfigForFile(
      path.join(FOLDER, 'session.ts'),
    )) as Linter.Config;
    const rule = config.rules?.['no-restricted-imports'];
    expect(rule, 'no-restricted-imports is not configured for the stand-in').to.not.equal(undefined);
    const linter = new Linter();
    for (const source of [
      "import { redshift } from '../../../src/dialects';",
      "import '../../../transforms/070_fact_songplays';",
      "import * as m from '../../../migrations/x';",
    ]) {
      const messages = linter.verify(source, {
        languageOptions: { sourceType: 'module' },
        rules: { 'no-restricted-imports': rule! },
      });
      expect(
        messages.map((m) => m.ruleId),
        source,
      ).to.include('no-restricted-imports');
    }
    expect(
      linter.verify("import pg from 'pg';\nimport { x } from './wire';", {
        languageOptions: { sourceType: 'module' },
        rules: { 'no-restricted-imports': rule! },
      }),
    ).to.deep.equal([]);
  });

  it('imports nothing from the project outside its folder', () => {
    const outside = sourceFiles(FOLDER).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/from\s+'(\.[^']*)'|import\s+'(\.[^']*)'|require\('(\.[^']*)'\)/g)]
        .map((m) => m[1] ?? m[2] ?? m[3])
        .filter((spec) => !path.resolve(path.dirname(file), spec).startsWith(FOLDER))
        .map((spec) => `${path.relative(FOLDER, file)}: ${spec}`),
    );
    expect(outside).to.deep.equal([]);
  });
});

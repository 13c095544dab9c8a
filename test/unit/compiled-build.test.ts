// The npm scripts run the compiled build (tools/build.js, tools/run-built.js), never a stale
// one: a source changed after the build is compiled again before the command runs, and when
// it cannot be (no TypeScript) the command says so and stops. Checked on a small project of
// the same shape in a temporary folder, with the real tools/ and this checkout's compiler.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';

function run(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  return { code: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

/** Writes `text` with an mtime later than anything written before it, as an edit a moment later would. */
function edit(file: string, text: string, secondsLater: number): void {
  fs.writeFileSync(file, text);
  const when = new Date(Date.now() + secondsLater * 1000);
  fs.utimesSync(file, when, when);
}

describe('the compiled build', function () {
  this.timeout(60_000);
  let dir: string;
  const command = ['--require', './tools/run-built.js', 'scripts/hello.ts'];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-build-'));
    fs.cpSync(path.join(PROJECT_ROOT, 'tools'), path.join(dir, 'tools'), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.writeFileSync(path.join(dir, 'src', 'word.ts'), "export const word: string = 'one';\n");
    fs.writeFileSync(
      path.join(dir, 'scripts', 'hello.ts'),
      "import { word } from '../src/word';\nconsole.log(word);\n",
    );
    const built = run(dir, ['tools/build.js']);
    expect(built.code, built.err).to.equal(0);
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the compiled JavaScript, not the TypeScript source', () => {
    // The compiled file says something else than its source: what runs is the build.
    const compiled = path.join(dir, 'build', 'src', 'word.js');
    fs.writeFileSync(compiled, fs.readFileSync(compiled, 'utf8').replace("'one'", "'from the build'"));
    const result = run(dir, command);
    expect(result).to.deep.include({ code: 0, out: 'from the build', err: '' });
  });

  it('compiles a source changed since the build again before the command runs, and says so', () => {
    edit(path.join(dir, 'src', 'word.ts'), "export const word: string = 'three';\n", 2);
    const first = run(dir, command);
    expect(first.code, first.err).to.equal(0);
    expect(first.out).to.equal('three');
    expect(first.err).to.equal('Recompiled 1 TypeScript file(s) into build/ first (src/word.ts changed).');
    // Now the build is current again: nothing to say.
    expect(run(dir, command)).to.deep.include({ code: 0, out: 'three', err: '' });
  });

  it('compiles a new source, and one that replaced a file with an older mtime of the same size', () => {
    edit(path.join(dir, 'src', 'more.ts'), "export const more = 'more';\n", 2);
    edit(
      path.join(dir, 'scripts', 'hello.ts'),
      "import { word } from '../src/word';\nimport { more } from '../src/more';\nconsole.log(word, more);\n",
      2,
    );
    expect(run(dir, command).out).to.equal('one more');
    // `cp -p` of an older copy: the same size, an earlier mtime; still not what was compiled.
    edit(path.join(dir, 'src', 'word.ts'), "export const word: string = 'two';\n", -3600);
    expect(run(dir, command).out).to.equal('two more');
  });

  it('compiles in memory a source edited after the command started, and one written after it started', () => {
    const late = [
      "import fs from 'node:fs';",
      'fs.writeFileSync(`${__dirname}/../src/word.ts`, "export const word: string = \'edited meanwhile\';\\n");',
      'fs.writeFileSync(`${__dirname}/../src/new.ts`, "export const word: string = \'written meanwhile\';\\n");',
      "console.log(require('../src/word').word, '/', require('../src/new').word);",
    ].join('\n');
    edit(path.join(dir, 'scripts', 'late.ts'), late, 0);
    expect(run(dir, ['tools/build.js']).code).to.equal(0);
    expect(run(dir, ['--require', './tools/run-built.js', 'scripts/late.ts'])).to.deep.include({
      code: 0,
      out: 'edited meanwhile / written meanwhile',
      err: '',
    });
  });

  it('stops, saying why, when the build is stale and TypeScript is not there to compile it', () => {
    fs.unlinkSync(path.join(dir, 'node_modules'));
    edit(path.join(dir, 'src', 'word.ts'), "export const word: string = 'three';\n", 2);
    const result = run(dir, command);
    expect(result.code).to.equal(1);
    expect(result.out).to.equal('');
    expect(result.err).to.include('The compiled build in build/ does not match the sources (src/word.ts changed)');
    expect(result.err).to.include('TypeScript is not installed');
    expect(result.err).to.include('run npm ci');
  });

  it('is what every command of package.json runs, and npm ci makes it', () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.prepare).to.equal('node tools/build.js');
    const commands = Object.entries(scripts).filter(([, line]) => / scripts\/\S+\.ts/.test(line));
    expect(commands.length).to.be.greaterThan(10);
    for (const [name, line] of commands)
      expect(line, name).to.match(/^node --require \.\/tools\/run-built\.js scripts\/[\w-]+\.ts( |$)/);
  });
});

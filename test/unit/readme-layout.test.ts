// The README's Layout section is the map of the tree: every folder under src/ and test/
// it names exists, and every folder there is named, so a new room cannot go unmapped.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';

/** The folders the Layout block names under `parent/` (two-space indented entries), and its nested ones as parent/child/. */
function namedFolders(block: string, parent: string): string[] {
  const lines = block.split('\n');
  const start = lines.indexOf(`${parent}/`);
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    const entry = /^ {2}([a-z][\w-]*)\/\s/.exec(line) ?? /^ {4}([a-z][\w-]*)\/\s/.exec(line);
    if (!entry) continue;
    if (line.startsWith('    ')) names.push(`${names[names.length - 1].split('/')[0]}/${entry[1]}`);
    else names.push(entry[1]);
  }
  return names.sort();
}

function foldersUnder(dir: string): string[] {
  const root = path.join(PROJECT_ROOT, dir);
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const nested = fs
        .readdirSync(path.join(root, d.name), { withFileTypes: true })
        .filter(
          (n) => n.isDirectory() && fs.readdirSync(path.join(root, d.name, n.name)).some((f) => f.endsWith('.ts')),
        )
        .map((n) => `${d.name}/${n.name}`);
      return [d.name, ...nested];
    })
    .sort();
}

describe('the README Layout section', () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /^## Layout\n+```\n([\s\S]*?)\n```/m.exec(readme)?.[1] ?? '';

  it('is there, as a code block', () => {
    expect(block).to.include('src/');
  });

  for (const parent of ['src', 'test']) {
    it(`names every folder under ${parent}/, and no folder that is not there`, () => {
      expect(namedFolders(block, parent)).to.deep.equal(foldersUnder(parent));
    });
  }

  it('names the top-level folders that exist', () => {
    const top = [...block.matchAll(/^([a-z]+)\/\s/gm)].map((m) => m[1]);
    expect(top).to.include.members(['migrations', 'analytics', 'transforms', 'scripts', 'src', 'test']);
    for (const name of top) expect(fs.existsSync(path.join(PROJECT_ROOT, name)), name).to.equal(true);
  });
});

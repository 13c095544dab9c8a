// `npm run cluster -- status | head -3` (issue 23, item 7): a reader that closes the pipe
// early must not crash the command with an EPIPE stack. The reading end is closed before
// the command writes anything (node and tsx take a moment to start), so every write meets
// a closed pipe, as the lines after head's last do.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run cluster with its output piped into head', () => {
  it('delete --dry-run into a closed pipe: the output is dropped, no EPIPE, exit 0', async function () {
    this.timeout(60_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cluster.ts', 'delete', '--dry-run'], {
      cwd: ROOT,
      env: { ...process.env, AWS_REGION: 'us-west-2', REDSHIFT_DEPLOYMENT: 'provisioned' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number];
    expect(stderr).not.to.include('EPIPE');
    expect(code).to.equal(0);
  });
});

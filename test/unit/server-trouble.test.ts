// What the tool says when the server, not the data, is at fault (src/server-trouble.ts).
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONNECTION_LOST, serverTrouble, whyTheServerDropped } from '../../src/server-trouble';

describe('server trouble', () => {
  it('names a full disk, memory, connections and I/O by their SQLSTATE, and nothing else', () => {
    expect(serverTrouble({ code: '53100' })).to.match(
      /^the database server's disk is full \(SQLSTATE 53100\).*then run again$/,
    );
    expect(serverTrouble({ code: '53200' })).to.match(/out of memory/);
    expect(serverTrouble({ code: '58030' })).to.match(/I\/O error/);
    expect(serverTrouble({ code: '22P02' })).to.equal(undefined); // a bad value is the data's fault
    expect(serverTrouble(new Error('x'))).to.equal(undefined);
    expect(serverTrouble(null)).to.equal(undefined);
  });

  it("quotes the embedded server's log when it dropped the connection for want of disk", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-log-'));
    const log = path.join(dir, 'server.log');
    fs.writeFileSync(
      log,
      [
        '2026-12-05 13:00:00.000 UTC [1] LOG:  checkpoint starting: time',
        '2026-12-05 13:00:01.000 UTC [2] PANIC:  could not write to file "pg_wal/xlogtemp.2": No space left on device',
        '2026-12-05 13:00:01.100 UTC [1] LOG:  server process (PID 2) was terminated by signal 6: Aborted',
        '2026-12-05 13:00:01.200 UTC [1] LOG:  all server processes terminated; reinitializing',
      ].join('\n'),
    );
    const why = whyTheServerDropped(log)!;
    expect(why).to.contain(`The embedded server's log (${log}) says:`);
    expect(why).to.contain(
      '"2026-12-05 13:00:01.000 UTC [2] PANIC:  could not write to file "pg_wal/xlogtemp.2": No space left on device"',
    );
    expect(why).to.contain('The disk that holds its data is full');
    fs.writeFileSync(log, '2026-12-05 13:00:00.000 UTC [1] LOG:  checkpoint starting: time\n');
    expect(whyTheServerDropped(log)).to.equal(undefined);
    expect(whyTheServerDropped(path.join(dir, 'absent.log'))).to.equal(undefined);
    fs.rmSync(dir, { recursive: true });
  });

  it("knows node-pg's words for a connection the server dropped", () => {
    expect(CONNECTION_LOST.test('Connection terminated unexpectedly')).to.equal(true);
    expect(CONNECTION_LOST.test('relation "x" does not exist')).to.equal(false);
  });
});

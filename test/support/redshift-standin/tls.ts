// A certificate authority made for one test run, and a server certificate it signs for
// 127.0.0.1 and localhost. The tool connects to Redshift with TLS and verifies the
// certificate (AWS "Configuring security options for connections",
// https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html: clients
// verify the server against a CA bundle). The tool keeps rejectUnauthorized: true; the
// test trusts this CA through NODE_EXTRA_CA_CERTS in the tool's environment.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificates {
  dir: string;
  /** The CA certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  key: Buffer;
  cert: Buffer;
  remove(): void;
}

export function makeCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redshift-standin-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=redshift-standin test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  );
  fs.writeFileSync(
    file('server.ext'),
    'subjectAltName = IP:127.0.0.1, DNS:localhost\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.crt'),
  );
  return {
    dir,
    caFile: file('ca.crt'),
    key: fs.readFileSync(file('server.key')),
    cert: fs.readFileSync(file('server.crt')),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

// s3rver in a process of its own, started by s3rver.ts with --openssl-legacy-provider: s3rver
// encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through its
// legacy provider, so without it any listing of more than 1,000 keys fails with a 500. The
// flag stays in this process; the tests' own process keeps OpenSSL's defaults.
// argv: storage directory, bucket name. Prints {"port": n} once listening; stops when stdin closes.
'use strict';
const S3rver = require('s3rver');

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});
server.run().then(
  (address) => process.stdout.write(`${JSON.stringify({ port: address.port })}\n`),
  (error) => {
    process.stderr.write(`s3rver did not start: ${error.message}\n`);
    process.exit(1);
  },
);
process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
process.stdin.resume();

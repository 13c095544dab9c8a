// A Redshift endpoint that cannot be reached (issue 23, item 5): a listener that accepts and
// never answers fails after REDSHIFT_CONNECT_TIMEOUT with the reason and the ways to reach
// a private cluster; a host that does not resolve says to check REDSHIFT_HOST. Both for the
// pool's connections and the run lock's own.
import { expect } from 'chai';
import net from 'node:net';
import { loadConfig } from '../../src/config';
import { connect, type Warehouse } from '../../src/targets/connect';
import { acquireOwnConnection } from '../../src/targets/raw-connection';

describe('connecting to a Redshift endpoint that cannot be reached', () => {
  let silent: net.Server;
  const held: net.Socket[] = [];
  let port: number;

  before(async () => {
    silent = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as net.AddressInfo).port;
  });
  after(() => {
    held.forEach((s) => s.destroy());
    silent.close();
  });

  async function warehouseAt(host: string): Promise<Warehouse> {
    const env = {
      REDSHIFT_HOST: host,
      REDSHIFT_PORT: String(port),
      REDSHIFT_DB: 'sparkify',
      REDSHIFT_USER: 'awsuser',
      REDSHIFT_PASSWORD: 'Sup3rSecretPw9',
      REDSHIFT_CONNECT_TIMEOUT: '0.5',
      REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
      AWS_REGION: 'us-west-2',
    };
    return connect(loadConfig({ target: 'redshift', env }));
  }

  async function failure(work: () => Promise<unknown>): Promise<{ error: Error; seconds: number }> {
    const started = Date.now();
    const error = await work().then(
      () => new Error('connected'),
      (e: Error) => e,
    );
    return { error, seconds: (Date.now() - started) / 1000 };
  }

  it('a listener that never answers: gives up after REDSHIFT_CONNECT_TIMEOUT and says how to reach a private cluster', async () => {
    const warehouse = await warehouseAt('127.0.0.1');
    try {
      for (const work of [() => warehouse.knex.raw('select 1'), () => acquireOwnConnection(warehouse.knex)]) {
        const { error, seconds } = await failure(work);
        expect(seconds).to.be.below(5);
        expect(error.name).to.equal('CloudError');
        expect(error.message).to.match(
          new RegExp(
            `^Could not connect to Redshift at 127\\.0\\.0\\.1:${port}: no answer within 0\\.5 s \\(REDSHIFT_CONNECT_TIMEOUT\\)\\. `,
          ),
        );
        expect(error.message)
          .to.include('private unless --public')
          .and.include('bastion host')
          .and.include('SSM port-forwarding tunnel')
          .and.include('inside the VPC');
        expect(error.message).to.include('npm run cluster -- create --public --allow-cidr <your IP>/32');
        expect(error.message.match(/Could not connect/g)).to.have.length(1);
      }
    } finally {
      await warehouse.close();
    }
  });

  it('a host that does not resolve: says so and names REDSHIFT_HOST', async () => {
    const warehouse = await warehouseAt('nonexistent.invalid');
    try {
      const { error, seconds } = await failure(() => warehouse.knex.raw('select 1'));
      expect(seconds).to.be.below(5);
      expect(error.message).to.equal(
        `Could not connect to Redshift at nonexistent.invalid:${port}: the host name does not resolve (getaddrinfo ENOTFOUND nonexistent.invalid). ` +
          "Check REDSHIFT_HOST: npm run cluster -- endpoint prints the current one (a deleted cluster's name stops resolving).",
      );
    } finally {
      await warehouse.close();
    }
  });
});

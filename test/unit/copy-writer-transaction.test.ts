// Issue 9, item 5: a COPY writer needs the step's transaction, not any knex. The typing
// says so (the @ts-expect-error below fails `npm run typecheck` if it stops saying so),
// and the loader's conversion refuses a plain knex at run time.
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { asTransaction, CopyWriter } from '../../src/load/postgres/copy-writer';

describe('CopyWriter and transactions', () => {
  it('takes a transaction only', () => {
    const open: (trx: Knex.Transaction, sql: string) => Promise<CopyWriter> = CopyWriter.open;
    // @ts-expect-error a plain knex would lend a pool connection outside the step's transaction
    const plain: (db: Knex, sql: string) => Promise<CopyWriter> = CopyWriter.open;
    expect(open).to.equal(plain);
  });

  it('refuses a plain knex where a transaction is needed', async () => {
    const knex = knexFactory({ client: 'pg' });
    try {
      expect(() => asTransaction(knex)).to.throw(/inside the step's transaction/);
      const trx = { isTransaction: true } as unknown as Knex.Transaction;
      expect(asTransaction(trx)).to.equal(trx);
    } finally {
      await knex.destroy();
    }
  });
});

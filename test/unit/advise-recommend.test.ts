// The pure parts of `npm run advise`: slice placement, slice counts, co-location and
// the choice with its reason, on figures given by the test.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { joinCost } from '../../src/advise/colocation';
import { skewOf, spearmanFromSums } from '../../src/advise/profile';
import { adviseTable, type AdviceInput } from '../../src/advise/recommend';
import { sliceOf, sliceSql } from '../../src/advise/slice-hash';
import { sliceLayout } from '../../src/advise/slices';
import type { TableProfile } from '../../src/advise/profile';
import type { Workload } from '../../src/advise/workload';
import type { TableDeclaration } from '../../src/schema/table';
import { timestamp, varchar } from '../../src/schema/table';

describe('advise: slice placement', () => {
  it('puts a value on the slice its MD5 prefix names (hand-checked: md5(a) = 0cc175b9…, 214005177 mod 4 = 1)', () => {
    expect(['a', 'b', 'c', 'd', 'e'].map((v) => sliceOf(v, 4))).to.deep.equal([1, 2, 0, 1, 3]);
    const prefix = parseInt(createHash('md5').update('2018-11-01 21:01:46.796').digest('hex').slice(0, 8), 16);
    expect(sliceOf('2018-11-01 21:01:46.796', 8)).to.equal(prefix % 8);
  });

  it('puts every NULL on one slice', () => {
    expect(sliceOf(null, 8)).to.equal(0);
    expect(sliceSql('v', 8)).to.match(/^case when v is null then 0 else mod\(/);
  });

  it('skew is the fullest slice over the mean', () => {
    expect(skewOf([10, 10, 10, 10], 4)).to.equal(1);
    expect(skewOf([40, 0, 0, 0], 4)).to.equal(4);
  });

  it('Spearman from sums: 1 for the same order, -1 for the reverse', () => {
    const sums = (xs: number[], ys: number[]) => ({
      n: xs.length,
      sx: xs.reduce((a, b) => a + b),
      sy: ys.reduce((a, b) => a + b),
      sxx: xs.reduce((a, b) => a + b * b, 0),
      syy: ys.reduce((a, b) => a + b * b, 0),
      sxy: xs.reduce((a, x, i) => a + x * ys[i], 0),
    });
    expect(spearmanFromSums(sums([1, 2, 3, 4], [1, 2, 3, 4]))).to.be.closeTo(1, 1e-12);
    expect(spearmanFromSums(sums([1, 2, 3, 4], [4, 3, 2, 1]))).to.be.closeTo(-1, 1e-12);
  });
});

describe('advise: slice count', () => {
  it('defaults to the configured node type and count', () => {
    expect(sliceLayout({})).to.include({ slices: 8, nodes: 4 });
    expect(sliceLayout({ REDSHIFT_NODE_TYPE: 'ra3.4xlarge', REDSHIFT_NODE_COUNT: '2' })).to.include({
      slices: 8,
      nodes: 2,
    });
    expect(sliceLayout({}, '4')).to.include({ slices: 4 });
  });

  it('refuses a slice count that is not a whole number', () => {
    expect(() => sliceLayout({}, 'many')).to.throw(/--slices must be a whole number/);
  });
});

describe('advise: co-location', () => {
  const sizes = { bytes: (t: string) => ({ fact: 1000, dim: 100 })[t] ?? 0 };
  const join = { left: { table: 'fact', column: 'k' }, right: { table: 'dim', column: 'k' } };
  it('both on the join key: co-located, nothing moves', () => {
    const layouts = new Map([
      ['fact', { style: 'key' as const, column: 'k' }],
      ['dim', { style: 'key' as const, column: 'k' }],
    ]);
    expect(joinCost(join, layouts, sizes, 4)).to.deep.equal({
      placement: 'co-located',
      step: 'DS_DIST_NONE',
      bytesMoved: 0,
    });
  });
  it('one side ALL: nothing moves at query time', () => {
    const layouts = new Map([
      ['fact', { style: 'even' as const }],
      ['dim', { style: 'all' as const }],
    ]);
    expect(joinCost(join, layouts, sizes, 4).step).to.equal('DS_DIST_ALL_NONE');
  });
  it('neither on the key: the cheaper of broadcasting the small side and redistributing both', () => {
    const layouts = new Map([
      ['fact', { style: 'even' as const }],
      ['dim', { style: 'even' as const }],
    ]);
    expect(joinCost(join, layouts, sizes, 4)).to.deep.equal({
      placement: 'broadcast',
      step: 'DS_BCAST_INNER',
      bytesMoved: 300,
    });
    expect(joinCost(join, layouts, sizes, 16)).to.deep.equal({
      placement: 'redistributed (both)',
      step: 'DS_DIST_BOTH',
      bytesMoved: 1100,
    });
  });
});

describe('advise: the choice and its reason', () => {
  const fact: TableDeclaration = {
    name: 'plays',
    layer: 'star',
    comment: '',
    columns: [
      { name: 'at', type: timestamp },
      { name: 'song', type: varchar(8) },
    ],
    distribution: { style: 'even' },
    sortKey: ['at'],
  };
  const times: TableDeclaration = {
    name: 'times',
    layer: 'star',
    comment: '',
    columns: [{ name: 'at', type: timestamp }],
    distribution: { style: 'key', column: 'at' },
  };
  const profile = (
    table: string,
    rows: number,
    bytes: number,
    columns: Array<[string, number, number]>,
  ): TableProfile => ({
    table,
    rows,
    bytes,
    columns: columns.map(([column, nulls, skew]) => ({ column, rows, nulls, distinct: 10, sliceRows: [], skew })),
  });
  const source = { kind: 'query' as const, name: 'by_hour' };
  const workload: Workload = {
    queries: [],
    joins: [
      { left: { table: 'times', column: 'at' }, right: { table: 'plays', column: 'at' }, source },
      {
        left: { table: 'plays', column: 'song' },
        right: { table: 'plays', column: 'song' },
        source: { kind: 'query', name: 'songs' },
      },
    ],
    filters: [{ table: 'plays', column: 'at', kind: 'range', source }],
    skippedSteps: [],
  };
  const input: AdviceInput = {
    tables: [fact, times],
    profiles: new Map([
      [
        'plays',
        profile('plays', 100, 10_000, [
          ['at', 0, 1.05],
          ['song', 95, 7.7],
        ]),
      ],
      ['times', profile('times', 100, 1_000, [['at', 0, 1.05]])],
    ]),
    workload,
    slices: 8,
    nodes: 4,
  };

  it('rejects a mostly-null key, never makes the fact ALL, and says why in one line', () => {
    const advice = adviseTable(fact, input);
    expect(advice.distribution).to.deep.equal({ style: 'key', column: 'at' });
    expect(advice.options.find((o) => o.label === 'ALL')!.rejected).to.match(/fact/);
    expect(advice.reason).to.match(/^song is 95% null \(skew 7\.7 on 8 slices\); at joins times in 1 saved query/);
  });

  it('sorts by the range-filtered column', () => {
    expect(adviseTable(fact, input).sortKey).to.deep.equal(['at']);
  });
});

import { expect } from 'chai';
import { postgres, redshift } from '../../src/dialects';
import { songplays } from '../../migrations/20261125120100_create_star_schema';
import type { TableDeclaration } from '../../src/schema/table';

// The change the README's key rationale describes: distribute plays by song instead of time.
const bySong: TableDeclaration = {
  ...songplays,
  distribution: { style: 'key', column: 'song_id' },
  sortKey: ['start_time', 'user_id'],
};

describe('changing dist and sort keys in a new migration', () => {
  it('renders ALTER DISTSTYLE and ALTER COMPOUND SORTKEY on Redshift', () => {
    expect(redshift.changeKeys(songplays, bySong)).to.deep.equal([
      'alter table "songplays" alter diststyle key distkey "song_id"',
      'alter table "songplays" alter compound sortkey ("start_time", "user_id")',
    ]);
    expect(
      redshift.changeKeys(bySong, { ...bySong, distribution: { style: 'all' }, sortKey: undefined }),
    ).to.deep.equal(['alter table "songplays" alter diststyle all', 'alter table "songplays" alter sortkey none']);
  });

  it('swaps only the indexes that change on Postgres', () => {
    expect(postgres.changeKeys(songplays, bySong)).to.deep.equal([]); // the BRIN index serves the first sort column either way
    const withDevice: TableDeclaration = { ...songplays, lookupKeys: [['song_id'], ['user_id', 'start_time']] };
    expect(postgres.changeKeys(songplays, withDevice)).to.deep.equal([
      'drop index if exists "songplays_artist_id_btree"',
      'create index "songplays_user_id_start_time_btree" on "songplays" using btree ("user_id", "start_time")',
    ]);
  });

  it('changes nothing when nothing changes', () => {
    expect(redshift.changeKeys(songplays, songplays)).to.deep.equal([]);
    expect(postgres.changeKeys(songplays, songplays)).to.deep.equal([]);
  });
});

// The SQL reader behind `npm run advise`'s candidates: joins and filters resolved
// through aliases, CTEs and temp tables to the declared table that holds the column.
import { expect } from 'chai';
import { statementUsage, UsageReader } from '../../src/advise/sql-usage';
import { catalogOf, declaredTables } from '../../src/migrate/declarations';
import { listSavedQueries } from '../../src/report/saved-queries';

const catalog = new Map([
  ['songplays', ['songplay_id', 'start_time', 'user_id', 'song_id', 'artist_id', 'level']],
  ['time', ['start_time', 'hour']],
  ['songs', ['song_id', 'title', 'artist_id']],
  ['staging_events', ['user_id', 'ts', 'page', 'song']],
]);

describe('advise: reading joins and filters from SQL', () => {
  it('resolves a join of two CTEs to the base tables behind them', () => {
    const usage = statementUsage(
      `with plays as (select start_time from songplays), hours as (select start_time, hour from "time")
       select hours.hour, count(*) from plays inner join hours on hours.start_time = plays.start_time group by hours.hour`,
      catalog,
    );
    expect(usage.joins).to.deep.equal([
      { left: { table: 'time', column: 'start_time' }, right: { table: 'songplays', column: 'start_time' } },
    ]);
  });

  it('follows table aliases and ignores joins on computed columns', () => {
    const usage = statementUsage(
      `with weekly as (select date_trunc('week', start_time) as week_start from songplays)
       select * from songplays sp join songs as s on s.song_id = sp.song_id join weekly w on w.week_start = sp.start_time`,
      catalog,
    );
    expect(usage.joins).to.deep.equal([
      { left: { table: 'songs', column: 'song_id' }, right: { table: 'songplays', column: 'song_id' } },
    ]);
  });

  it('classifies filters: ranges, equalities and null tests; comments and literals do not count', () => {
    const usage = statementUsage(
      `-- where user_id = 'x' in a comment
       select * from songplays where start_time >= '2018-11-01' and level = 'paid' and song_id is not null and 'artist_id < 3' <> ''`,
      catalog,
    );
    expect(usage.filters).to.deep.include.members([
      { table: 'songplays', column: 'start_time', kind: 'range' },
      { table: 'songplays', column: 'level', kind: 'equality' },
      { table: 'songplays', column: 'song_id', kind: 'null test' },
    ]);
    expect(usage.filters.map((f) => f.column)).not.to.include.members(['user_id', 'artist_id']);
  });

  it('remembers a temp table so a later delete … using resolves through it', () => {
    const reader = new UsageReader(catalog);
    reader.read(
      `create temp table songplays_batch as with plays as (select user_id, ts from staging_events where page = 'NextSong') select user_id from plays`,
    );
    const usage = reader.read(
      `delete from songplays_batch using songplays where songplays_batch.user_id = songplays.user_id`,
    );
    expect(usage.joins).to.deep.equal([
      { left: { table: 'staging_events', column: 'user_id' }, right: { table: 'songplays', column: 'user_id' } },
    ]);
  });

  it('skips the upserts\' null-safe "nothing changed" comparisons', () => {
    const usage = statementUsage(
      `delete from songs_batch using songs where songs_batch.song_id = songs.song_id and (songs_batch.title = songs.title or (songs_batch.title is null and songs.title is null))`,
      new Map([...catalog, ['songs_batch', ['song_id', 'title']]]),
    );
    expect(usage.joins.map((j) => j.left.column)).to.deep.equal(['song_id']);
    expect(usage.filters).to.deep.equal([]);
  });

  it("finds the saved queries' joins on this project's schema", () => {
    const joins = listSavedQueries().flatMap((q) =>
      statementUsage(q.sql, catalogOf(declaredTables())).joins.map(
        (j) => `${q.name}: ${j.left.table}.${j.left.column} = ${j.right.table}.${j.right.column}`,
      ),
    );
    expect(joins).to.include.members([
      'plays_by_hour: time.start_time = songplays.start_time',
      'top_songs: songs.song_id = songplays.song_id',
      'top_songs: artists.artist_id = songs.artist_id',
      'top_artists: artists.artist_id = songplays.artist_id',
    ]);
  });
});

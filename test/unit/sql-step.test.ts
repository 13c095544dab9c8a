// The shapes the upsert helpers render, on every engine alike.
import { expect } from 'chai';
import { postgres } from '../../src/dialects';
import { insertNewFromBatch, sameValues, upsertFromBatch } from '../../src/transform/sql-step';
import { songMatch } from '../../src/transform/late-song-matches';

describe('the upsert helpers', () => {
  it('compare text columns with their lengths, so trailing blanks count on Redshift as on PostgreSQL', () => {
    expect(sameValues('b', 't', ['name', 'year'], ['name'])).to.equal(
      '((b.name = t.name and length(b.name) = length(t.name)) or (b.name is null and t.name is null))\n' + '  and (b.year = t.year or (b.year is null and t.year is null))',
    );
    const upsert = upsertFromBatch(postgres, { table: 'artists', key: ['artist_id'], columns: ['artist_id', 'name'], text: ['name'], batch: 'select 1' });
    expect(upsert[1].sql).to.include('length(artists_batch.name) = length("artists".name)');
  });

  it("restrict the anti-join's scan of the target to the batch's range of its sort key", () => {
    const insert = insertNewFromBatch(postgres, { table: 'time', key: ['start_time'], columns: ['start_time', 'hour'], range: 'start_time', batch: 'select 1' });
    expect(insert[1].sql).to.equal(
      '\ndelete from time_batch\nusing "time"\nwhere time_batch.start_time = "time".start_time\n' +
        '  and "time".start_time between (select min(start_time) from time_batch) and (select max(start_time) from time_batch)',
    );
  });

  it('match songs without trailing blanks on both sides', () => {
    expect(songMatch('s', 'p')).to.equal('rtrim(s.title) = rtrim(p.song_title)\n        and rtrim(s.artist_name) = rtrim(p.artist_name)\n        and s.duration = p.song_length');
  });
});

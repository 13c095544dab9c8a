// Song files (SONG_DATA) into staging_songs; JSON field names equal the column names
// ('auto'). Staging keeps the whole catalogue: every play is matched against it.
import { stageStep } from '../src/transform/stage-step';

export default stageStep('load the song files into staging_songs', {
  source: 'songs',
  table: 'staging_songs',
  columns: [
    'num_songs',
    'artist_id',
    'artist_latitude',
    'artist_longitude',
    'artist_location',
    'artist_name',
    'song_id',
    'title',
    'duration',
    'year',
  ],
  uri: (config) => config.sources.songData,
  mapping: () => 'auto',
  keeps: 'catalogue',
});

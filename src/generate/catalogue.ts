// The catalogue: artists and their songs (what song_data/ holds), plus tracks that
// users play but song_data/ does not know. Each quirk the warehouse must cope with is
// planted a fixed number of times (at least once), so small samples still show all.
import { type Artist, artistsNeedingTwoSongs, makeArtists, plainArtistName, quota } from './artists';
import { TITLE_PATTERNS, TITLE_SUFFIXES, TITLE_WORDS } from './music-vocabulary';
import { type Random, UniqueIds } from './random';
import { type SongRecord } from './sparkify-json';

/** What a play event says about the song: the text matched against song_data/. */
export interface Track {
  artist: string;
  title: string;
  length: number;
}

export interface CatalogueSong {
  /** TR + 16 characters; names the file song_data/A/<X>/<Y>/<trackId>.json. */
  trackId: string;
  record: SongRecord;
}

export interface Catalogue {
  songs: CatalogueSong[];
  /** Tracks of catalogue songs, most popular first. */
  knownTracks: Track[];
  /** Tracks absent from song_data/ (some differ from a catalogue song only in length). */
  unknownTracks: Track[];
}

/** The fewest songs for which every quirk still gets an artist of its own. */
export const MIN_SONGS = 10;

const NUMERIC_TITLE_RATE = 0.0015;
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789ABCDEF';

/** Rounds to 5 decimals, as the data does, so the text is the same wherever it is written. */
function round5(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}

function songTitle(random: Random): string {
  const title = random
    .pick(TITLE_PATTERNS)
    .replace('{A}', random.pick(TITLE_WORDS))
    .replace('{B}', random.pick(TITLE_WORDS));
  return random.chance(0.1) ? title + random.pick(TITLE_SUFFIXES) : title;
}

/** A bare number as a title, as some real song files have (66, 1888, once 3.5). */
function numericTitle(random: Random): number {
  return random.chance(0.1) ? random.int(1, 99) + 0.5 : random.int(1, 2020);
}

function songDuration(random: Random): number {
  // Mostly three to five minutes, a few short interludes and long pieces.
  const base = random.chance(0.05) ? random.float(20, 900) : random.float(140, 330);
  return round5(base);
}

/**
 * Which artist each song belongs to: every artist gets one song, artists whose quirk
 * shows across songs (several names or locations) get a second, and the rest go to
 * random artists, some of them prolific.
 */
function assignSongs(random: Random, artists: Artist[], songCount: number): Artist[] {
  const owners = [...artists];
  for (const artist of artists) {
    if (artist.names.length > 1 || artist.places.length > 1) owners.push(artist);
  }
  while (owners.length < songCount) owners.push(artists[random.skewedIndex(artists.length, 1.5)]);
  return owners.slice(0, songCount);
}

function makeSongs(random: Random, artists: Artist[], songCount: number): CatalogueSong[] {
  const ids = new UniqueIds(random);
  const songsSoFar = new Map<Artist, number>();
  const numericTitles = new Set(random.sampleIndexes(songCount, quota(NUMERIC_TITLE_RATE, songCount)));
  return assignSongs(random, artists, songCount).map((artist, index) => {
    // An artist's first song uses its first name and place, the second the other one,
    // so both occur; later songs pick either.
    const nth = songsSoFar.get(artist) ?? 0;
    songsSoFar.set(artist, nth + 1);
    const name = nth < artist.names.length ? artist.names[nth] : random.pick(artist.names);
    const place = nth < artist.places.length ? artist.places[nth] : random.pick(artist.places);
    const trackId = ids.make((r) => `TRA${r.chars(UPPER, 4)}128F${r.chars(HEX, 7)}`);
    const record: SongRecord = {
      num_songs: 1,
      artist_id: artist.id,
      artist_latitude: place.latitude,
      artist_longitude: place.longitude,
      artist_location: place.location,
      artist_name: name,
      song_id: ids.make((r) => `SO${r.chars(UPPER, 5)}12A${r.chars(HEX, 8)}`),
      title: numericTitles.has(index) ? numericTitle(random) : songTitle(random),
      duration: songDuration(random),
      year: random.chance(0.32) ? 0 : random.int(1960, 2010),
    };
    return { trackId, record };
  });
}

function trackOf(song: SongRecord): Track {
  return { artist: String(song.artist_name), title: String(song.title), length: song.duration };
}

function trackKey(track: Track): string {
  return `${track.artist}\u0000${track.title}\u0000${track.length}`;
}

/**
 * Tracks that song_data/ does not hold. Most are by artists it has never heard of;
 * some are a catalogue song at another length (a different recording), which a
 * loader matching on title alone would wrongly join.
 */
function makeUnknownTracks(random: Random, known: Track[], count: number): Track[] {
  const knownKeys = new Set(known.map(trackKey));
  const tracks: Track[] = [];
  while (tracks.length < count) {
    let track: Track;
    if (random.chance(0.15)) {
      const song = random.pick(known);
      const shift = round5(random.float(1, 30)) * (random.chance(0.5) ? 1 : -1);
      track = { ...song, length: round5(Math.max(10, song.length + shift)) };
    } else {
      track = { artist: plainArtistName(random), title: songTitle(random), length: songDuration(random) };
    }
    if (!knownKeys.has(trackKey(track))) tracks.push(track);
  }
  return tracks;
}

export function buildCatalogue(random: Random, songCount: number): Catalogue {
  const artistsWanted = Math.round(songCount * 0.64);
  // Leave room for the second song of every artist whose quirk needs two.
  const twoSongArtists = artistsNeedingTwoSongs(artistsWanted);
  const artists = makeArtists(random, Math.min(artistsWanted, songCount - twoSongArtists));
  const songs = makeSongs(random, artists, songCount);
  const popularity = random.sampleIndexes(songs.length, songs.length);
  const knownTracks = popularity.map((i) => trackOf(songs[i].record));
  const unknownTracks = makeUnknownTracks(random, knownTracks, Math.max(50, Math.min(songCount * 2, 40_000)));
  return { songs, knownTracks, unknownTracks };
}

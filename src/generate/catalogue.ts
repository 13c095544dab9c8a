// The catalogue: artists and their songs (what song_data/ holds), plus tracks that
// users play but song_data/ does not know. Each quirk the warehouse must cope with is
// planted a fixed number of times (at least once), so small samples still show all.
import { type Random } from './random';
import { type SongRecord } from './sparkify-json';
import { doubleEncodeUtf8 } from './mojibake';
import {
  ARTIST_ADJECTIVES,
  ARTIST_NOUNS,
  ARTIST_PLACES,
  ARTIST_SUFFIXES,
  FIRST_NAMES_FEMALE,
  FIRST_NAMES_MALE,
  LAST_NAMES,
  NON_ASCII_ARTIST_NAMES,
  TITLE_PATTERNS,
  TITLE_SUFFIXES,
  TITLE_WORDS,
} from './vocabulary';

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

type Quirk = 'several-names' | 'several-locations' | 'numeric-name' | 'mojibake' | 'non-ascii';

/** Share of artists (or, for numeric titles, songs) that carry each quirk. */
const QUIRK_RATES: Record<Quirk, number> = {
  'several-names': 0.03,
  'several-locations': 0.01,
  'numeric-name': 0.002,
  mojibake: 0.003,
  'non-ascii': 0.015,
};
const NUMERIC_TITLE_RATE = 0.0015;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789ABCDEF';

interface Place {
  location: string;
  latitude: number | null;
  longitude: number | null;
}

interface Artist {
  id: string;
  quirk: Quirk | 'plain';
  /** The first is the main name; quirky artists have a second. */
  names: Array<string | number>;
  places: Place[];
}

function quota(rate: number, count: number): number {
  return Math.max(1, Math.round(rate * count));
}

/** Rounds to 5 decimals, as the data does, so the text is the same wherever it is written. */
function round5(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}

class UniqueIds {
  private readonly seen = new Set<string>();
  constructor(private readonly random: Random) {}

  make(build: (random: Random) => string): string {
    for (;;) {
      const id = build(this.random);
      if (!this.seen.has(id)) {
        this.seen.add(id);
        return id;
      }
    }
  }
}

function personName(random: Random): string {
  const first = random.pick(random.chance(0.5) ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE);
  return `${first} ${random.pick(LAST_NAMES)}`;
}

function plainArtistName(random: Random): string {
  switch (random.int(0, 5)) {
    case 0:
      return `The ${random.pick(ARTIST_ADJECTIVES)} ${random.pick(ARTIST_NOUNS)}`;
    case 1:
      return `${random.pick(ARTIST_ADJECTIVES)} ${random.pick(ARTIST_NOUNS)}`;
    case 2:
      return `${random.pick(LAST_NAMES)} ${random.pick(ARTIST_SUFFIXES)}`;
    case 3:
      return `DJ ${random.pick(FIRST_NAMES_MALE.concat(FIRST_NAMES_FEMALE))}`;
    case 4:
      return `${personName(random)} & the ${random.pick(ARTIST_NOUNS)}`;
    default:
      return personName(random);
  }
}

/** "X featuring Y", "X & Y" or "X feat. Y": one artist_id, another name on some songs. */
function collaborationName(random: Random, main: string): string {
  const guest = personName(random);
  return `${main}${random.pick([' featuring ', ' & ', ' feat. ', ' Featuring '])}${guest}`;
}

function randomPlace(random: Random): Place {
  // Like the real data: about half the artists have no location, and many of those
  // with one have no coordinates.
  if (random.chance(0.45)) return { location: '', latitude: null, longitude: null };
  const place = random.pick(ARTIST_PLACES);
  const withCoordinates = random.chance(0.6);
  return {
    location: random.pick(place.names),
    latitude: withCoordinates ? place.latitude : null,
    longitude: withCoordinates ? place.longitude : null,
  };
}

/** Two different locations for one artist: another place, or the same one spelled otherwise. */
function twoPlaces(random: Random): Place[] {
  const place = random.pick(ARTIST_PLACES);
  const other = random.pick(ARTIST_PLACES.filter((p) => p !== place));
  const second = random.chance(0.5) && place.names.length > 1 ? place : other;
  const secondName = second === place ? place.names[1] : random.pick(other.names);
  return [
    { location: place.names[0], latitude: place.latitude, longitude: place.longitude },
    { location: secondName, latitude: null, longitude: null },
  ];
}

function makeArtists(random: Random, count: number): Artist[] {
  const ids = new UniqueIds(random);
  const quirks = Object.keys(QUIRK_RATES) as Quirk[];
  const quirkOf = new Map<number, Quirk>();
  const chosen = random.sampleIndexes(
    count,
    quirks.reduce((n, q) => n + quota(QUIRK_RATES[q], count), 0),
  );
  let next = 0;
  for (const quirk of quirks) {
    for (let i = 0; i < quota(QUIRK_RATES[quirk], count); i++) quirkOf.set(chosen[next++], quirk);
  }
  const accented = random.sampleIndexes(NON_ASCII_ARTIST_NAMES.length, NON_ASCII_ARTIST_NAMES.length);
  let accentedUsed = 0;
  const accentedName = () => {
    const base = NON_ASCII_ARTIST_NAMES[accented[accentedUsed % accented.length]];
    const round = Math.floor(accentedUsed++ / accented.length);
    return round === 0 ? base : `${base} ${round + 1}`;
  };

  return Array.from({ length: count }, (_, index): Artist => {
    const id = ids.make((r) => `AR${r.chars(ALNUM, 5)}1187${r.chars(HEX, 7)}`);
    const quirk = quirkOf.get(index) ?? 'plain';
    switch (quirk) {
      case 'several-names': {
        const main = plainArtistName(random);
        return { id, quirk, names: [main, collaborationName(random, main)], places: [randomPlace(random)] };
      }
      case 'several-locations':
        return { id, quirk, names: [plainArtistName(random)], places: twoPlaces(random) };
      case 'numeric-name':
        return { id, quirk, names: [random.int(1, 2999)], places: [randomPlace(random)] };
      case 'mojibake':
        return { id, quirk, names: [doubleEncodeUtf8(accentedName())], places: [randomPlace(random)] };
      case 'non-ascii':
        return { id, quirk, names: [accentedName()], places: [randomPlace(random)] };
      default:
        return { id, quirk, names: [plainArtistName(random)], places: [randomPlace(random)] };
    }
  });
}

function songTitle(random: Random): string {
  const title = random.pick(TITLE_PATTERNS).replace('{A}', random.pick(TITLE_WORDS)).replace('{B}', random.pick(TITLE_WORDS));
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
  const twoSongArtists = quota(QUIRK_RATES['several-names'], artistsWanted) + quota(QUIRK_RATES['several-locations'], artistsWanted);
  const artists = makeArtists(random, Math.min(artistsWanted, songCount - twoSongArtists));
  const songs = makeSongs(random, artists, songCount);
  const popularity = random.sampleIndexes(songs.length, songs.length);
  const knownTracks = popularity.map((i) => trackOf(songs[i].record));
  const unknownTracks = makeUnknownTracks(random, knownTracks, Math.max(50, Math.min(songCount * 2, 40_000)));
  return { songs, knownTracks, unknownTracks };
}

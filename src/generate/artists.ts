// The catalogue's artists: their names and where they come from. Each quirk the
// warehouse must cope with (several names or locations for one artist_id, a number as a
// name, mojibake, accents) is planted in a fixed share of artists, and at least once.
import { doubleEncodeUtf8 } from './mojibake';
import {
  ARTIST_ADJECTIVES,
  ARTIST_NOUNS,
  ARTIST_PLACES,
  ARTIST_SUFFIXES,
  NON_ASCII_ARTIST_NAMES,
} from './music-vocabulary';
import { type Random, UniqueIds } from './random';
import { FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES } from './user-vocabulary';

type Quirk = 'several-names' | 'several-locations' | 'numeric-name' | 'mojibake' | 'non-ascii';

/** Share of artists that carry each quirk. */
const QUIRK_RATES: Record<Quirk, number> = {
  'several-names': 0.03,
  'several-locations': 0.01,
  'numeric-name': 0.002,
  mojibake: 0.003,
  'non-ascii': 0.015,
};
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789ABCDEF';

interface Place {
  location: string;
  latitude: number | null;
  longitude: number | null;
}

export interface Artist {
  id: string;
  quirk: Quirk | 'plain';
  /** The first is the main name; quirky artists have a second. */
  names: Array<string | number>;
  places: Place[];
}

/** How many of `count` carry a quirk of `rate`: at least one, so small samples show it too. */
export function quota(rate: number, count: number): number {
  return Math.max(1, Math.round(rate * count));
}

function personName(random: Random): string {
  const first = random.pick(random.chance(0.5) ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE);
  return `${first} ${random.pick(LAST_NAMES)}`;
}

export function plainArtistName(random: Random): string {
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

export function makeArtists(random: Random, count: number): Artist[] {
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

/** Artists whose quirk shows only across songs (several names or locations): each needs a second song. */
export function artistsNeedingTwoSongs(artistCount: number): number {
  return quota(QUIRK_RATES['several-names'], artistCount) + quota(QUIRK_RATES['several-locations'], artistCount);
}

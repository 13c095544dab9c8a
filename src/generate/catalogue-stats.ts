// Counts the catalogue's quirks from the song records themselves, so the numbers that
// generateSample() reports are what a reader of the song files would count.
import { type CatalogueSong } from './catalogue';
import { hasNonAscii, looksDoubleEncoded } from './mojibake';

export interface CatalogueStats {
  songs: number;
  artists: number;
  artistsWithSeveralNames: number;
  artistsWithSeveralLocations: number;
  artistsWithNumericNames: number;
  artistsWithNonAsciiNames: number;
  artistsWithMojibakeNames: number;
  numericTitles: number;
}

/** Counts each quirk as it appears in the song files themselves. */
export function describeCatalogue(songs: ReadonlyArray<CatalogueSong>): CatalogueStats {
  const names = new Map<string, Set<string | number>>();
  const locations = new Map<string, Set<string>>();
  for (const { record } of songs) {
    if (!names.has(record.artist_id)) names.set(record.artist_id, new Set());
    if (!locations.has(record.artist_id)) locations.set(record.artist_id, new Set());
    names.get(record.artist_id)!.add(record.artist_name);
    locations.get(record.artist_id)!.add(record.artist_location);
  }
  const artistsWhere = (test: (name: string | number) => boolean) =>
    [...names.values()].filter((set) => [...set].some(test)).length;
  return {
    songs: songs.length,
    artists: names.size,
    artistsWithSeveralNames: [...names.values()].filter((set) => set.size > 1).length,
    artistsWithSeveralLocations: [...locations.values()].filter((set) => set.size > 1).length,
    artistsWithNumericNames: artistsWhere((name) => typeof name === 'number'),
    artistsWithNonAsciiNames: artistsWhere(
      (name) => typeof name === 'string' && hasNonAscii(name) && !looksDoubleEncoded(name),
    ),
    artistsWithMojibakeNames: artistsWhere((name) => typeof name === 'string' && looksDoubleEncoded(name)),
    numericTitles: songs.filter(({ record }) => typeof record.title === 'number').length,
  };
}

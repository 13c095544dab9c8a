// The exact text of Sparkify's files: key order, spacing and escaping. The published
// data was written by other tools than JSON.stringify: it escapes "/" as "\/" and
// every non-ASCII character as \uXXXX, writes registration as a float (1540919166796.0),
// and uses ", "/": " between keys in song files but no spaces in event lines.
// Loaders must cope with exactly that text, so it is reproduced here key by key.

/** One song file of song_data/, as the Million Song Dataset subset writes it. */
export interface SongRecord {
  num_songs: number;
  artist_id: string;
  artist_latitude: number | null;
  artist_longitude: number | null;
  artist_location: string;
  /** Usually a string; a few artists are named by a number (as in the real data). */
  artist_name: string | number;
  song_id: string;
  /** Usually a string; a few titles are bare numbers (as in the real data). */
  title: string | number;
  duration: number;
  /** 0 when unknown, as in the real data. */
  year: number;
}

/** One line of log_data/: an event of the Sparkify app. */
export interface EventRecord {
  artist: string | null;
  auth: 'Logged In' | 'Logged Out';
  firstName: string | null;
  gender: string | null;
  itemInSession: number;
  lastName: string | null;
  length: number | null;
  level: 'free' | 'paid';
  location: string | null;
  method: 'GET' | 'PUT';
  page: string;
  /** Epoch milliseconds; written with a trailing ".0". */
  registration: number | null;
  sessionId: number;
  song: string | null;
  status: number;
  ts: number;
  userAgent: string | null;
  /** A string: "" for logged-out events. */
  userId: string;
}

export const EVENT_KEYS: ReadonlyArray<keyof EventRecord> = [
  'artist',
  'auth',
  'firstName',
  'gender',
  'itemInSession',
  'lastName',
  'length',
  'level',
  'location',
  'method',
  'page',
  'registration',
  'sessionId',
  'song',
  'status',
  'ts',
  'userAgent',
  'userId',
];

const NEEDS_ESCAPE = /[/\u0080-\uffff]/;
const ESCAPED = /[/\u0080-\uffff]/g;

function escapeChar(char: string): string {
  if (char === '/') return '\\/';
  return '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0');
}

// Event lines repeat the same few thousand names, titles and user agents a million
// times over; encoding each once keeps a large run fast.
const stringCache = new Map<string, string>();
const STRING_CACHE_LIMIT = 200_000;

/** A JSON string literal escaped the way the Sparkify files escape it. */
function jsonString(value: string): string {
  const cached = stringCache.get(value);
  if (cached !== undefined) return cached;
  let text = JSON.stringify(value);
  if (NEEDS_ESCAPE.test(text)) text = text.replace(ESCAPED, escapeChar);
  if (stringCache.size < STRING_CACHE_LIMIT) stringCache.set(value, text);
  return text;
}

function jsonValue(value: string | number | null): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  return jsonString(value);
}

/** Epoch milliseconds as the real data writes them: 1540919166796.0 */
function jsonFloat(value: number | null): string {
  if (value === null) return 'null';
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** The full text of one song file (no trailing newline, like the real files). */
export function formatSong(song: SongRecord): string {
  return (
    `{"num_songs": ${song.num_songs}, ` +
    `"artist_id": ${jsonString(song.artist_id)}, ` +
    `"artist_latitude": ${jsonValue(song.artist_latitude)}, ` +
    `"artist_longitude": ${jsonValue(song.artist_longitude)}, ` +
    `"artist_location": ${jsonString(song.artist_location)}, ` +
    `"artist_name": ${jsonValue(song.artist_name)}, ` +
    `"song_id": ${jsonString(song.song_id)}, ` +
    `"title": ${jsonValue(song.title)}, ` +
    `"duration": ${jsonValue(song.duration)}, ` +
    `"year": ${song.year}}`
  );
}

/** One event as a JSON line (without the newline). */
export function formatEvent(e: EventRecord): string {
  return (
    `{"artist":${jsonValue(e.artist)},` +
    `"auth":${jsonString(e.auth)},` +
    `"firstName":${jsonValue(e.firstName)},` +
    `"gender":${jsonValue(e.gender)},` +
    `"itemInSession":${e.itemInSession},` +
    `"lastName":${jsonValue(e.lastName)},` +
    `"length":${jsonValue(e.length)},` +
    `"level":${jsonString(e.level)},` +
    `"location":${jsonValue(e.location)},` +
    `"method":${jsonString(e.method)},` +
    `"page":${jsonString(e.page)},` +
    `"registration":${jsonFloat(e.registration)},` +
    `"sessionId":${e.sessionId},` +
    `"song":${jsonValue(e.song)},` +
    `"status":${e.status},` +
    `"ts":${e.ts},` +
    `"userAgent":${jsonValue(e.userAgent)},` +
    `"userId":${jsonString(e.userId)}}`
  );
}

/**
 * The Redshift COPY JSONPaths file for the event logs: one path per column of
 * staging_events, in the order of EVENT_KEYS, laid out like the published file.
 */
export function formatJsonPaths(): string {
  const paths = EVENT_KEYS.map((key) => `        "$['${key}']"`).join(',\n');
  return `{\n    "jsonpaths": [\n${paths}\n    ]\n}`;
}

// The sample generator: byte-for-byte reproducible, in Sparkify's exact format, with
// every quirk the warehouse must cope with present and counted correctly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { type GeneratedSample, generateSample } from '../../src/generate';

// Written out here rather than imported, so a change to the format fails a test.
const SONG_KEYS = [
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
];
const EVENT_KEYS = [
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
const PAGES = [
  'NextSong',
  'Home',
  'Login',
  'Logout',
  'Settings',
  'Save Settings',
  'Help',
  'About',
  'Upgrade',
  'Submit Upgrade',
  'Downgrade',
  'Submit Downgrade',
  'Error',
];
const DAY_MS = 86_400_000;

interface SongFile {
  relative: string;
  text: string;
  song: Record<string, unknown>;
}

interface LogFile {
  relative: string;
  lines: string[];
  events: Array<Record<string, unknown>>;
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function readText(file: string): string {
  const bytes = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

function readSample(sample: GeneratedSample): { songs: SongFile[]; logs: LogFile[] } {
  const songs = listFiles(sample.songDir).map((relative) => {
    const text = readText(path.join(sample.songDir, relative));
    return { relative, text, song: JSON.parse(text) };
  });
  const logs = listFiles(sample.logDir).map((relative) => {
    const text = readText(path.join(sample.logDir, relative));
    expect(text.endsWith('\n'), `${relative} ends with a newline`).to.equal(true);
    const lines = text.slice(0, -1).split('\n');
    return { relative, lines, events: lines.map((line) => JSON.parse(line)) };
  });
  return { songs, logs };
}

/** The raw number text after a key, to compare durations as written, not as parsed. */
function numberText(json: string, key: string): string {
  const match = new RegExp(`"${key}": ?(-?[0-9.]+)`).exec(json);
  if (!match) throw new Error(`no number for ${key} in ${json}`);
  return match[1];
}

function looksDoubleEncoded(name: string): boolean {
  return (
    /[\u00c2-\u00f4][\u0080-\u00bf]/.test(name) && !Buffer.from(name, 'latin1').toString('utf8').includes('\ufffd')
  );
}

describe('generateSample', function () {
  this.timeout(20_000);
  const options = { events: 3000, songs: 120, days: 5, seed: 7 };
  let tmp: string;
  let sample: GeneratedSample;
  let songs: SongFile[];
  let logs: LogFile[];
  let events: Array<Record<string, unknown>>;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'generate-test-'));
    sample = await generateSample({ ...options, outDir: path.join(tmp, 'a') });
    ({ songs, logs } = readSample(sample));
    events = logs.flatMap((log) => log.events);
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('determinism', () => {
    it('writes the same bytes for the same seed and options', async () => {
      const again = await generateSample({ ...options, outDir: path.join(tmp, 'b') });
      const files = listFiles(sample.outDir);
      expect(listFiles(again.outDir)).to.deep.equal(files);
      for (const file of files) {
        const first = fs.readFileSync(path.join(sample.outDir, file));
        expect(first.equals(fs.readFileSync(path.join(again.outDir, file))), file).to.equal(true);
      }
    });

    it('writes different data for another seed', async () => {
      const other = await generateSample({ ...options, seed: 8, outDir: path.join(tmp, 'c') });
      const file = path.join('log_data', '2018', '11', '2018-11-01-events.json');
      expect(readText(path.join(other.outDir, file))).to.not.equal(readText(path.join(sample.outDir, file)));
    });

    it('replaces its own earlier output but refuses a folder it did not write', async () => {
      await generateSample({ ...options, outDir: path.join(tmp, 'a') });
      const foreign = path.join(tmp, 'foreign');
      fs.mkdirSync(path.join(foreign, 'song_data'), { recursive: true });
      let error: unknown;
      await generateSample({ ...options, outDir: foreign }).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/did not write; pass an empty or new --out folder/);
    });
  });

  describe('layout and format', () => {
    it('lays out song_data/A/<X>/<Y>/TRAXY<13>.json, one per song', () => {
      expect(songs).to.have.length(options.songs);
      for (const { relative } of songs) {
        expect(relative.split(path.sep).join('/')).to.match(/^A\/([A-Z])\/([A-Z])\/TRA\1\2[A-Z0-9]{13}\.json$/);
      }
    });

    it('lays out log_data/YYYY/MM/YYYY-MM-DD-events.json, one per day', () => {
      expect(logs.map((log) => log.relative.split(path.sep).join('/'))).to.deep.equal([
        '2018/11/2018-11-01-events.json',
        '2018/11/2018-11-02-events.json',
        '2018/11/2018-11-03-events.json',
        '2018/11/2018-11-04-events.json',
        '2018/11/2018-11-05-events.json',
      ]);
    });

    it('writes song files with the published key order, spacing and types', () => {
      for (const { text, song } of songs) {
        expect(Object.keys(song)).to.deep.equal(SONG_KEYS);
        expect(text).to.match(/^\{"num_songs": 1, "artist_id": "AR[A-Z0-9]{16}", "artist_latitude": /);
        expect(song.artist_id).to.match(/^AR[A-Z0-9]{16}$/);
        expect(song.song_id).to.match(/^SO[A-Z0-9]{16}$/);
        expect(song.artist_latitude === null || typeof song.artist_latitude === 'number').to.equal(true);
        expect(song.artist_longitude === null || typeof song.artist_longitude === 'number').to.equal(true);
        expect(song.artist_location).to.be.a('string');
        expect(['string', 'number']).to.include(typeof song.artist_name);
        expect(['string', 'number']).to.include(typeof song.title);
        expect(song.duration).to.be.a('number');
        expect(Number.isInteger(song.year)).to.equal(true);
      }
    });

    it('writes event lines with the published key order and types', () => {
      const nullable = (type: string) => (value: unknown) => value === null || typeof value === type;
      const types: Record<string, (value: unknown) => boolean> = {
        artist: nullable('string'),
        auth: (v) => v === 'Logged In' || v === 'Logged Out',
        firstName: nullable('string'),
        gender: (v) => v === null || v === 'F' || v === 'M',
        itemInSession: Number.isInteger,
        lastName: nullable('string'),
        length: nullable('number'),
        level: (v) => v === 'free' || v === 'paid',
        location: nullable('string'),
        method: (v) => v === 'GET' || v === 'PUT',
        page: (v) => PAGES.includes(v as string),
        registration: nullable('number'),
        sessionId: Number.isInteger,
        song: nullable('string'),
        status: (v) => v === 200 || v === 307 || v === 404,
        ts: Number.isInteger,
        userAgent: nullable('string'),
        userId: (v) => typeof v === 'string',
      };
      for (const event of events) {
        expect(Object.keys(event)).to.deep.equal(EVENT_KEYS);
        for (const key of EVENT_KEYS)
          expect(types[key](event[key]), `${key} in ${JSON.stringify(event)}`).to.equal(true);
        expect(event.method).to.equal(event.page === 'NextSong' || event.status === 307 ? 'PUT' : 'GET');
      }
    });

    it('escapes like the published data: "\\/", \\u00XX, registration as a float', () => {
      const all = [...songs.map((s) => s.text), ...logs.flatMap((log) => log.lines)];
      for (const text of all) {
        expect(/^[\x20-\x7e]*$/.test(text), `only printable ASCII: ${text}`).to.equal(true);
        expect(/(^|[^\\])\//.test(text), `no unescaped slash: ${text}`).to.equal(false);
      }
      const lines = logs.flatMap((log) => log.lines);
      for (const line of lines) expect(line).to.match(/"registration":(null|\d{13}\.0),/);
      expect(lines.some((line) => line.includes('"userAgent":"\\"Mozilla\\/5.0 ('))).to.equal(true);
    });

    it('writes the Redshift JSONPaths file with 18 paths in column order', () => {
      const text = fs.readFileSync(sample.jsonPathsFile, 'utf8');
      expect(JSON.parse(text)).to.deep.equal({ jsonpaths: EVENT_KEYS.map((key) => `$['${key}']`) });
      expect(text).to.match(/^\{\n {4}"jsonpaths": \[\n {8}"\$\['artist'\]",\n/);
    });

    it('keeps each day file in ts order and within its day', () => {
      for (const log of logs) {
        const dayStart = Date.parse(path.basename(log.relative).slice(0, 10) + 'T00:00:00Z');
        let previous = dayStart;
        for (const event of log.events) {
          const ts = event.ts as number;
          expect(ts)
            .to.be.at.least(previous)
            .and.below(dayStart + DAY_MS);
          previous = ts;
        }
      }
    });
  });

  describe('counts returned match the files', () => {
    it('counts events, pages, sessions and users', () => {
      const userIds = new Set(events.map((e) => e.userId).filter((id) => id !== ''));
      expect(sample.events).to.equal(options.events).and.equal(events.length);
      expect(sample.files).to.deep.equal({ logs: options.days, songs: options.songs });
      expect(sample.nextSongEvents).to.equal(events.filter((e) => e.page === 'NextSong').length);
      expect(sample.loggedOutEvents).to.equal(events.filter((e) => e.auth === 'Logged Out').length);
      expect(sample.levelChanges).to.equal(
        events.filter((e) => /^Submit (Up|Down)grade$/.test(e.page as string)).length,
      );
      expect(sample.sessions).to.equal(new Set(events.map((e) => e.sessionId)).size);
      expect(sample.users).to.equal(userIds.size);
    });

    it('counts plays of songs in song_data by exact artist, title and duration text', () => {
      const known = new Set(
        songs.map(
          ({ text, song }) => `${String(song.artist_name)}|${String(song.title)}|${numberText(text, 'duration')}`,
        ),
      );
      const lines = logs.flatMap((log) => log.lines);
      let matched = 0;
      lines.forEach((line, i) => {
        const e = events[i];
        if (e.page === 'NextSong' && known.has(`${e.artist}|${e.song}|${numberText(line, 'length')}`)) matched++;
      });
      expect(sample.playsOfKnownSongs).to.equal(matched).and.be.above(0);
      expect(sample.playsOfUnknownSongs)
        .to.equal(sample.nextSongEvents - matched)
        .and.be.above(0);
    });

    it('counts the catalogue quirks', () => {
      const names = new Map<string, Set<unknown>>();
      const places = new Map<string, Set<unknown>>();
      for (const { song } of songs) {
        const id = song.artist_id as string;
        names.set(id, (names.get(id) ?? new Set()).add(song.artist_name));
        places.set(id, (places.get(id) ?? new Set()).add(song.artist_location));
      }
      const artistsWhere = (test: (name: unknown) => boolean) =>
        [...names.values()].filter((set) => [...set].some(test)).length;
      const text = (name: unknown): name is string => typeof name === 'string';
      expect(sample.songs).to.equal(songs.length);
      expect(sample.artists).to.equal(names.size);
      expect(sample.artistsWithSeveralNames)
        .to.equal([...names.values()].filter((s) => s.size > 1).length)
        .and.be.above(0);
      expect(sample.artistsWithSeveralLocations)
        .to.equal([...places.values()].filter((s) => s.size > 1).length)
        .and.be.above(0);
      expect(sample.numericTitles)
        .to.equal(songs.filter(({ song }) => typeof song.title === 'number').length)
        .and.be.above(0);
      expect(sample.artistsWithNumericNames)
        .to.equal(artistsWhere((n) => typeof n === 'number'))
        .and.be.above(0);
      expect(sample.artistsWithMojibakeNames)
        .to.equal(artistsWhere((n) => text(n) && looksDoubleEncoded(n)))
        .and.be.above(0);
      expect(sample.artistsWithNonAsciiNames)
        .to.equal(artistsWhere((n) => text(n) && /[^\x00-\x7f]/.test(n) && !looksDoubleEncoded(n)))
        .and.be.above(0);
    });
  });

  describe('realism the warehouse must cope with', () => {
    it('has NextSong as by far the most frequent page (about 85%)', () => {
      const share = sample.nextSongEvents / sample.events;
      expect(share).to.be.within(0.8, 0.9);
    });

    it('has logged-out events with an empty userId and no profile', () => {
      const loggedOut = events.filter((e) => e.auth === 'Logged Out');
      expect(loggedOut).to.not.be.empty;
      for (const e of loggedOut) {
        expect(e).to.include({
          userId: '',
          firstName: null,
          lastName: null,
          gender: null,
          location: null,
          userAgent: null,
          registration: null,
        });
        expect(['Home', 'Login', 'About', 'Help']).to.include(e.page);
      }
    });

    it("changes a user's level only through Submit Upgrade / Submit Downgrade", () => {
      const byUser = new Map<string, Array<Record<string, unknown>>>();
      for (const e of events)
        if (e.userId !== '') byUser.set(e.userId as string, [...(byUser.get(e.userId as string) ?? []), e]);
      let usersWithBothLevels = 0;
      for (const timeline of byUser.values()) {
        timeline.sort((a, b) => (a.ts as number) - (b.ts as number));
        for (let i = 1; i < timeline.length; i++) {
          if (timeline[i].level !== timeline[i - 1].level) {
            const expected = timeline[i].level === 'paid' ? 'Submit Upgrade' : 'Submit Downgrade';
            expect(timeline[i - 1].page).to.equal(expected);
          }
        }
        if (new Set(timeline.map((e) => e.level)).size === 2) usersWithBothLevels++;
      }
      expect(sample.usersWithLevelChanges).to.equal(usersWithBothLevels).and.be.above(0);
    });

    it('gives some artist ids several names, such as "X featuring Y"', () => {
      const names = new Map<string, Set<string>>();
      for (const { song } of songs) {
        names.set(
          song.artist_id as string,
          (names.get(song.artist_id as string) ?? new Set()).add(String(song.artist_name)),
        );
      }
      const collaborations = [...names.values()].filter((set) => {
        const [first, second] = [...set].sort((a, b) => a.length - b.length);
        return (
          second !== undefined &&
          second.startsWith(first) &&
          / (featuring|Featuring|feat\.|&) /.test(second.slice(first.length))
        );
      });
      expect(collaborations).to.not.be.empty;
    });
  });

  describe('gzip', () => {
    it('writes .json.gz files that decompress to the same text', async () => {
      const plain = await generateSample({
        events: 400,
        songs: 20,
        days: 3,
        start: '2018-12-31',
        outDir: path.join(tmp, 'plain'),
      });
      const zipped = await generateSample({
        events: 400,
        songs: 20,
        days: 3,
        start: '2018-12-31',
        gzip: true,
        outDir: path.join(tmp, 'gz'),
      });
      const plainFiles = listFiles(plain.outDir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
      const zippedFiles = listFiles(zipped.outDir).filter((f) => f.endsWith('.json.gz'));
      expect(zippedFiles.map((f) => f.replace(/\.gz$/, ''))).to.deep.equal(
        plainFiles.filter((f) => f !== 'log_json_path.json'),
      );
      expect(zippedFiles.map((f) => f.split(path.sep).join('/')).filter((f) => f.startsWith('log_data'))).to.deep.equal(
        [
          'log_data/2018/12/2018-12-31-events.json.gz',
          'log_data/2019/01/2019-01-01-events.json.gz',
          'log_data/2019/01/2019-01-02-events.json.gz',
        ],
      );
      for (const file of zippedFiles) {
        const bytes = fs.readFileSync(path.join(zipped.outDir, file));
        expect(bytes.subarray(0, 2).toString('hex'), file).to.equal('1f8b');
        expect(zlib.gunzipSync(bytes).toString('utf8')).to.equal(
          readText(path.join(plain.outDir, file.replace(/\.gz$/, ''))),
        );
      }
      expect(fs.readFileSync(zipped.jsonPathsFile, 'utf8')).to.equal(fs.readFileSync(plain.jsonPathsFile, 'utf8'));
    });
  });

  describe('options', () => {
    it('rejects malformed options with a message naming the flag', async () => {
      const attempts: Array<[Partial<Parameters<typeof generateSample>[0]>, RegExp]> = [
        [{ events: 0 }, /--events must be a whole number/],
        [{ songs: 3 }, /--songs must be a whole number from 10/],
        [{ days: 1.5 }, /--days must be a whole number/],
        [{ start: '2018-02-30' }, /--start must be a date like 2018-11-01/],
      ];
      for (const [override, message] of attempts) {
        let error: unknown;
        await generateSample({ ...options, outDir: path.join(tmp, 'bad'), ...override }).catch(
          (e: unknown) => (error = e),
        );
        expect(String(error)).to.match(message);
      }
    });
  });
});

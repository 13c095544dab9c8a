// JSONPaths files (Redshift's format, read by the local loader too): parsing, picking
// values out of records, and the 'auto' mapping.
import { expect } from 'chai';
import { LoadError } from '../../src/errors';
import { autoPaths, MISSING, parseJsonPaths, parsePath, pick, type FieldPath } from '../../src/load/json/jsonpaths';

// The shape of Sparkify's log_json_path.json, written out here.
const SPARKIFY_PATHS = [
  "$['artist']",
  "$['auth']",
  "$['firstName']",
  "$['gender']",
  "$['itemInSession']",
  "$['lastName']",
  "$['length']",
  "$['level']",
  "$['location']",
  "$['method']",
  "$['page']",
  "$['registration']",
  "$['sessionId']",
  "$['song']",
  "$['status']",
  "$['ts']",
  "$['userAgent']",
  "$['userId']",
];

function loadError(parse: () => unknown): LoadError {
  try {
    parse();
  } catch (error) {
    expect(error).to.be.instanceOf(LoadError);
    return error as LoadError;
  }
  expect.fail('expected a LoadError');
}

const path = (...steps: Array<string | number>): FieldPath => ({ source: 'test', steps });

describe('parseJsonPaths', () => {
  it('reads the Sparkify log_json_path.json, one field per path, in order', () => {
    const text = JSON.stringify({ jsonpaths: SPARKIFY_PATHS }, null, 4);
    const paths = parseJsonPaths(text, 'log_json_path.json');
    expect(paths).to.have.length(18);
    expect(paths[0]).to.deep.equal({ source: "$['artist']", steps: ['artist'] });
    expect(paths[2].steps).to.deep.equal(['firstName']);
    expect(paths[17]).to.deep.equal({ source: "$['userId']", steps: ['userId'] });
  });

  it('reads dotted, double-quoted, nested and indexed forms', () => {
    const paths = parseJsonPaths(
      JSON.stringify({ jsonpaths: ['$.a.b', '$["x"]', '$.a[0]', "$['a']['b c'][12]", '$.snake_case1', '$[ "sp" ]'] }),
      'paths.json',
    );
    expect(paths.map((p) => p.steps)).to.deep.equal([
      ['a', 'b'],
      ['x'],
      ['a', 0],
      ['a', 'b c', 12],
      ['snake_case1'],
      ['sp'],
    ]);
  });

  it('keeps the index of $.a[0] a number and a quoted "0" a name', () => {
    const [indexed, named] = parseJsonPaths(JSON.stringify({ jsonpaths: ['$.a[0]', "$.a['0']"] }), 'p.json');
    expect(indexed.steps[1]).to.equal(0);
    expect(named.steps[1]).to.equal('0');
  });

  it('unescapes quotes inside bracketed names', () => {
    expect(parsePath("$['it\\'s']", 'here')).to.deep.equal(["it's"]);
    expect(parsePath('$["say \\"hi\\""]', 'here')).to.deep.equal(['say "hi"']);
  });

  it('refuses text that is not JSON, naming the file and showing the expected form', () => {
    const error = loadError(() => parseJsonPaths("{jsonpaths: ['$.a']}", 's3://bucket/paths.json'));
    expect(error.message).to.match(/^s3:\/\/bucket\/paths\.json is not valid JSON/);
    expect(error.message).to.include('{"jsonpaths": [');
  });

  for (const [what, text] of [
    ['no jsonpaths key', '{"paths": ["$.a"]}'],
    ['an empty jsonpaths array', '{"jsonpaths": []}'],
    ['a jsonpaths string', '{"jsonpaths": "$.a"}'],
    ['a path that is not a string', '{"jsonpaths": ["$.a", 3]}'],
    ['a top-level array', '["$.a"]'],
  ] as const) {
    it(`refuses ${what}, naming the file`, () => {
      const error = loadError(() => parseJsonPaths(text, 'paths.json'));
      expect(error.message).to.include('paths.json has no "jsonpaths" array of strings');
    });
  }

  it('refuses a file holding null with a LoadError naming the file', () => {
    const error = loadError(() => parseJsonPaths('null', 'paths.json'));
    expect(error.message).to.include('paths.json');
  });

  const badPaths: Array<[string, string, RegExp]> = [
    ['a path without $', "['artist']", /must start with \$/],
    ['a whole-record path', '$', /selects the whole record/],
    ['a trailing dot', '$.a.', /from character 4/],
    ['an unclosed bracket', "$['artist'", /from character 2/],
    ['a wildcard', '$.a[*]', /from character 4/],
    ['a name starting with a digit', '$.1abc', /from character 2/],
  ];
  for (const [what, bad, pattern] of badPaths) {
    it(`refuses ${what}, naming the file and the path's position`, () => {
      const error = loadError(() => parseJsonPaths(JSON.stringify({ jsonpaths: ['$.ok', bad] }), 'log_json_path.json'));
      expect(error.message).to.match(/^log_json_path\.json, path 2: /);
      expect(error.message).to.match(pattern);
    });
  }
});

describe('pick', () => {
  const record = {
    artist: "Des'ree",
    length: 246.30812,
    song: null,
    nested: { inner: { value: 'deep' }, list: ['first', { name: 'second' }] },
    zero: 0,
    empty: '',
  };

  it('returns the value at a top-level name', () => {
    expect(pick(record, path('artist'))).to.equal("Des'ree");
    expect(pick(record, path('length'))).to.equal(246.30812);
  });

  it('keeps null a value, distinct from MISSING', () => {
    expect(pick(record, path('song'))).to.equal(null);
    expect(pick(record, path('absent'))).to.equal(MISSING);
  });

  it('returns falsy values as they are', () => {
    expect(pick(record, path('zero'))).to.equal(0);
    expect(pick(record, path('empty'))).to.equal('');
  });

  it('follows nested names and array indexes', () => {
    expect(pick(record, path('nested', 'inner', 'value'))).to.equal('deep');
    expect(pick(record, path('nested', 'list', 0))).to.equal('first');
    expect(pick(record, path('nested', 'list', 1, 'name'))).to.equal('second');
    expect(pick(record, path('nested', 'inner'))).to.deep.equal({ value: 'deep' });
  });

  it('returns MISSING past the end of an array or through a scalar or null', () => {
    expect(pick(record, path('nested', 'list', 5))).to.equal(MISSING);
    expect(pick(record, path('artist', 'x'))).to.equal(MISSING);
    expect(pick(record, path('song', 'x'))).to.equal(MISSING);
    expect(pick(null, path('a'))).to.equal(MISSING);
    expect(pick('text', path('a'))).to.equal(MISSING);
  });

  it('works with paths parsed from a JSONPaths file', () => {
    const [artist, nested] = parseJsonPaths(
      JSON.stringify({ jsonpaths: ["$['artist']", '$.nested.list[1].name'] }),
      'p.json',
    );
    expect(pick(record, artist)).to.equal("Des'ree");
    expect(pick(record, nested)).to.equal('second');
  });

  it("finds only the record's own fields, never inherited ones", () => {
    expect(pick({}, path('constructor'))).to.equal(MISSING);
    expect(pick({ a: {} }, path('a', 'toString'))).to.equal(MISSING);
    expect(pick({ list: [1, 2] }, path('list', 'length'))).to.equal(MISSING);
  });
});

describe('autoPaths', () => {
  it('maps each column to the field of its name, in column order', () => {
    const paths = autoPaths(['num_songs', 'artist_id', 'title']);
    expect(paths.map((p) => p.steps)).to.deep.equal([['num_songs'], ['artist_id'], ['title']]);
    expect(paths.map((p) => p.source)).to.deep.equal(['auto:num_songs', 'auto:artist_id', 'auto:title']);
  });

  it('picks song-file fields by name', () => {
    const song = { num_songs: 1, artist_id: 'ARJIE2Y1187B994AB7', title: 'Der Kleine Dompfaff', year: 0 };
    const [numSongs, artistId, title, year, duration] = autoPaths([
      'num_songs',
      'artist_id',
      'title',
      'year',
      'duration',
    ]);
    expect(pick(song, numSongs)).to.equal(1);
    expect(pick(song, artistId)).to.equal('ARJIE2Y1187B994AB7');
    expect(pick(song, title)).to.equal('Der Kleine Dompfaff');
    expect(pick(song, year)).to.equal(0);
    expect(pick(song, duration)).to.equal(MISSING);
  });

  it('returns no paths for no columns', () => {
    expect(autoPaths([])).to.deep.equal([]);
  });
});

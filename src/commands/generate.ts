// npm run generate -- --events N --songs M --out DIR [--seed S] [--days D] [--gzip] [--start YYYY-MM-DD]
// Writes a synthetic Sparkify sample (see src/generate) and says what it wrote.
import { wholeNumberFlag } from '../cli/args';
import { defineCommand, type Output, STANDARD_OUTPUT } from '../cli/command';
import { DEFAULTS, type GeneratedSample, type GenerateOptions, generateSample } from '../generate';

const USAGE =
  'Usage: npm run generate -- [--events N] [--songs M] [--out DIR] [--seed S] [--days D] [--start YYYY-MM-DD] [--gzip]';

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function summary(sample: GeneratedSample, seconds: number): string {
  return [
    `Wrote ${sample.outDir} in ${seconds.toFixed(1)} s (${megabytes(sample.bytes)}, ${sample.bytes} bytes)`,
    `  files:  ${sample.files.songs} song files, ${sample.files.logs} daily logs, 1 JSONPaths file`,
    `  events: ${sample.events} (${sample.nextSongEvents} NextSong, ${sample.loggedOutEvents} logged out), ` +
      `${sample.sessions} sessions, ${sample.users} users`,
    `  plays:  ${sample.playsOfKnownSongs} of songs in song_data, ${sample.playsOfUnknownSongs} of other songs`,
    `  levels: ${sample.levelChanges} upgrades/downgrades, ${sample.usersWithLevelChanges} users seen at both levels`,
    `  songs:  ${sample.songs} by ${sample.artists} artists; ${sample.artistsWithSeveralNames} artists with several names, ` +
      `${sample.artistsWithSeveralLocations} with several locations, ${sample.artistsWithNonAsciiNames} with non-ASCII names, ` +
      `${sample.artistsWithMojibakeNames} with mojibake names, ${sample.artistsWithNumericNames} with numeric names, ` +
      `${sample.numericTitles} numeric titles`,
  ].join('\n');
}

/** @public Writes the sample and prints what it holds (progress on a terminal's stderr). */
export async function generate(options: GenerateOptions, out: Output = STANDARD_OUTPUT): Promise<number> {
  const started = process.hrtime.bigint();
  const sample = await generateSample({
    ...options,
    onProgress: (p) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${p.phase}: ${p.done}/${p.total}  `);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  out.print(summary(sample, seconds));
  return 0;
}

export const command = defineCommand({
  name: 'generate',
  help: USAGE,
  flags: {
    events: { type: 'string' },
    songs: { type: 'string' },
    out: { type: 'string', default: './sample' },
    seed: { type: 'string' },
    days: { type: 'string' },
    start: { type: 'string', default: DEFAULTS.start },
    gzip: { type: 'boolean', default: false },
  },
  handler: async ({ values }, out) =>
    generate(
      {
        events: wholeNumberFlag('events', values.events, DEFAULTS.events),
        songs: wholeNumberFlag('songs', values.songs, DEFAULTS.songs),
        seed: wholeNumberFlag('seed', values.seed, DEFAULTS.seed),
        days: wholeNumberFlag('days', values.days, DEFAULTS.days),
        outDir: values.out,
        start: values.start,
        gzip: values.gzip,
      },
      out,
    ),
});

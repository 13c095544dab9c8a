// npm run compact -- --from <dir|s3://…> --to <dir|s3://…/compacted/…/> [--slices N] [--target-mb M]
// Rewrites many small JSON files into a few gzipped JSON-lines parts (see src/compact/compact.ts).
import { helpOnly, parseCommand, wholeNumberFlag } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig } from '../src/config';
import { UsageError } from '../src/errors';
import { compact, COMPACT_DEFAULTS } from '../src/compact/compact';
import { s3Options } from '../src/load/s3';

const USAGE =
  'Usage: npm run compact -- --from <dir|s3://bucket/prefix> --to <dir|s3://bucket/compacted/prefix/> [--slices N] [--target-mb M]\n' +
  `  --slices     the cluster's slice count (SELECT COUNT(*) FROM stv_slices); parts are a multiple of it (default ${COMPACT_DEFAULTS.slices})\n` +
  `  --target-mb  size to aim at per part after gzip, 1–1024 (default ${COMPACT_DEFAULTS.targetMb})\n` +
  'The Redshift load lists the prefix and gives the .gz parts their own COPY with GZIP.';

runMain(async (argv) => {
  const { values } = parseCommand(
    'compact',
    argv,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      slices: { type: 'string' },
      'target-mb': { type: 'string' },
    },
    helpOnly,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.from || !values.to) throw new UsageError(`--from and --to are required.\n${USAGE}`);
  const config = loadConfig({ target: 'local' });
  const started = Date.now();
  const result = await compact({
    from: values.from,
    to: values.to,
    slices: wholeNumberFlag('slices', values.slices, COMPACT_DEFAULTS.slices),
    targetMb: wholeNumberFlag('target-mb', values['target-mb'], COMPACT_DEFAULTS.targetMb),
    s3: s3Options(config),
    log: (m) => console.error(m),
  });
  console.log(`Wrote ${result.parts.length} parts with ${result.records} records from ${result.inputFiles} files in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  for (const p of result.parts) console.log(`  ${p.uri}  ${p.records} records`);
  if (result.oldPartsRemoved) console.log(`Removed ${result.oldPartsRemoved} parts of an earlier run first.`);
  if (result.emptyFiles.length) console.log(`Skipped ${result.emptyFiles.length} empty files, e.g. ${result.emptyFiles[0]}.`);
  if (result.malformed) {
    const m = result.firstMalformed!;
    console.log(`Passed through ${result.malformed} lines that are not JSON (first: ${m.path}, line ${m.line}: ${m.reason}); COPY rejects them unless MAXERROR allows.`);
  }
  return 0;
});

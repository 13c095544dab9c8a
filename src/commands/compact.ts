// npm run compact -- --from <dir|s3://…> --to <dir|s3://…/compacted/…/> [--slices N] [--target-mb M]
// Rewrites many small JSON files into a few gzipped JSON-lines parts (see src/compact/compact.ts).
import { wholeNumberFlag } from '../cli/args';
import { defineCommand, type Output, STANDARD_OUTPUT } from '../cli/command';
import { loadConfig } from '../config';
import { UsageError } from '../errors';
import { compact, type CompactOptions, COMPACT_DEFAULTS } from '../compact/compact';
import { s3Options } from '../load/s3';

const USAGE =
  'Usage: npm run compact -- --from <dir|s3://bucket/prefix> --to <dir|s3://bucket/compacted/prefix/> [--slices N] [--target-mb M]\n' +
  `  --slices     the cluster's slice count (SELECT COUNT(*) FROM stv_slices); parts are a multiple of it (default ${COMPACT_DEFAULTS.slices})\n` +
  `  --target-mb  size to aim at per part after gzip, 1–1024 (default ${COMPACT_DEFAULTS.targetMb})\n` +
  'The Redshift load lists the prefix and gives the .gz parts their own COPY with GZIP.';

/** @public Compacts and prints the parts written (progress on stderr). */
export async function compactSources(options: CompactOptions, out: Output = STANDARD_OUTPUT): Promise<number> {
  const started = Date.now();
  const result = await compact({ ...options, log: out.log });
  out.print(
    `Wrote ${result.parts.length} parts with ${result.records} records from ${result.inputFiles} files in ${((Date.now() - started) / 1000).toFixed(1)} s:`,
  );
  for (const p of result.parts) out.print(`  ${p.uri}  ${p.records} records`);
  if (result.oldPartsRemoved) out.print(`Removed ${result.oldPartsRemoved} parts of an earlier run first.`);
  if (result.emptyFiles.length)
    out.print(`Skipped ${result.emptyFiles.length} empty files, e.g. ${result.emptyFiles[0]}.`);
  if (result.malformed) {
    const m = result.firstMalformed!;
    out.print(
      `Passed through ${result.malformed} lines that are not JSON (first: ${m.path}, line ${m.line}: ${m.reason}); COPY rejects them unless MAXERROR allows.`,
    );
  }
  return 0;
}

export const command = defineCommand({
  name: 'compact',
  help: USAGE,
  flags: {
    from: { type: 'string' },
    to: { type: 'string' },
    slices: { type: 'string' },
    'target-mb': { type: 'string' },
  },
  handler: async ({ values }, out) => {
    if (!values.from || !values.to) throw new UsageError('--from and --to are required.');
    const slices = wholeNumberFlag('slices', values.slices, COMPACT_DEFAULTS.slices);
    const targetMb = wholeNumberFlag('target-mb', values['target-mb'], COMPACT_DEFAULTS.targetMb);
    return compactSources(
      { from: values.from, to: values.to, slices, targetMb, s3: s3Options(loadConfig({ target: 'local' })) },
      out,
    );
  },
});

// Renders one COPY from S3 (grammar: AWS "COPY" reference, "COPY from Amazon S3",
// "COPY from JSON format", "Data load parameters", "Data conversion parameters").
import type { Dialect } from '../../dialects';
import { checkReplacementChar } from '../json/invalid-chars';

/** AWS "Data load parameters", MAXERROR: "The maximum value is 100000". */
const MAXERROR_LIMIT = 100000;

export interface CopyParts {
  table: string;
  columns: string[];
  /** A prefix (s3://bucket/prefix) or, with `manifest`, the manifest file's URI. */
  from: string;
  manifest: boolean;
  /** GZIP applies to every file the COPY reads, so one COPY holds one compression kind. */
  gzip: boolean;
  roleArn: string;
  /** The region of the bucket COPY reads, not the cluster's. */
  region: string;
  /** 'auto' or the JSONPaths file's URI. */
  mapping: string;
  /** Lines the load may reject and still succeed (--max-errors). */
  maxErrors: number;
  /** ACCEPTINVCHARS replacement character, when invalid UTF-8 is to be replaced. */
  acceptInvalidChars?: string;
}

/**
 * MAXERROR's value for `allowed` rejects. AWS "Data load parameters", MAXERROR: "If the
 * load returns the error_count number of errors or greater, the load fails" (so 0 and 1
 * both stop at the first error): allowing N rejects takes N + 1, up to AWS's limit.
 */
export function maxErrorValue(allowed: number, warn: (message: string) => void = () => {}): number {
  const wanted = allowed + 1;
  if (wanted <= MAXERROR_LIMIT) return wanted;
  warn(
    `--max-errors ${allowed} is more than Redshift allows: MAXERROR is capped at ${MAXERROR_LIMIT} (AWS's limit), ` +
      `so this load fails at the ${MAXERROR_LIMIT}th rejected line (at most ${MAXERROR_LIMIT - 1} may be rejected).`,
  );
  return MAXERROR_LIMIT;
}

export function renderCopy(parts: CopyParts, dialect: Dialect, warn?: (message: string) => void): string {
  const lit = (v: string) => dialect.quoteLiteral(v);
  const lines = [
    `copy ${dialect.quoteIdentifier(parts.table)} (${parts.columns.map((c) => dialect.quoteIdentifier(c)).join(', ')})`,
    `from ${lit(parts.from)}`,
    `iam_role ${lit(parts.roleArn)}`,
    // "COPY from Amazon S3": REGION names the Region the data is in, when it is not the cluster's.
    `region ${lit(parts.region)}`,
  ];
  // "Using a manifest to specify data files": FROM names the manifest, MANIFEST says so.
  if (parts.manifest) lines.push('manifest');
  lines.push(
    `format as json ${lit(parts.mapping)}`,
    // The tool runs ANALYZE itself after the load; the automatic compression analysis
    // and statistics would otherwise run on every COPY into these tables.
    'compupdate off',
    'statupdate off',
    `maxerror ${maxErrorValue(parts.maxErrors, warn)}`,
  );
  // ACCEPTINVCHARS [AS] 'replacement_char' (AWS "Data conversion parameters"): any ASCII character but NUL.
  if (parts.acceptInvalidChars !== undefined)
    lines.push(`acceptinvchars as ${lit(checkReplacementChar(parts.acceptInvalidChars))}`);
  // "File compression parameters": GZIP, for every file this COPY reads.
  if (parts.gzip) lines.push('gzip');
  return lines.join('\n');
}

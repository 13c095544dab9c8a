// Puts a key value on a slice: the first 32 bits of the MD5 of the value's text, modulo
// the slice count. This is an approximation of Redshift's placement, not its function:
// AWS documents that KEY distribution sends equal values to the same slice, not which
// hash it uses ("Distribution styles", https://docs.aws.amazon.com/redshift/latest/dg/c_choosing_dist_sort.html).
// What it preserves is what skew depends on: equal values together, distinct values
// spread evenly, and every NULL on one slice.
//
// The SQL form runs unchanged on both engines (md5, substr, strpos and mod are in
// both), so the counting happens where the data is; the Node form is the same
// arithmetic, for tests and for reading the SQL.
import { createHash } from 'node:crypto';

const HEX = '0123456789abcdef';
const HEX_DIGITS = 8;

/** Slice of a value's text; null → slice 0 (all NULLs share one slice). */
export function sliceOf(text: string | null, slices: number): number {
  if (text === null) return 0;
  const head = createHash('md5').update(text, 'utf8').digest('hex').slice(0, HEX_DIGITS);
  return Number(BigInt(`0x${head}`) % BigInt(slices));
}

/** The same placement as SQL, for a column or expression `value` (already text or castable). */
export function sliceSql(value: string, slices: number): string {
  const digits = Array.from({ length: HEX_DIGITS }, (_, i) => {
    const weight = 16 ** (HEX_DIGITS - 1 - i);
    // strpos, not position(… in …): the same function on both engines, and a form
    // sqlfluff's redshift grammar reads (AWS "STRPOS function", r_STRPOS.html).
    return `cast(strpos('${HEX}', substr(md5(${value}), ${i + 1}, 1)) - 1 as bigint) * ${weight}`;
  });
  return `case when ${value} is null then 0 else mod(${digits.join('\n    + ')}, ${slices}) end`;
}

// Redshift's ACCEPTINVCHARS, done the same way locally. AWS, "Data conversion parameters"
// (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html):
// "COPY replaces each invalid UTF-8 character with a string of equal length consisting of
// the character specified by replacement_char … The replacement character can be any
// ASCII character except NULL. The default is a question mark ( ? )", and "ACCEPTINVCHARS
// is valid only for VARCHAR columns". AWS, "Multibyte character load errors": with the
// option set, the noncharacters U+FDD0..U+FDEF and U+nFFFE / U+nFFFF, which are valid
// UTF-8 and load as they are without it, are replaced too.
//
// Invalid bytes reach here marked by the decoder (utf8.ts), one mark a byte, so "a string
// of equal length" is one replacement character a byte; a noncharacter is 3 or 4 bytes.
import { UsageError } from '../../errors';

export const DEFAULT_REPLACEMENT_CHAR = '?';
const ACCEPT_INVALID_CHARS_FLAG = '--accept-invalid-chars';

/**
 * Invalid bytes' marks, lone surrogates (a JSON escape such as \ud800 decodes to half a
 * character, which has no UTF-8 form), and the noncharacters. Code points (the u flag),
 * so a valid surrogate pair is never taken for a mark (see utf8.ts INVALID_BYTE).
 */
const TO_REPLACE = /\p{Surrogate}|\p{Noncharacter_Code_Point}/gu;
/** A cheap test for text that may need replacing (any character outside the BMP, and a few rare symbols, give a false alarm). */
export const MAY_NEED_REPLACING = /[\uD800-\uDFFF\uFDD0-\uFDEF\uFFFE\uFFFF]/;
/** Half a character: what no UTF-8 can hold, and what ACCEPTINVCHARS replaces. */
export const LONE_SURROGATE = /\p{Surrogate}/u;

export function replaceInvalidChars(text: string, char: string): string {
  return text.replace(TO_REPLACE, (found) => char.repeat(utf8Length(found)));
}

/** The bytes `found` stood for: one an invalid byte's mark, 3 a lone surrogate (as CESU-8 would write it) or a BMP noncharacter, 4 a supplementary one. */
function utf8Length(found: string): number {
  if (found.length === 2) return 4;
  const unit = found.charCodeAt(0);
  return unit >= 0xdc80 && unit <= 0xdcff ? 1 : 3;
}

/** The replacement character as AWS allows it: one ASCII character, not NUL. */
export function checkReplacementChar(char: string): string {
  if (char.length !== 1 || char.charCodeAt(0) > 0x7f || char === '\u0000') {
    throw new UsageError(
      `${ACCEPT_INVALID_CHARS_FLAG} takes one ASCII character other than NUL (Redshift's ACCEPTINVCHARS rule); got ${JSON.stringify(char)}. ` +
        `Leave it out to use '${DEFAULT_REPLACEMENT_CHAR}'.`,
    );
  }
  return char;
}

/**
 * The flag's value is optional (`--accept-invalid-chars` alone means '?'), which node's
 * parseArgs cannot express: give the bare flag its default. What follows it is its value
 * only when it is one character (so `-` and `^` work) or not a flag; `=` always works.
 */
export function withAcceptInvalidCharsDefault(argv: string[]): string[] {
  return argv.flatMap((arg, i) => {
    if (arg !== ACCEPT_INVALID_CHARS_FLAG) return [arg];
    const next = argv[i + 1];
    const takesNext = next !== undefined && (next.length === 1 || !next.startsWith('-'));
    return takesNext ? [arg] : [`${arg}=${DEFAULT_REPLACEMENT_CHAR}`];
  });
}

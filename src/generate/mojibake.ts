// Mojibake: text whose UTF-8 bytes were read as Latin-1 and encoded to UTF-8 again,
// so "Beyoncé" arrives as "BeyoncÃ©". The real Sparkify data carries such names; the
// generator plants a few so the warehouse is tested against them.

/** "Beyoncé" → "BeyoncÃ©": the UTF-8 bytes reinterpreted as Latin-1 characters. */
export function doubleEncodeUtf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** A UTF-8 lead byte (as Latin-1) followed by a continuation byte (as Latin-1). */
const DOUBLE_ENCODED_PAIR = /[\u00c2-\u00f4][\u0080-\u00bf]/;

/**
 * True when the text looks double-encoded: it has the telltale character pair and,
 * read back as Latin-1 bytes, decodes as valid UTF-8.
 */
export function looksDoubleEncoded(text: string): boolean {
  if (!DOUBLE_ENCODED_PAIR.test(text) || /[^\u0000-\u00ff]/.test(text)) return false;
  return !Buffer.from(text, 'latin1').toString('utf8').includes('\ufffd');
}

export function hasNonAscii(text: string): boolean {
  return /[^\u0000-\u007f]/.test(text);
}

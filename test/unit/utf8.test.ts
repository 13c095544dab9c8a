// Invalid UTF-8 is kept visible, never silently turned into U+FFFD: the decoder marks each
// invalid byte, wherever the chunks break, and ACCEPTINVCHARS's replacement follows AWS's
// rules (one ASCII character, not NUL; a replacement as long in bytes as what it replaces).
import { expect } from 'chai';
import { ConfigError } from '../../src/errors';
import {
  checkReplacementChar,
  replaceInvalidChars,
  withAcceptInvalidCharsDefault,
} from '../../src/load/json/invalid-chars';
import { firstInvalidByte, showInvalidBytes, Utf8Decoder } from '../../src/load/json/utf8';

function decode(bytes: Buffer, size: number): { text: string; sawInvalid: boolean } {
  const decoder = new Utf8Decoder();
  let text = '';
  for (let i = 0; i < bytes.length; i += size) text += decoder.write(bytes.subarray(i, i + size));
  text += decoder.end();
  return { text, sawInvalid: decoder.sawInvalid };
}

const shown = (bytes: number[]) => showInvalidBytes(decode(Buffer.from(bytes), 64).text);

describe('Utf8Decoder', () => {
  it('decodes valid UTF-8 as node does, whatever the chunk boundaries, and says it saw nothing invalid', () => {
    const text = 'Beyoncé, 坂本龍一, 😀, \uFFFD kept as a real character';
    for (const size of [1, 2, 3, 5, 1000])
      expect(decode(Buffer.from(text), size)).to.deep.equal({ text, sawInvalid: false });
  });

  it('marks each invalid byte in its place, whatever the chunk boundaries', () => {
    const bytes = Buffer.concat([
      Buffer.from('a'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('é'),
      Buffer.from([0xe2, 0x82]),
      Buffer.from('b😀'),
    ]);
    for (const size of [1, 2, 3, 4, 1000]) {
      const { text, sawInvalid } = decode(bytes, size);
      expect(sawInvalid).to.equal(true);
      expect(showInvalidBytes(text), `chunks of ${size}`).to.equal('a\\xff\\xfeé\\xe2\\x82b😀');
    }
  });

  it('treats overlong forms, surrogates, stray continuation bytes and code points past U+10FFFF as invalid', () => {
    expect(shown([0xc0, 0xaf])).to.equal('\\xc0\\xaf'); // overlong '/'
    expect(shown([0xe0, 0x80, 0xaf])).to.equal('\\xe0\\x80\\xaf');
    expect(shown([0xed, 0xa0, 0x80])).to.equal('\\xed\\xa0\\x80'); // U+D800
    expect(shown([0x80, 0x41])).to.equal('\\x80A');
    expect(shown([0xf4, 0x90, 0x80, 0x80])).to.equal('\\xf4\\x90\\x80\\x80'); // U+110000
    expect(shown([0xf0, 0x9f, 0x98, 0x80])).to.equal('😀');
  });

  it('marks a character cut off by the end of the input', () => {
    expect(shown([0x41, 0xf0, 0x9f, 0x98])).to.equal('A\\xf0\\x9f\\x98');
  });
});

describe('firstInvalidByte', () => {
  it('gives the byte offset within the line (multibyte characters before it counted in bytes) and the run of bytes', () => {
    const line = decode(
      Buffer.concat([Buffer.from('{"a":"é'), Buffer.from([0xff, 0xfe]), Buffer.from('", "b": "'), Buffer.from([0x80])]),
      64,
    ).text;
    expect(firstInvalidByte(line)).to.deep.equal({ offset: 8, hex: 'ff fe' });
    expect(firstInvalidByte('{"a":"é"}')).to.equal(undefined);
  });

  it('never takes the low half of a valid surrogate pair for a mark (💀 is D83D DC80)', () => {
    const line = decode(Buffer.concat([Buffer.from('💀 💯 '), Buffer.from([0xff])]), 64).text;
    expect(firstInvalidByte(line)).to.deep.equal({ offset: 10, hex: 'ff' });
    expect(firstInvalidByte('💀 📿')).to.equal(undefined);
    expect(showInvalidBytes(line)).to.equal('💀 💯 \\xff');
  });
});

describe('ACCEPTINVCHARS locally', () => {
  it('replaces each invalid byte with the character, so the bytes keep their length', () => {
    const text = decode(Buffer.concat([Buffer.from('b'), Buffer.from([0xe2, 0x82]), Buffer.from('d')]), 64).text;
    expect(replaceInvalidChars(text, '^')).to.equal('b^^d');
  });

  it('replaces the noncharacters AWS lists by as many characters as their UTF-8 bytes', () => {
    expect(replaceInvalidChars('a\uFDD0b\uFFFEc\u{10FFFF}d\u{1FFFE}', '?')).to.equal('a???b???c????d????');
    expect(replaceInvalidChars('😀 \uFFFD \u{1F9FF}', '?')).to.equal('😀 \uFFFD \u{1F9FF}');
    // One supplementary character in eight has a low half in the marks' range: kept whole.
    expect(replaceInvalidChars('💀 💯 📿 \u{10480}', '?')).to.equal('💀 💯 📿 \u{10480}');
  });

  it('takes one ASCII character other than NUL, and says so otherwise', () => {
    expect(checkReplacementChar('^')).to.equal('^');
    expect(checkReplacementChar(' ')).to.equal(' ');
    for (const bad of ['', '??', 'é', '\u0000'])
      expect(() => checkReplacementChar(bad)).to.throw(ConfigError, /one ASCII character other than NUL/);
  });

  it("gives the bare flag its default '?', and takes a following one-character or non-flag value", () => {
    expect(withAcceptInvalidCharsDefault(['--accept-invalid-chars'])).to.deep.equal(['--accept-invalid-chars=?']);
    expect(withAcceptInvalidCharsDefault(['--accept-invalid-chars', '--dry-run'])).to.deep.equal([
      '--accept-invalid-chars=?',
      '--dry-run',
    ]);
    expect(withAcceptInvalidCharsDefault(['--accept-invalid-chars', '-'])).to.deep.equal([
      '--accept-invalid-chars',
      '-',
    ]);
    expect(withAcceptInvalidCharsDefault(['--accept-invalid-chars', '^', '--dry-run'])).to.deep.equal([
      '--accept-invalid-chars',
      '^',
      '--dry-run',
    ]);
    expect(withAcceptInvalidCharsDefault(['--accept-invalid-chars=*'])).to.deep.equal(['--accept-invalid-chars=*']);
  });
});

// Double-encoded text: UTF-8 bytes read as Latin-1 (or Windows-1252) and encoded to UTF-8
// again, once or twice. The real Sparkify event logs carry names encoded twice over
// ("Beyoncé" arrives as "BeyoncÃ\u0083Â©"), while the song files carry them right, so
// those plays never met their song. The repair is one SQL function, the same on both
// engines: Redshift has no function that reinterprets a string's bytes, so the function
// replaces each known garbled form of a character with the character. The forms are
// computed here from the characters, not typed in.
//
// What it repairs: every character of U+00A0–U+00FF and the common typographic ones
// (quotes, dashes, ellipsis, bullet, euro, trade mark), each garbled once or twice, through
// Latin-1 or Windows-1252. Text without Ã, Â or â is returned as it is without one replace
// being run. Right text is left alone unless it holds one of the garbled forms itself: Ã or Â
// directly followed by a character of U+0080–U+00BF, or "â€" and a Windows-1252 character,
// which names in the data never do ("João", "SÃO PAULO", "ROMÂNIA", "Château" stay as they are).
//
// A SQL function (AWS "CREATE FUNCTION",
// https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_FUNCTION.html, and "Scalar SQL
// UDFs", https://docs.aws.amazon.com/redshift/latest/dg/udf-creating-a-scalar-sql-udf.html:
// a SELECT clause without FROM, arguments as $1, the f_ prefix Redshift keeps for UDFs)
// built from CASE, STRPOS and REPLACE
// (https://docs.aws.amazon.com/redshift/latest/dg/r_STRPOS.html,
// https://docs.aws.amazon.com/redshift/latest/dg/r_REPLACE.html). PostgreSQL inlines it.

const REPAIR_FUNCTION = 'f_repair_double_encoding';

/** VARCHAR with no length is VARCHAR(256) on Redshift; the widest VARCHAR it has takes any name. */
const TEXT_TYPE = 'varchar(65535)';

/** The characters the repair knows, besides U+00A0–U+00FF. */
const TYPOGRAPHIC =
  '\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022\u2020\u2021\u2030\u2039\u203a\u20ac\u2122';

/** Windows-1252's characters for the bytes 0x80–0x9F; its five unassigned bytes read as the C1 control of that number, as browsers do. */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function readAsLatin1(bytes: Buffer): string {
  return bytes.toString('latin1');
}

function readAsWindows1252(bytes: Buffer): string {
  return [...bytes]
    .map((b) => (b >= 0x80 && b <= 0x9f ? WINDOWS_1252_HIGH[b - 0x80] : String.fromCharCode(b)))
    .join('');
}

/** Each way a character arrives garbled: its UTF-8 read as Latin-1 or Windows-1252, once or twice. */
export function garbledForms(char: string): string[] {
  const forms = new Set<string>();
  for (const read of [readAsLatin1, readAsWindows1252]) {
    const once = read(Buffer.from(char, 'utf8'));
    forms.add(once);
    forms.add(read(Buffer.from(once, 'utf8')));
  }
  forms.delete(char);
  return [...forms];
}

/** Every (garbled form, character) pair, longest form first: a form garbled twice holds a shorter one ("Â©" in "Ã\u0083Â©"). */
export function repairs(): Array<[string, string]> {
  return (knownRepairs ??= allRepairs());
}

let knownRepairs: Array<[string, string]> | undefined;

function allRepairs(): Array<[string, string]> {
  const latin1 = Array.from({ length: 0x60 }, (_, i) => String.fromCharCode(0xa0 + i));
  const pairs = [...latin1, ...TYPOGRAPHIC].flatMap((char) =>
    garbledForms(char).map((form): [string, string] => [form, char]),
  );
  return pairs.sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The repair in JavaScript, exactly as the SQL function does it: what the tests hold the SQL function to. */
export function repairText(text: string): string {
  if (!leadCharacters().some((c) => text.includes(c))) return text;
  return repairs().reduce((value, [form, char]) => value.split(form).join(char), text);
}

/** The characters every garbled form starts with: text with none of them needs no repair. */
function leadCharacters(): string[] {
  return [...new Set(repairs().map(([form]) => form[0]))].sort();
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The function's CREATE statement, the same on both engines. */
export function createRepairFunction(): string {
  const guard = leadCharacters()
    .map((c) => `strpos($1, ${literal(c)}) > 0`)
    .join(' or ');
  const replaced = repairs().reduce(
    (expression, [form, char]) => `replace(${expression}, ${literal(form)}, ${literal(char)})`,
    '$1',
  );
  return `
create function ${REPAIR_FUNCTION}(${TEXT_TYPE})
returns ${TEXT_TYPE}
immutable
as $$
    select case
        when ${guard}
            then ${replaced}
        else $1
    end
$$ language sql`;
}

export function dropRepairFunction(): string {
  return `drop function ${REPAIR_FUNCTION}(${TEXT_TYPE})`;
}

/** The SQL expression of `column`'s text repaired. */
export function repaired(column: string): string {
  return `${REPAIR_FUNCTION}(${column})`;
}

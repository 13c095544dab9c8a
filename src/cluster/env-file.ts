// Writes a few keys into .env without disturbing the rest of it: every other line, comment,
// blank line and line ending stays as it was; a key already set is replaced where it stands
// (every occurrence, so no stale duplicate wins); a missing key is appended.
import fs from 'node:fs';
import dotenv from 'dotenv';

export function rewriteEnv(text: string, updates: Record<string, string>): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/\r?\n/);
  // A file ending in a newline splits into a last empty element; keep it for the end.
  const endsWithNewline = lines.length > 0 && lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();

  const written = new Set<string>();
  const result = lines.map((line) => {
    const match = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=[ \t]*)/.exec(line);
    if (!match || !(match[2] in updates)) return line;
    written.add(match[2]);
    return `${match[1]}${match[2]}${match[3]}${quote(updates[match[2]])}`;
  });
  for (const [key, value] of Object.entries(updates)) {
    if (!written.has(key)) result.push(`${key}=${quote(value)}`);
  }
  return result.join(newline) + newline;
}

/** Updates the file in place (keeping its permissions), or creates it readable by its owner only. */
export function updateEnvFile(file: string, updates: Record<string, string>): 'updated' | 'created' {
  if (fs.existsSync(file)) {
    fs.writeFileSync(file, rewriteEnv(fs.readFileSync(file, 'utf8'), updates));
    return 'updated';
  }
  // 0600: .env holds the database password too.
  fs.writeFileSync(file, rewriteEnv('', updates), { mode: 0o600, flag: 'wx' });
  return 'created';
}

function quote(value: string): string {
  // Host names, ports and ARNs never need this; refuse rather than write what dotenv misreads.
  if (/["'`\\\r\n]/.test(value))
    throw new Error(`cannot write a value with quotes, backslashes or newlines into .env: ${value}`);
  // dotenv reads # as a comment and trims spaces unless the value is quoted.
  return /[\s#]/.test(value) ? `"${value}"` : value;
}

/** Writes `updates` into the file and says which it did: a new file has no other lines to keep. */
export function writeEnvSettings(file: string, updates: Record<string, string>, out: (line: string) => void): void {
  const keys = Object.keys(updates).join(', ');
  if (updateEnvFile(file, updates) === 'created') out(`Created ${file} with ${keys}.`);
  else out(`Updated ${file}: ${keys} (other lines kept).`);
}

/** The value the file gives `key` (as dotenv reads it), or undefined. */
export function envFileValue(file: string, key: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  return dotenv.parse(fs.readFileSync(file, 'utf8'))[key];
}

/** Removes every line that sets one of `keys`, keeping every other line as it was. */
export function removeEnvSettings(file: string, keys: string[]): void {
  if (keys.length === 0 || !fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const kept = text.split(/\r?\n/).filter((line) => {
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    return !key || !keys.includes(key);
  });
  fs.writeFileSync(file, kept.join(newline));
}

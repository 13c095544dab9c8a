// SYS_LOAD_ERROR_DETAIL names the file and line of a rejected line but keeps no raw text
// (AWS "SYS_LOAD_ERROR_DETAIL": its columns), unlike STL_LOAD_ERRORS.raw_line. So the raw
// text is read back from the source file itself: only the files with rejects, only up to
// their last rejected line, and only when the file may be read (best effort: a line that
// cannot be read keeps an empty raw text, and its reason says why).
import readline from 'node:readline';
import type { Reject } from '../ledger';
import type { SourceFile } from '../source-files';

export async function fillRawLines(rejects: Reject[], files: SourceFile[]): Promise<Reject[]> {
  const wanted = new Map<string, Set<number>>();
  for (const r of rejects)
    if (!r.raw && r.line > 0) (wanted.get(r.path) ?? wanted.set(r.path, new Set()).get(r.path)!).add(r.line);
  if (wanted.size === 0) return rejects;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const found = new Map<string, string>();
  const unreadable = new Map<string, string>();
  for (const [path, lines] of wanted) {
    const file = byPath.get(path);
    if (!file) continue;
    try {
      const last = Math.max(...lines);
      const reader = readline.createInterface({ input: await file.open(), crlfDelay: Infinity });
      let number = 0;
      for await (const text of reader) {
        number++;
        if (lines.has(number)) found.set(`${path}\n${number}`, text);
        if (number >= last) break;
      }
      reader.close();
    } catch (error) {
      unreadable.set(path, (error as Error).message);
    }
  }
  return rejects.map((r) => {
    const raw = found.get(`${r.path}\n${r.line}`);
    if (raw !== undefined || r.raw) return raw !== undefined ? { ...r, raw } : r;
    const why = unreadable.get(r.path);
    return why ? { ...r, reason: `${r.reason} (raw line not read back: ${why})` } : r;
  });
}

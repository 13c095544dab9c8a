// The tables `npm run query` prints, read back: one per result, header first, the rule
// and the row count dropped, cells split on 2+ spaces.
export function printedTables(stdout: string): string[][][] {
  return stdout
    .trim()
    .split(/\n\n/)
    .map((block) =>
      block
        .split('\n')
        .filter((line, i) => i !== 1 && !/^\(\d+ rows?\)$/.test(line))
        .map((line) => line.trim().split(/\s{2,}/)),
    );
}

// LineMap: COPY line → (file, source line), exact for every row, in memory that grows
// with the runs of consecutive lines, not with the rows.
import { expect } from 'chai';
import { LineMap } from '../../src/load/postgres/line-map';

/** Every COPY line's origin as "file:line", 1-based COPY lines. */
function origins(map: LineMap): string[] {
  return Array.from({ length: map.rows }, (_, i) => {
    const origin = map.origin(i + 1)!;
    return `${origin.fileIndex}:${origin.line}`;
  });
}

describe('LineMap', () => {
  it('maps each COPY line back to the file and line it was added from', () => {
    const map = new LineMap();
    const added = ['0:1', '0:2', '0:3', '0:5', '0:6', '1:1', '1:2', '3:7', '3:8', '3:2'];
    for (const entry of added) {
      const [file, line] = entry.split(':').map(Number);
      map.add(file, line);
    }
    expect(map.rows).to.equal(added.length);
    expect(origins(map)).to.deep.equal(added);
  });

  it('keeps one segment for a run of consecutive lines, however long', () => {
    const map = new LineMap();
    for (let line = 1; line <= 1_000_000; line++) map.add(0, line);
    for (let line = 1; line <= 1_000_000; line++) map.add(1, line);
    expect(map.segments).to.equal(2);
    expect(map.origin(1)).to.deep.equal({ fileIndex: 0, line: 1 });
    expect(map.origin(1_000_000)).to.deep.equal({ fileIndex: 0, line: 1_000_000 });
    expect(map.origin(1_000_001)).to.deep.equal({ fileIndex: 1, line: 1 });
    expect(map.origin(2_000_000)).to.deep.equal({ fileIndex: 1, line: 1_000_000 });
  });

  it('starts a segment at each skipped line (a blank or rejected one) and at each file', () => {
    const map = new LineMap();
    for (const line of [1, 2, 4, 5, 6, 9]) map.add(0, line);
    for (const line of [1, 2]) map.add(1, line);
    expect(map.segments).to.equal(4);
    expect(origins(map)).to.deep.equal(['0:1', '0:2', '0:4', '0:5', '0:6', '0:9', '1:1', '1:2']);
  });

  it('starts a segment for a record that begins on the line the last one ended at in another file', () => {
    const map = new LineMap();
    map.add(0, 1);
    map.add(1, 2); // line 2, but of the next file
    expect(origins(map)).to.deep.equal(['0:1', '1:2']);
  });

  it('maps the rows a worker sends in one go the same as rows added one by one', () => {
    const lines = Uint32Array.from([1, 2, 3, 7, 8, 12, 0, 0]);
    const batched = new LineMap();
    batched.addAll(2, lines, 6); // only the first 6 are rows
    batched.addAll(3, Uint32Array.from([1, 2]), 2);
    const single = new LineMap();
    for (const line of lines.subarray(0, 6)) single.add(2, line);
    single.add(3, 1);
    single.add(3, 2);
    expect(origins(batched)).to.deep.equal(origins(single));
    expect(origins(batched)).to.deep.equal(['2:1', '2:2', '2:3', '2:7', '2:8', '2:12', '3:1', '3:2']);
    expect(batched.segments).to.equal(4);
  });

  it('grows past its first capacity with every segment kept', () => {
    const map = new LineMap();
    // Every other line: a segment a row, the worst case (a file of multi-line objects).
    for (let line = 1; line <= 20_000; line += 2) map.add(line % 7, line);
    expect(map.segments).to.equal(10_000);
    expect(map.origin(1)).to.deep.equal({ fileIndex: 1, line: 1 });
    expect(map.origin(5_000)).to.deep.equal({ fileIndex: 9_999 % 7, line: 9_999 });
    expect(map.origin(10_000)).to.deep.equal({ fileIndex: 19_999 % 7, line: 19_999 });
  });

  it('has no origin for a line it was not given', () => {
    const map = new LineMap();
    expect(map.origin(1)).to.equal(undefined);
    map.add(0, 1);
    expect(map.origin(0)).to.equal(undefined);
    expect(map.origin(2)).to.equal(undefined);
    expect(map.origin(1.5)).to.equal(undefined);
    expect(map.origin(1)).to.deep.equal({ fileIndex: 0, line: 1 });
  });
});

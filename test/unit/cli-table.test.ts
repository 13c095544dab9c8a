import { expect } from 'chai';
import { formatTable } from '../../src/cli/table';

describe('formatTable: rows as the commands print them', () => {
  it('pads every column to its widest cell, text to the left and numbers to the right', () => {
    const table = formatTable(
      ['step', 'rows', 'status'],
      [
        ['010_stage_events', '8,056', 'success'],
        ['090', '0', 'error'],
      ],
      [2],
    );
    expect(table.split('\n')).to.deep.equal([
      'step               rows  status ',
      '----------------  -----  -------',
      '010_stage_events  8,056  success',
      '090                   0  error  ',
    ]);
  });

  it('prints the header and rule for no rows', () => {
    expect(formatTable(['a', 'bb'], [])).to.equal('a  bb\n-  --');
  });
});

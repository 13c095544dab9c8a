import { expect } from 'chai';
import { loadConfig, parseLoadWorkers } from '../../src/config';

describe('SPARKIFY_LOAD_WORKERS', () => {
  it('is auto when unset, off for 0, on for 1', () => {
    expect(parseLoadWorkers(undefined)).to.equal('auto');
    expect(parseLoadWorkers('')).to.equal('auto');
    expect(parseLoadWorkers('0')).to.equal('off');
    expect(parseLoadWorkers('1')).to.equal('on');
    expect(loadConfig({ env: { SPARKIFY_LOAD_WORKERS: '0' } }).loadWorkers).to.equal('off');
  });

  it('refuses anything else, naming the variable and the values it takes', () => {
    expect(() => loadConfig({ env: { SPARKIFY_LOAD_WORKERS: 'yes' } })).to.throw(
      /SPARKIFY_LOAD_WORKERS is "yes"; use 0 \(never\), 1 \(always\)/,
    );
  });
});

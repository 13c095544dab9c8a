// The repair of double-encoded names in JavaScript (the SQL function's twin, compared with it
// on a real server in test/integration/double-encoded-names.test.ts).
import { expect } from 'chai';
import { createRepairFunction, garbledForms, repairText, repairs } from '../../src/double-encoding';
import { RIGHT_NAMES } from '../support/right-names';

const latin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('repairing double-encoded text', () => {
  it('repairs names garbled once and twice, as the Sparkify logs carry them', () => {
    expect(repairText(latin1('Beyoncé'))).to.equal('Beyoncé');
    expect(repairText(latin1(latin1('Beyoncé')))).to.equal('Beyoncé');
    expect(repairText('Beyonc\u00c3\u0083\u00c2\u00a9')).to.equal('Beyoncé');
    expect(repairText(latin1(latin1('De São Paulo à Belém')))).to.equal('De São Paulo à Belém');
    expect(repairText('donâ€™t')).to.equal('don’t');
    expect(repairText('ÃƒÂ©')).to.equal('é');
  });

  it('leaves right names alone, Ã and Â included', () => {
    for (const name of RIGHT_NAMES) {
      expect(repairText(name), name).to.equal(name);
    }
  });

  it('repairs every garbled form of every character it knows', () => {
    const chars = new Set(repairs().map(([, char]) => char));
    expect(chars.size).to.equal(0x60 + 17);
    for (const char of chars) {
      for (const form of garbledForms(char))
        expect(repairText(`a${form}b`), JSON.stringify(form)).to.equal(`a${char}b`);
    }
  });

  it('renders one SQL function that skips text with nothing to repair', () => {
    const sql = createRepairFunction();
    expect(sql).to.match(
      /^\ncreate function f_repair_double_encoding\(varchar\(65535\)\)\nreturns varchar\(65535\)\nimmutable/,
    );
    expect(sql).to.include("when strpos($1, 'Â') > 0 or strpos($1, 'Ã') > 0 or strpos($1, 'â') > 0");
    expect(sql.match(/replace\(/g)).to.have.length(repairs().length);
  });
});

// Which transform steps run: loadSteps reads transforms/ in numeric order; --only and
// --from pick from them by id, number or name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '../../src/errors';
import { loadSteps, selectSteps, TRANSFORMS_DIR, type LoadedStep } from '../../src/transform/runner';

const IDS = ['010_stage_events', '020_stage_songs', '030_dim_users', '070_fact_songplays', '090_check_quality'];
const steps: LoadedStep[] = IDS.map((id) => ({ id, description: `step ${id}`, run: async () => ({}) }));
const idsOf = (selected: LoadedStep[]) => selected.map((s) => s.id);

function configError(select: () => unknown): ConfigError {
  try {
    select();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  expect.fail('expected a ConfigError');
}

describe('selectSteps', () => {
  it('returns every step, in order, without a selection', () => {
    expect(idsOf(selectSteps(steps, {}))).to.deep.equal(IDS);
  });

  it('ignores empty --only and --from', () => {
    expect(idsOf(selectSteps(steps, { only: '', from: '' }))).to.deep.equal(IDS);
  });

  describe('--only', () => {
    it('picks one step by its full id', () => {
      expect(idsOf(selectSteps(steps, { only: '070_fact_songplays' }))).to.deep.equal(['070_fact_songplays']);
    });

    it('picks one step by its number', () => {
      expect(idsOf(selectSteps(steps, { only: '030' }))).to.deep.equal(['030_dim_users']);
    });

    it('picks one step by its name', () => {
      expect(idsOf(selectSteps(steps, { only: 'check_quality' }))).to.deep.equal(['090_check_quality']);
    });

    it('returns the step itself, ready to run', () => {
      const [step] = selectSteps(steps, { only: 'dim_users' });
      expect(step).to.equal(steps[2]);
    });

    it('refuses an unknown step, naming the flag and listing the steps', () => {
      const error = configError(() => selectSteps(steps, { only: 'fact_plays' }));
      expect(error.message).to.equal(`--only fact_plays: no such step. Steps: ${IDS.join(', ')}.`);
    });

    it('matches whole parts only, not prefixes or partial names', () => {
      for (const wanted of ['07', '70', 'fact', 'songplays', '070_fact', 'stage']) {
        expect(() => selectSteps(steps, { only: wanted }), wanted).to.throw(ConfigError, /no such step/);
      }
    });
  });

  describe('--from', () => {
    it('runs the named step and every step after it', () => {
      expect(idsOf(selectSteps(steps, { from: '030_dim_users' }))).to.deep.equal([
        '030_dim_users',
        '070_fact_songplays',
        '090_check_quality',
      ]);
    });

    it('takes a number or a name too', () => {
      expect(idsOf(selectSteps(steps, { from: '070' }))).to.deep.equal(['070_fact_songplays', '090_check_quality']);
      expect(idsOf(selectSteps(steps, { from: 'stage_songs' }))).to.deep.equal(IDS.slice(1));
    });

    it('from the first step is every step; from the last is the last alone', () => {
      expect(idsOf(selectSteps(steps, { from: '010' }))).to.deep.equal(IDS);
      expect(idsOf(selectSteps(steps, { from: '090' }))).to.deep.equal(['090_check_quality']);
    });

    it('refuses an unknown step, naming --from and listing the steps', () => {
      const error = configError(() => selectSteps(steps, { from: '100' }));
      expect(error.message).to.match(/^--from 100: no such step\./);
      expect(error.message).to.include(IDS.join(', '));
    });
  });

  describe('--to', () => {
    it('runs every step up to and including the named one', () => {
      expect(idsOf(selectSteps(steps, { to: '070' }))).to.deep.equal(IDS.slice(0, 4));
    });

    it('bounds --from: both ends included', () => {
      expect(idsOf(selectSteps(steps, { from: 'stage_songs', to: '070_fact_songplays' }))).to.deep.equal([
        '020_stage_songs',
        '030_dim_users',
        '070_fact_songplays',
      ]);
      expect(idsOf(selectSteps(steps, { from: '030', to: '030' }))).to.deep.equal(['030_dim_users']);
    });

    it('refuses a range that runs backwards, saying which flag to change', () => {
      const error = configError(() => selectSteps(steps, { from: '070', to: '030' }));
      expect(error.message).to.equal(
        '--to 030 comes before --from 070: nothing would run. Give --from the earlier step.',
      );
    });

    it('refuses an unknown step, naming --to', () => {
      expect(configError(() => selectSteps(steps, { to: '080' })).message).to.match(/^--to 080: no such step\./);
    });

    it('refuses --only with --to', () => {
      expect(configError(() => selectSteps(steps, { only: '030', to: '070' })).message).to.equal(
        'Use --only or --to, not both.',
      );
    });
  });

  it('refuses --only and --from together, even when both name real steps', () => {
    const error = configError(() => selectSteps(steps, { only: '030', from: '010' }));
    expect(error.message).to.equal('Use --only or --from, not both.');
  });

  it('does not change the list it is given', () => {
    const copy = [...steps];
    selectSteps(steps, { from: '030' });
    selectSteps(steps, { only: '070' });
    expect(steps).to.deep.equal(copy);
  });
});

describe('loadSteps', () => {
  describe("the project's transforms", () => {
    let loaded: LoadedStep[];
    before(() => {
      loaded = loadSteps();
    });

    it('loads every NNN_name.ts file of transforms/, in numeric order', () => {
      const files = fs.readdirSync(TRANSFORMS_DIR).filter((f) => /^\d{3}_[a-z0-9_]+\.ts$/.test(f));
      const ids = loaded.map((s) => s.id);
      expect(ids).to.have.length(files.length);
      const numbers = ids.map((id) => Number(id.slice(0, 3)));
      expect(numbers).to.deep.equal([...numbers].sort((a, b) => a - b));
      expect(new Set(numbers).size, 'step numbers are unique').to.equal(numbers.length);
    });

    it('gives each step its id (the file name without .ts), a description and a run function', () => {
      for (const step of loaded) {
        expect(step.id).to.match(/^\d{3}_[a-z0-9_]+$/);
        expect(step.description, step.id).to.be.a('string').and.not.empty;
        expect(step.run, step.id).to.be.a('function');
      }
    });

    it('stages before dimensions, dimensions before the fact, and checks last', () => {
      const ids = loaded.map((s) => s.id);
      expect(ids).to.include.members([
        '010_stage_events',
        '020_stage_songs',
        '030_dim_users',
        '060_dim_time',
        '070_fact_songplays',
        '090_check_quality',
      ]);
      const at = (name: string) => ids.findIndex((id) => id.endsWith(name));
      expect(at('stage_songs')).to.be.below(at('dim_users'));
      expect(at('dim_time')).to.be.below(at('fact_songplays'));
      expect(at('check_quality')).to.equal(ids.length - 1);
    });

    it('works with selectSteps by name', () => {
      expect(idsOf(selectSteps(loaded, { only: 'fact_songplays' }))).to.deep.equal(['070_fact_songplays']);
    });
  });

  describe('a folder of its own', () => {
    let dir: string;
    const step = (description: string) =>
      `module.exports = { default: { description: ${JSON.stringify(description)}, run: async () => ({}) } };\n`;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-selection-'));
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('orders by number and skips files that are not steps', () => {
      fs.writeFileSync(path.join(dir, '100_last.ts'), step('last'));
      fs.writeFileSync(path.join(dir, '020_second.ts'), step('second'));
      fs.writeFileSync(path.join(dir, '005_first.ts'), step('first'));
      fs.writeFileSync(path.join(dir, 'README.md'), '# not a step\n');
      fs.writeFileSync(path.join(dir, 'helpers.ts'), 'throw new Error("must not be loaded");\n');
      fs.writeFileSync(path.join(dir, '30_short_number.ts'), 'throw new Error("must not be loaded");\n');
      fs.writeFileSync(path.join(dir, '040_Upper.ts'), 'throw new Error("must not be loaded");\n');
      const loaded = loadSteps(dir);
      expect(loaded.map((s) => [s.id, s.description])).to.deep.equal([
        ['005_first', 'first'],
        ['020_second', 'second'],
        ['100_last', 'last'],
      ]);
    });

    it('refuses a step file without a default step, naming the file and the fix', () => {
      fs.writeFileSync(path.join(dir, '010_broken.ts'), 'module.exports = { notDefault: 1 };\n');
      expect(() => loadSteps(dir)).to.throw(ConfigError, /transforms\/010_broken\.ts must `export default` a step/);
    });

    it('loads nothing from an empty folder', () => {
      expect(loadSteps(dir)).to.deep.equal([]);
    });
  });
});

// Sources on S3, read through a real S3 endpoint on loopback (s3rver), not a mock.
import { expect } from 'chai';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { startLocalS3, type LocalS3 } from '../support/s3rver';
import { testSample } from '../support/sample';
import { count, starState } from '../support/warehouse-state';

const BUCKET = 'sparkify-test';

describe('sources on S3 (s3rver on loopback)', function () {
  let s3: LocalS3;
  let fromS3: TestDatabase;
  let fromDisk: TestDatabase;

  before(async () => {
    s3 = await startLocalS3(BUCKET);
    const sample = await testSample({ events: 3000, songs: 500, gzip: true });
    await s3.upload(sample.outDir, 'raw');
    fromS3 = await createTestDatabase('embedded', {
      sources: {
        logData: `s3://${BUCKET}/raw/log_data`,
        songData: `s3://${BUCKET}/raw/song_data`,
        logJsonPath: `s3://${BUCKET}/raw/log_json_path.json`,
      },
    });
    fromS3.config.s3Endpoint = s3.endpoint;
    fromDisk = await createTestDatabase('embedded', {
      sources: { logData: sample.logDir, songData: sample.songDir, logJsonPath: sample.jsonPathsFile },
    });
  });

  after(async () => {
    await fromS3?.drop();
    await fromDisk?.drop();
    await s3?.stop();
  });

  it('lists, streams and gunzips the objects into the same warehouse as the local files', async () => {
    const options = { fullRefresh: false, maxErrors: 0, dryRun: false };
    const s3Results = (await runSteps(fromS3, loadSteps(), fromS3.config, options, { log: () => {} })).results;
    expect(s3Results.filter((r) => r.status !== 'success').map((r) => r.error?.message)).to.deep.equal([]);
    (await runSteps(fromDisk, loadSteps(), fromDisk.config, options, { log: () => {} })).results;
    expect(await count(fromS3.knex, "select sum(rows_loaded) from load_ledger where source = 'events'")).to.equal(3000);
    expect(await starState(fromS3.knex)).to.deep.equal(await starState(fromDisk.knex));
    const ledger = await fromS3.knex('load_ledger').where({ source: 'events' }).select('path', 'version');
    expect(ledger[0].path).to.match(/^s3:\/\/sparkify-test\/raw\/log_data\/.+\.json\.gz$/);
    expect(ledger[0].version).to.match(/^[0-9a-f]{32}$/); // the ETag
  });

  it('loads nothing again on a re-run: the ledger knows the objects by ETag', async () => {
    const again = (
      await runSteps(
        fromS3,
        loadSteps(),
        fromS3.config,
        { fullRefresh: false, maxErrors: 0, dryRun: false },
        { log: () => {} },
      )
    ).results;
    expect(again[0].stats).to.include({ files: 0, rowsRead: 0 });
    expect(again[1].stats).to.include({ files: 0, rowsRead: 0 });
  });

  it('names the bucket and the fix when it does not exist', async () => {
    const config = { ...fromS3.config, sources: { ...fromS3.config.sources, logData: 's3://no-such-bucket/log_data' } };
    const [result] = (
      await runSteps(
        fromS3,
        loadSteps().slice(0, 1),
        config,
        { fullRefresh: false, maxErrors: 0, dryRun: false },
        { log: () => {} },
      )
    ).results;
    expect(result.status).to.equal('error');
    expect(result.error!.message)
      .to.contain('s3://no-such-bucket/log_data')
      .and.to.contain('NoSuchBucket')
      .and.to.contain('bucket name');
  });
});

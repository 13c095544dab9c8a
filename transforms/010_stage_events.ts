// Event logs (LOG_DATA) into staging_events, mapped by the JSONPaths file (LOG_JSONPATH)
// on both targets. Staging holds the days not yet taken into the star schema.
import { stageStep } from '../src/transform/stage-step';

export default stageStep('load the event logs into staging_events', {
  source: 'events',
  table: 'staging_events',
  // In the order of log_json_path.json's paths.
  columns: [
    'artist',
    'auth',
    'first_name',
    'gender',
    'item_in_session',
    'last_name',
    'length',
    'level',
    'location',
    'method',
    'page',
    'registration',
    'session_id',
    'song',
    'status',
    'ts',
    'user_agent',
    'user_id',
  ],
  uri: (config) => config.sources.logData,
  mapping: (config) => config.sources.logJsonPath,
  keeps: 'batch',
});

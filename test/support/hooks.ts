// Mocha root hooks: after the last test, stop the shared embedded test server and remove
// the generated samples. The embedded server's folder stays on purpose: concurrent test
// runs share it (each holds a lease) and the next run reuses it instead of running initdb.
import { stopTestServers } from './databases';
import { removeTestSamples } from './sample';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const mochaHooks = {
  async afterAll() {
    await stopTestServers();
    await removeTestSamples();
  },
};

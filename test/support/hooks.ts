// Mocha root hooks: stop the shared embedded test server after the last test.
import { stopTestServers } from './databases';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const mochaHooks = {
  async afterAll() {
    await stopTestServers();
  },
};

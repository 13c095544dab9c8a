// Mocha root hooks: stop the shared embedded test server after the last test.
import { stopTestServers } from './databases';

export const mochaHooks = {
  async afterAll() {
    await stopTestServers();
  },
};

// Runs in a child process for the embedded-server tests:
//   tsx test/support/embedded-child.ts <stateDir> once   start, query, release, exit
//   tsx test/support/embedded-child.ts <stateDir> hold   start, query, then wait to be killed
import { Client } from 'pg';
import { startEmbedded } from '../../src/targets/embedded';

async function main(): Promise<void> {
  const [stateDir, mode] = process.argv.slice(2);
  const server = await startEmbedded({ projectRoot: stateDir, explicitDir: stateDir });
  const client = new Client(server.connection);
  await client.connect();
  const { rows } = await client.query('select current_user as db_user, pg_backend_pid() as backend');
  await client.end();
  process.stdout.write(
    `${JSON.stringify({ ready: true, port: server.connection.port, uid: process.getuid?.(), ...rows[0] })}\n`,
  );
  if (mode === 'hold') {
    setInterval(() => undefined, 1000);
    return;
  }
  await server.release();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

// One short-lived pg connection, always closed: for the few admin statements that run
// outside knex (create/drop a database, checkpoint).
import { Client } from './pg-driver';

export interface ConnectionSettings {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database: string;
}

export async function withClient<T>(connection: ConnectionSettings, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(connection);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

import { Client } from '../integration/auth-helpers.ts';
import { configWithCommunity } from './community.ts';
import { startTestServer, type TestServer } from './server.ts';

/**
 * A server for the kept datathon pages' tests (community holds only for accounts younger than 3 days, no first-comment
 * hold), with the organiser, leader and citizen (`panitia`, `ketua`, `warga` @ `domain`) signed in and an anonymous
 * reader, each as its own Client.
 */
export async function serverWithReaders(root: string, dataDir: string, domain: string, password: string): Promise<{ server: TestServer; clients: Record<string, Client> }> {
  const config = configWithCommunity(root, { hold_new_accounts: { younger_than_days: 3, first_comments: 0 } });
  const server = await startTestServer({ dataDir, env: { KOTA_CONFIG: config } });
  const clients: Record<string, Client> = {};
  for (const who of ['panitia', 'ketua', 'warga']) {
    clients[who] = new Client(server.url);
    await clients[who]!.logIn(`${who}@${domain}`, password);
  }
  clients.anonymous = new Client(server.url);
  return { server, clients };
}

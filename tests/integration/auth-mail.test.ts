import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir, waitFor } from '../helpers/temp.ts';
import { Client } from './auth-helpers.ts';

/**
 * With SMTP settings, mail leaves through SMTP (nodemailer) instead of the log. A minimal SMTP
 * server on a free port stands in for the city's mail server and keeps what it receives.
 */
let dataDir: string;
let server: TestServer;
let smtp: Server;
const received: string[] = [];

function fakeSmtp(): Server {
  return createServer((socket) => {
    let inData = false;
    let buffer = '';
    let message = '';
    socket.write('220 fake.smtp ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            received.push(message);
            message = '';
            socket.write('250 queued\r\n');
          } else message += `${line.startsWith('..') ? line.slice(1) : line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-fake.smtp\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  smtp = fakeSmtp();
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  dataDir = makeTempDir('kota-auth-mail-');
  server = await startTestServer({
    dataDir,
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), MAIL_FROM: 'Kota Terbuka <noreply@kota.test>', AUTH_RATE_LIMIT_SCALE: '0.000001' },
  });
});

afterAll(async () => {
  await server?.stop();
  smtp?.close();
  removeDir(dataDir);
});

test('the sign-up link is sent by SMTP, not printed', async () => {
  const client = new Client(server.url);
  const reply = await client.post('/signup?_action=auth.signup', { name: 'Surel', email: 'surel@kota.test', password: 'kuda lari di sawah' });
  expect(reply.status).toBe(200);
  const mail = await waitFor(() => received.find((m) => m.includes('surel@kota.test')), { what: 'a mail over SMTP' });
  expect(mail).toMatch(/^From: Kota Terbuka <noreply@kota\.test>$/m);
  expect(mail).toMatch(/^Subject: Selesaikan pendaftaran akun Anda$/m);
  expect(mail.replace(/=\n/g, '')).toMatch(/\/verify-email\?token=/);
  expect(server.output()).not.toContain('/verify-email?token=');
});

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir, waitFor } from '../helpers/temp.ts';
import { printedLink } from '../integration/auth-helpers.ts';

/**
 * A newcomer in Chromium: signs up, opens the mailed link, sees the account page, creates and revokes an API token, logs out,
 * logs in again, and reads the log-in page in English. JavaScript is off: every form must work without it.
 */
let dataDir: string;
let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dataDir = makeTempDir('kota-auth-e2e-');
  server = await startTestServer({ dataDir });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'id-ID' });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(dataDir);
});

test('sign up, account page, API token, log out, log in', async () => {
  await page.goto(`${server.url}/`);
  await page.getByRole('link', { name: 'Daftar' }).click();
  expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Daftar akun');

  await page.getByLabel('Nama').fill('Dewi Lestari');
  await page.getByLabel('Email').fill('dewi@kota.test');
  await page.getByLabel('Kata sandi').fill('angklung di gedung sate');
  await page.getByRole('button', { name: 'Daftar' }).click();
  expect(await page.getByRole('status').innerText()).toContain('Kami mengirim email ke dewi@kota.test');

  // The mailed link (printed to the server log: no SMTP here) finishes the sign-up and signs in.
  const link = await waitFor(() => printedLink(server.output(), 'dewi@kota.test', '/verify-email'), { what: 'the sign-up mail' });
  await page.goto(link);
  await page.getByRole('button', { name: 'Konfirmasi alamat email saya' }).click();
  expect(await page.getByRole('status').innerText()).toContain('Pendaftaran selesai');
  await page.goto(`${server.url}/account`);
  expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Akun saya');
  expect(await page.getByRole('link', { name: 'Dewi Lestari' }).count()).toBe(1); // header
  expect(await page.locator('main').innerText()).toContain('dewi@kota.test');

  // create a token: shown once
  await page.getByLabel('Nama token').fill('skrip unggah');
  await page.getByRole('button', { name: 'Buat token' }).click();
  const token = (await page.getByTestId('new-token').innerText()).trim();
  expect(token).toMatch(/^kt_[a-z2-7]+\.[a-z2-7]+$/);
  const me = await fetch(`${server.url}/api/v1/account/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);
  expect((await me.json()).name).toBe('Dewi Lestari');

  await page.goto(`${server.url}/account`);
  expect(await page.locator('main').innerText()).not.toContain(token);
  const row = page.getByRole('row', { name: /skrip unggah/ });
  await row.getByRole('button', { name: 'Cabut skrip unggah' }).click();
  expect(await page.getByRole('status').filter({ hasText: 'Token dicabut.' }).count()).toBe(1);
  expect(await page.getByRole('row', { name: /skrip unggah/ }).innerText()).toContain('dicabut');
  expect((await fetch(`${server.url}/api/v1/account/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

  // log out, then the account page asks to log in
  await page.getByRole('button', { name: 'Keluar', exact: true }).click();
  await page.waitForURL(`${server.url}/`);
  expect(await page.getByRole('link', { name: 'Masuk' }).count()).toBe(1);
  await page.goto(`${server.url}/account`);
  await page.waitForURL(/\/login\?next=%2Faccount$/);

  await page.getByLabel('Email').fill('dewi@kota.test');
  await page.getByLabel('Kata sandi').fill('kata sandi yang salah');
  await page.getByRole('button', { name: 'Masuk' }).last().click();
  expect((await page.getByRole('alert').innerText()).trim()).toBe('Email atau kata sandi salah.');

  await page.getByLabel('Kata sandi').fill('angklung di gedung sate');
  await page.getByRole('button', { name: 'Masuk' }).last().click();
  await page.waitForURL(`${server.url}/account`);
  expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Akun saya');
});

test('a newcomer signs up and logs in in English', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const en = await context.newPage();
  await en.goto(`${server.url}/?lang=en`);
  await en.getByRole('link', { name: 'Sign up' }).click();
  expect((await en.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Sign up');
  await en.getByLabel('Name').fill('Jane Visitor');
  await en.getByLabel('Email').fill('jane@kota.test');
  await en.getByLabel('Password').fill('password');
  await en.getByRole('button', { name: 'Sign up' }).last().click();
  expect((await en.getByRole('alert').innerText()).trim()).toBe('This password is too common and easy to guess. Choose another.');
  await en.getByLabel('Password').fill('a walk along braga street');
  await en.getByRole('button', { name: 'Sign up' }).last().click();
  expect(await en.getByRole('status').innerText()).toContain('We sent an email to jane@kota.test');
  const link = await waitFor(() => printedLink(server.output(), 'jane@kota.test', '/verify-email'), { what: 'the sign-up mail' });
  await en.goto(link);
  await en.getByRole('button', { name: 'Confirm my email address' }).click();
  expect(await en.getByRole('status').innerText()).toContain('Sign-up finished');
  await en.goto(`${server.url}/account`);
  expect((await en.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('My account');
  await en.getByRole('button', { name: 'Log out', exact: true }).click();
  await en.getByRole('link', { name: 'Log in' }).click();
  await en.getByLabel('Email').fill('jane@kota.test');
  await en.getByLabel('Password').fill('a walk along braga street');
  await en.getByRole('button', { name: 'Log in' }).last().click();
  await en.waitForURL(`${server.url}/account`);
  expect(await en.locator('main').innerText()).toContain('jane@kota.test');
  await context.close();
});

// Direct mode on real host names: the shop at https://shop.example.test and the
// reference backend at https://id.example.test (one site, two hosts; Chromium maps
// *.test to this machine, the test makes the certificates). The backend shares only
// its CSRF cookie with the parent domain (IDP_COOKIE_DOMAIN) and allows the shop by
// credentialed CORS. A backend on another site is refused by name.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { createDemoServer } from '../../www/server.mjs';
import { allauthApi } from '../support/allauth.mjs';
import { mailboxCode, SEED_EMAIL, SEED_NAME, SEED_PASSWORD, startBackend } from '../support/backend.mjs';
import { launch, openPage } from '../support/browser.mjs';
import { makeCertificates, testFetch, tlsFront } from '../support/tls.mjs';
import { totp } from '../support/totp.mjs';

const SHOP = 'https://shop.example.test:8528';
const BACKEND = 'https://id.example.test:9449';
const FOREIGN = 'https://id.other.test:9449';

let dir;
let fetchTest;
let backend;
let front;
let shop;
let browser;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'latchkey-domains-'));
  const tls = makeCertificates(dir, ['shop.example.test', 'id.example.test', 'id.other.test']);
  fetchTest = testFetch(tls.ca);
  backend = await startBackend({
    port: 9448, frontend: SHOP,
    env: { IDP_HOSTS: 'id.example.test,id.other.test', IDP_COOKIE_DOMAIN: 'example.test', IDP_BEHIND_TLS: '1' },
  });
  front = await tlsFront({ ...tls, port: 9449, target: 9448 });
  shop = await createDemoServer({ backend: BACKEND, origin: SHOP, tls });
  await new Promise((resolve) => shop.listen(8528, '127.0.0.1', resolve));
  browser = await launch(['--host-resolver-rules=MAP *.test 127.0.0.1', '--ignore-certificate-errors']);
});

after(async () => {
  await browser?.close();
  shop?.close();
  front?.close();
  await backend?.stop();
  await rm(dir, { recursive: true, force: true });
});

const signedInAs = (page, name) =>
  page.locator('#account-name').filter({ hasText: name }).waitFor({ timeout: 15_000 });

async function openWidget(page) {
  await page.goto(`${SHOP}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Sign in' }).waitFor();
  return widget;
}

async function signOut(page) {
  await page.locator('#account-menu summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
}

/** Every request the page sends, by host. */
function hostsOf(context) {
  const hosts = new Set();
  context.on('request', (request) => hosts.add(new URL(request.url()).host));
  return hosts;
}

test('login, sign-up with the mailed code, a second factor, an account change and logout across two hosts', async () => {
  const { page, problems, context } = await openPage(browser);
  const hosts = hostsOf(context);
  let widget = await openWidget(page);
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByLabel('Password', { exact: true }).fill(SEED_PASSWORD);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signedInAs(page, SEED_NAME);
  const cookies = await context.cookies(BACKEND);
  const csrf = cookies.find((c) => c.name === 'csrftoken');
  const session = cookies.find((c) => c.name === 'sessionid');
  assert.equal(csrf.domain, '.example.test', 'the CSRF cookie is shared with the shop');
  assert.equal(session.domain, 'id.example.test', 'the session cookie stays with the backend');
  assert.ok(session.httpOnly && session.secure && csrf.secure);
  await signOut(page);

  // Sign-up with the code, then TOTP enrolment through the account screen.
  const email = `domains-${Date.now()}@example.com`;
  const password = 'a passphrase across two hosts';
  widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Create an account' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('checkbox', { name: 'I agree to the terms of service' }).check();
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(backend.url, email));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);
  await page.evaluate(() => document.getElementById('sign-in-dialog').showModal());
  await widget.getByRole('button', { name: 'Two-step verification' }).click();
  await widget.getByRole('button', { name: 'Set up' }).click();
  const secret = (await widget.locator('.lk-key code').textContent()).trim();
  await widget.getByLabel('Authentication code').fill(totp(secret));
  await widget.getByRole('button', { name: 'Turn on' }).click();
  await widget.getByRole('heading', { name: "Confirm it's you" }).waitFor();
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await widget.locator('.lk-code-list').waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();

  // An account change: a second address, verified with its code.
  await widget.getByRole('button', { name: 'Email addresses' }).click();
  const second = `second-${Date.now()}@example.com`;
  await widget.getByLabel('New email address').fill(second);
  await widget.getByRole('button', { name: 'Add address' }).click();
  await widget.getByText(`Enter the code we sent to ${second}.`).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(backend.url, second));
  await widget.getByRole('button', { name: 'Confirm', exact: true }).click();
  await widget.getByRole('button', { name: `Make primary: ${second}` }).waitFor();
  await page.locator('#close-dialog').click();
  await signOut(page);

  // The second factor at the next login.
  widget = await openWidget(page);
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.getByLabel('Authentication code').fill(totp(secret, 1));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);
  await signOut(page);
  assert.deepEqual([...hosts].sort(), ['id.example.test:9449', 'shop.example.test:8528']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a CSRF cookie the page cannot read is reported as such; nothing is sent without a token', async () => {
  const { page, problems, context } = await openPage(browser);
  // The backend's answer as a host-only cookie would leave it: out of the page's reach.
  await context.route(`${BACKEND}/_allauth/**`, async (route) => {
    const request = route.request();
    const response = await fetchTest(request.url(), { method: request.method(), headers: await request.allHeaders() });
    const headers = Object.fromEntries(response.headers);
    headers['set-cookie'] = response.headers.getSetCookie()
      .map((cookie) => cookie.replace(/;\s*Domain=[^;]*/gi, '')).join('\n');
    await route.fulfill({ status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) });
  });
  const logins = [];
  context.on('request', (request) => { if (request.url().endsWith('/auth/login')) logins.push(request); });
  const widget = await openWidget(page);
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByLabel('Password', { exact: true }).fill(SEED_PASSWORD);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  const alert = widget.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /csrf_token_missing/);
  assert.equal(logins.length, 0, 'no login request with an empty token');
  assert.equal(await widget.getByLabel('Email', { exact: true }).inputValue(), SEED_EMAIL);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a login API on another site is refused with backend_cross_site, pointing to edge mode', async () => {
  const { page, problems, context } = await openPage(browser);
  await page.goto(`${SHOP}/`);
  const shown = await page.evaluate(async (foreign) => {
    const element = document.createElement('latchkey-widget');
    const codes = [];
    element.addEventListener('latchkey:error', (event) => codes.push(event.detail.code));
    for (const [name, value] of Object.entries({ backend: foreign, 'login-api': 'allauth',
      'client-id': 'latchkey-demo', 'redirect-uri': `${location.origin}/callback` })) element.setAttribute(name, value);
    document.body.append(element);
    await element.ready;
    return { codes, text: element.shadowRoot.textContent };
  }, FOREIGN);
  assert.deepEqual(shown.codes, ['backend_cross_site']);
  assert.match(shown.text, /edge mode/);
  assert.deepEqual(problems, []);
  await context.close();
});

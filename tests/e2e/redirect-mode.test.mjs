// Redirect mode, for providers without a login API the widget can use (Keycloak,
// Auth0, Okta, Entra ID, …), end to end against node oidc-provider: the branded
// screen asks for the address first and sends it as login_hint, a provider button
// adds its parameters, the callback signs in, the signed-in view shows who from
// UserInfo, and signing out goes through the provider's end-session page.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { createDemoServer } from '../../www/server.mjs';
import { launch, openPage } from '../support/browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OP_PORT = 9446;
const OP = `http://localhost:${OP_PORT}`;
const SHOP_PORT = 8526;
const SHOP = `http://localhost:${SHOP_PORT}`;
const PAGE = path.join(ROOT, 'tests/fixtures/redirect.html');

let provider;
let shop;
let browser;

/** The parameters of every authorization request from `context`, pushed (PAR,
 * which oidc-provider offers) or in the URL. */
function recordAuthorizations(context) {
  const requests = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== OP) return;
    if (url.pathname === '/request' && request.method() === 'POST') {
      requests.push(new URLSearchParams(request.postData()));
    } else if (url.pathname === '/auth' && !url.searchParams.has('request_uri')) {
      requests.push(url.searchParams);
    }
  });
  return requests;
}

before(async () => {
  provider = spawn('node', [path.join(ROOT, 'devserver/dpop-op/index.js')], {
    env: { ...process.env, PORT: String(OP_PORT), FRONTEND: SHOP }, stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try { if ((await fetch(`${OP}/.well-known/openid-configuration`)).ok) break; } catch { /* starting */ }
    if (Date.now() > deadline) throw new Error('oidc-provider did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  shop = await createDemoServer({ backend: OP, origin: SHOP, page: PAGE });
  await new Promise((resolve) => shop.listen(SHOP_PORT, 'localhost', resolve));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  shop?.close();
  provider?.kill();
});

/** Signs in at oidc-provider's development pages (any name) and consents. */
async function signInAtProvider(page, name) {
  await page.waitForURL((url) => url.href.startsWith(`${OP}/interaction/`));
  await page.locator('input[name=login]').fill(name);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
  await page.waitForURL((url) => url.href.startsWith(SHOP) || url.href.includes('/interaction/'));
  if (page.url().includes('/interaction/')) await page.locator('button[type=submit]').click();
}

test('the address goes to the provider as login_hint; back from it, the widget shows who signed in', async () => {
  const { page, problems, context } = await openPage(browser);
  const authorizations = recordAuthorizations(context);
  await page.goto(`${SHOP}/`);
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await widget.getByLabel('Password').count(), 0, 'the provider asks for the password');
  await widget.getByLabel('Email (optional)').fill('not an address');
  await widget.getByRole('button', { name: 'Continue', exact: true }).click();
  await widget.locator('#lk-email-error').waitFor();
  await widget.getByLabel('Email (optional)').fill('robin@example.com');
  await widget.getByRole('button', { name: 'Continue', exact: true }).click();
  await signInAtProvider(page, 'robin');

  await widget.getByText('robin@example.com').waitFor({ timeout: 15_000 });
  assert.equal(await widget.locator('.lk-user').textContent(), 'robin', 'the name from UserInfo');
  assert.equal(await widget.locator('[part=avatar]').getAttribute('src'), `${SHOP}/assets/logo.svg`);
  assert.equal(await widget.getByRole('button', { name: 'Email addresses' }).count(), 0,
    'no account screens without a login API');
  const [authorize] = authorizations;
  assert.equal(authorize.get('login_hint'), 'robin@example.com');
  assert.equal(authorize.get('code_challenge_method'), 'S256');
  assert.equal(new URL(page.url()).search, '', 'the code left the address bar');
  const login = await page.evaluate(() => window.events.find((e) => e.name === 'login'));
  assert.equal(login.detail.user.sub, 'robin');

  // Signing out ends the provider's session too (after its own confirmation page),
  // and comes back to the shop signed out.
  await widget.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.href.startsWith(`${OP}/session/end`));
  await page.locator('button[name=logout]').click();
  await page.waitForURL((url) => url.href.startsWith(`${SHOP}/`));
  await widget.getByRole('button', { name: 'Continue', exact: true }).waitFor();
  assert.equal(await page.evaluate(() => window.events.length), 0, 'a fresh page: nothing signed in');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a provider button adds its parameters to the authorization request', async () => {
  const { page, problems, context } = await openPage(browser);
  const authorizations = recordAuthorizations(context);
  const left = page.waitForRequest((request) => request.url().startsWith(`${OP}/auth?`));
  await page.goto(`${SHOP}/`);
  await page.locator('latchkey-widget').getByRole('button', { name: 'Continue with Partner ID' }).click();
  await left;
  const [authorize] = authorizations;
  assert.equal(authorize.get('idp_hint'), 'partner');
  assert.equal(authorize.get('login_hint'), null);
  assert.deepEqual(problems, []);
  await context.close();
});

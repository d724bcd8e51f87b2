// The session API (createClient) in Chromium against the reference allauth backend:
// five tabs refreshing at once, logout in every tab, opt-in persistence, and no token
// anywhere a page script could read it. (The redirect login and the broken callbacks
// run in every engine: tests/journeys/redirect.mjs.)
// Access tokens live 36 s here: with the 30 s refresh margin they are stale after 6 s.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SEED_EMAIL, SEED_PASSWORD } from '../support/backend.mjs';
import { withDemoShop } from '../support/demo.mjs';
import { openSessionPage, readableState, recordTokens, SESSION_PAGE, startLogin } from '../support/session.mjs';

const SHOP_PORT = 8518;
const SHOP = `http://localhost:${SHOP_PORT}`;
const TOKEN_PATH = '/identity/o/api/token';
const STALE_AFTER_MS = 6_500;
const demo = withDemoShop({
  backendPort: 9438, shopPort: SHOP_PORT, page: SESSION_PAGE, backendEnv: { IDP_ACCESS_TOKEN_TTL: '36' },
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A new browser context; `storage` becomes the client's storage option. */
async function newContext(storage) {
  const context = await demo.browser.newContext({ locale: 'en-US' });
  if (storage) {
    await context.addInitScript((storage) => {
      localStorage.setItem('fixture-config', JSON.stringify({ storage }));
    }, storage);
  }
  return context;
}

/** Redirect login: login() → the backend's login page (the shop's, with the widget) →
 * back on /callback, where the page's handleRedirectCallback() finishes. */
async function signIn(context) {
  const page = await openSessionPage(context, `${SHOP}/`);
  await startLogin(page);
  await page.waitForURL((url) => url.pathname === '/login');
  const widget = page.locator('latchkey-widget');
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByLabel('Password', { exact: true }).fill(SEED_PASSWORD);
  const callback = page.waitForURL((url) => url.pathname === '/callback' && url.searchParams.has('code'));
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await callback;
  await page.waitForFunction(() => window.callback);
  const result = await page.evaluate(() => window.callback);
  assert.equal(result.error, undefined, JSON.stringify(result.error));
  return { page };
}

const authenticated = (page) => page.evaluate(() => window.latchkey.isAuthenticated());
const events = (page, name) => page.evaluate((name) => window.events.filter((e) => e.name === name).length, name);

test('five tabs whose tokens expire together: one refresh request per rotation, every tab gets the new token', async () => {
  const context = await newContext();
  const record = recordTokens(context, TOKEN_PATH);
  const { page: first } = await signIn(context);
  const tabs = [first];
  for (let i = 0; i < 4; i += 1) tabs.push(await openSessionPage(context, `${SHOP}/`));
  for (const tab of tabs) assert.equal(await authenticated(tab), true, 'the new tab got the session from the others');

  const seen = [];
  for (let rotation = 1; rotation <= 3; rotation += 1) {
    await sleep(STALE_AFTER_MS);
    const tokens = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.latchkey.getAccessToken())));
    assert.equal(new Set(tokens).size, 1, `rotation ${rotation}: every tab has the same token`);
    assert.ok(!seen.includes(tokens[0]), `rotation ${rotation}: a new token`);
    seen.push(tokens[0]);
    assert.equal(record.refreshes().length, rotation, `rotation ${rotation}: one refresh request in all`);
  }
  const refreshTokensUsed = record.refreshes().map((r) => r.body.get('refresh_token'));
  assert.equal(new Set(refreshTokensUsed).size, refreshTokensUsed.length, 'each refresh token used once');
  for (const tab of tabs) assert.ok(await events(tab, 'tokenrefreshed') >= 3, 'every tab heard of each rotation');
  console.log(`five tabs, three rotations: ${record.refreshes().length} refresh requests`);
  await context.close();
});

test('logout in one tab ends the session in the others within a second and revokes the refresh token', async () => {
  const context = await newContext();
  const revocations = [];
  context.on('request', (request) => {
    if (request.url().includes('/identity/o/api/revoke')) revocations.push(new URLSearchParams(request.postData()));
  });
  const { page: first } = await signIn(context);
  const second = await openSessionPage(context, `${SHOP}/`);
  assert.equal(await authenticated(second), true);

  const started = Date.now();
  const endSession = first.waitForURL((url) => url.pathname.includes('logout') || url.origin === SHOP && url.pathname === '/');
  await first.evaluate(() => { window.latchkey.logout(); });
  await second.waitForFunction(() => window.events.some((e) => e.name === 'logout'), null, { timeout: 1_000 });
  assert.ok(Date.now() - started < 1_000);
  assert.equal(await authenticated(second), false);
  await assert.rejects(second.evaluate(() => window.latchkey.getAccessToken()), /not signed in/);
  await endSession;
  assert.equal(revocations.length, 1);
  assert.equal(revocations[0].get('token_type_hint'), 'refresh_token');
  await context.close();
});

test('a reload keeps the session only when the host opted in to IndexedDB', async () => {
  const remembered = await newContext('indexeddb');
  const { page } = await signIn(remembered);
  await page.goto(`${SHOP}/`);
  await page.waitForSelector('html[data-ready]');
  assert.equal(await authenticated(page), true, 'restored from IndexedDB');
  assert.equal((await page.evaluate(() => window.latchkey.getUser())).email, SEED_EMAIL);
  assert.match(await page.evaluate(() => window.latchkey.getAccessToken()), /\S{10,}/);
  await remembered.close();

  const forgetful = await newContext();
  const { page: other } = await signIn(forgetful);
  await other.reload();
  await other.waitForSelector('html[data-ready]');
  assert.equal(await authenticated(other), false, 'memory only: a reload signs out');
  await forgetful.close();
});

test('no token is readable from localStorage, cookies, the DOM or (without opt-in) IndexedDB', async () => {
  const context = await newContext();
  const record = recordTokens(context, TOKEN_PATH);
  const { page } = await signIn(context);
  const second = await openSessionPage(context, `${SHOP}/login`);
  await sleep(STALE_AFTER_MS);
  await page.evaluate(() => window.latchkey.getAccessToken());
  const tokens = await record.tokens();
  assert.ok(tokens.size >= 5, 'tokens from the login and a refresh');
  for (const tab of [page, second]) {
    const state = await readableState(tab);
    for (const token of tokens) {
      for (const [where, text] of Object.entries(state)) {
        assert.ok(!text.includes(token), `a token is readable from ${where}`);
      }
    }
    assert.match(state.indexedDb, /"version":\d+/, 'IndexedDB holds the session version only');
  }
  await context.close();
});

test('without Web Locks each tab keeps its own session, so no refresh token is shared or used twice', async () => {
  const context = await newContext();
  await context.addInitScript(() => { delete Navigator.prototype.locks; });
  const record = recordTokens(context, TOKEN_PATH);
  const { page } = await signIn(context);
  assert.equal(await page.evaluate(() => 'locks' in navigator), false);
  const other = await openSessionPage(context, `${SHOP}/`);
  assert.equal(await authenticated(other), false, 'the session is not handed to another tab');
  await sleep(STALE_AFTER_MS);
  const [a, b] = await Promise.all([page, page].map((tab) => tab.evaluate(() => window.latchkey.getAccessToken())));
  assert.equal(a, b);
  assert.equal(record.refreshes().length, 1, 'one refresh inside the tab');
  await context.close();
});

test('a refused refresh token ends the session in every tab: sessionexpired, and the widget says so', async () => {
  const context = await newContext();
  const record = recordTokens(context, TOKEN_PATH);
  const { page } = await signIn(context);
  const withWidget = await openSessionPage(context, `${SHOP}/login`);
  const widget = withWidget.locator('latchkey-widget');
  await widget.getByRole('button', { name: 'Sign out' }).waitFor();

  // The refresh token stops working behind the tabs' backs (revoked by the backend).
  const refreshToken = await record.latest('refresh_token');
  const revoked = await fetch(`${demo.backend.url}/identity/o/api/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', client_id: 'latchkey-demo' }),
  });
  assert.equal(revoked.status, 200);

  await sleep(STALE_AFTER_MS);
  const refused = await page.evaluate(() => window.latchkey.getAccessToken().catch((error) => error.code));
  assert.equal(refused, 'invalid_grant');
  assert.equal(await authenticated(page), false);
  assert.equal(await events(page, 'sessionexpired'), 1);
  await withWidget.waitForFunction(() => window.events.some((e) => e.name === 'sessionexpired'), null, { timeout: 1_000 });
  assert.equal(await authenticated(withWidget), false);
  await widget.getByText('Your session has ended. Please sign in again.').waitFor({ timeout: 1_000 });
  assert.equal(await widget.getByLabel('Email', { exact: true }).isVisible(), true);
  await context.close();
});

test('a widget that renders again leaves the tab group: no stale presence, no message to a dropped listener', async () => {
  const context = await newContext();
  const page = await openSessionPage(context, `${SHOP}/login`);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.locator('latchkey-widget').getByLabel('Email', { exact: true }).waitFor();
  const present = () => page.evaluate(async () => (await navigator.locks.query()).held
    .filter((lock) => lock.name.includes('.tab.')).length);
  assert.equal(await present(), 2, 'the page client and the widget');
  for (const theme of ['dark', 'light', 'dark']) {
    await page.evaluate(async (theme) => {
      const widget = document.querySelector('latchkey-widget');
      widget.setAttribute('theme', theme);
      await widget.ready;
    }, theme);
  }
  await page.locator('latchkey-widget').getByLabel('Email', { exact: true }).waitFor();
  // A replaced session may still finish its start (it waits up to 500 ms for another
  // tab's answer); then it leaves.
  await assert.doesNotReject(page.waitForFunction(async () => (await navigator.locks.query()).held
    .filter((lock) => lock.name.includes('.tab.')).length === 2, null, { timeout: 3_000, polling: 100 }),
  'the replaced widget sessions are gone');
  // A new tab says hello on the channel: a dropped widget's listener would throw.
  await openSessionPage(context, `${SHOP}/`);
  assert.deepEqual(errors, []);
  await context.close();
});

// The session API (createClient) in Chromium against the reference allauth backend:
// five tabs refreshing at once, logout in every tab, opt-in persistence, and no token
// anywhere a page script could read it. (The redirect login and the broken callbacks
// run in every engine: tests/journeys/redirect.mjs.)
// Access tokens live 36 s here: with the 30 s refresh margin they are stale after 6 s
// of the pages' clock, which the tests move on (Playwright's clock) instead of waiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SEED_EMAIL, SEED_PASSWORD } from '../support/backend.mjs';
import { withDemoShop } from '../support/demo.mjs';
import { openSessionPage, readableState, recordTokens, SESSION_PAGE, startLogin } from '../support/session.mjs';

const SHOP_PORT = 8650;
const SHOP = `http://localhost:${SHOP_PORT}`;
const TOKEN_PATH = '/identity/o/api/token';
const STALE_AFTER_MS = 6_500;
const demo = withDemoShop({
  backendPort: 9500, shopPort: SHOP_PORT, page: SESSION_PAGE, backendEnv: { IDP_ACCESS_TOKEN_TTL: '36' },
});

/** A new browser context whose pages' clock the test can move on; `storage` becomes
 * the client's storage option. */
async function newContext(storage) {
  const context = await demo.browser.newContext({ locale: 'en-US' });
  await context.clock.install();
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
    await context.clock.fastForward(STALE_AFTER_MS);
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
  await context.clock.fastForward(STALE_AFTER_MS);
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
    const records = JSON.parse(state.indexedDb).map((text) => JSON.parse(text));
    assert.deepEqual(records.map((record) => Object.keys(record).sort()), [['sub', 'tokens', 'version']]);
    assert.equal(records[0].tokens, null, 'IndexedDB holds the session version and user only');
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
  await context.clock.fastForward(STALE_AFTER_MS);
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

  await context.clock.fastForward(STALE_AFTER_MS);
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

test('a widget that renders again keeps the page\'s session: no second session, no message to a dropped listener', async () => {
  const context = await newContext();
  const { page: holder } = await signIn(context);
  const page = await openSessionPage(context, `${SHOP}/login`);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('button', { name: 'Sign out' }).waitFor();
  for (const theme of ['dark', 'light', 'dark']) {
    await page.evaluate(async (theme) => {
      const element = document.querySelector('latchkey-widget');
      element.setAttribute('theme', theme);
      await element.ready;
    }, theme);
  }
  await widget.getByRole('button', { name: 'Sign out' }).waitFor();
  // A new tab says hello on the channel: a dropped widget's listener would throw.
  const other = await openSessionPage(context, `${SHOP}/`);
  assert.equal(await authenticated(other), true);
  await context.clock.fastForward(STALE_AFTER_MS);
  assert.match(await page.evaluate(() => window.latchkey.getAccessToken()), /\S{10,}/);
  const holders = await holder.evaluate(async () => (await navigator.locks.query()).held
    .filter((lock) => lock.name.endsWith('.holder')).length);
  assert.equal(holders, 1, 'one tab holds the refresh token');
  assert.deepEqual(errors, []);
  await context.close();
});

/** The channel's name, from the lock of the tab that holds the session. */
const channelName = (page) => page.evaluate(async () => (await navigator.locks.query()).held
  .map((lock) => lock.name).find((name) => name.endsWith('.holder')).slice(0, -'.holder'.length));

test('a page of the shop without the widget that says hello gets the ID token, never a refresh or access token', async () => {
  const context = await newContext();
  const record = recordTokens(context, TOKEN_PATH);
  const { page } = await signIn(context);
  const follower = await openSessionPage(context, `${SHOP}/`);
  const name = await channelName(page);
  // Any script of the origin: here a static page of the shop with no latchkey on it.
  const script = await context.newPage();
  await script.goto(`${SHOP}/terms`);
  await script.evaluate((name) => {
    window.heard = [];
    window.channel = new BroadcastChannel(name);
    window.channel.onmessage = (event) => window.heard.push(event.data);
    window.channel.postMessage(JSON.stringify({ hello: { from: 'foreign-page' } }));
  }, name);
  await script.waitForFunction(() => window.heard.some((m) => m.includes('foreign-page')));
  const answer = JSON.parse((await script.evaluate(() => window.heard)).find((m) => m.includes('foreign-page')));
  const idToken = await record.latest('id_token');
  assert.equal(answer.session.id_token, idToken);
  // It keeps listening while another tab needs a new token.
  await context.clock.fastForward(STALE_AFTER_MS);
  await follower.evaluate(() => window.latchkey.getAccessToken());
  assert.equal(record.refreshes().length, 1);
  const heard = (await script.evaluate(() => window.heard)).join('\n');
  const refreshTokens = [...record.requests.map((r) => r.body.get('refresh_token')), await record.latest('refresh_token')];
  assert.equal(refreshTokens.filter(Boolean).length, 2, 'the login\'s and the rotated one');
  for (const token of refreshTokens.filter(Boolean)) assert.ok(!heard.includes(token), 'a refresh token crossed between tabs');
  const carrying = (await script.evaluate(() => window.heard)).map((m) => JSON.parse(m))
    .filter((m) => JSON.stringify(m).includes('access_token'));
  assert.ok(carrying.every((m) => m.token && m.token.to !== 'foreign-page'), 'access tokens only in answers to a tab that asked');
  await context.close();
});

test('a forged session from a script of the origin is not taken up: the tabs keep the real user and token', async () => {
  const context = await newContext();
  const { page } = await signIn(context);
  const follower = await openSessionPage(context, `${SHOP}/`);
  const token = await follower.evaluate(() => window.latchkey.getAccessToken());
  const name = await channelName(page);
  const script = await context.newPage();
  await script.goto(`${SHOP}/terms`);
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const mallory = `${b64({ alg: 'RS256', kid: 'forged' })}.${b64({
    iss: `${demo.backend.url}/identity/o`, sub: 'mallory', aud: 'latchkey-demo', iat: now, exp: now + 3600,
  })}.${Buffer.from('not a signature').toString('base64url')}`;
  await script.evaluate(async ({ name, mallory }) => {
    const database = await new Promise((resolve) => { const open = indexedDB.open('latchkey'); open.onsuccess = () => resolve(open.result); });
    const sessions = () => database.transaction('sessions', 'readwrite').objectStore('sessions');
    const key = (await new Promise((resolve) => { const all = sessions().getAllKeys(); all.onsuccess = () => resolve(all.result); }))[0];
    const current = JSON.parse(await new Promise((resolve) => { const get = sessions().get(key); get.onsuccess = () => resolve(get.result); }));
    const channel = new BroadcastChannel(name);
    const session = (version) => JSON.stringify({ session: { to: null, version, id_token: mallory, jkt: null } });
    // A higher version, the integer maximum, one past it: the record disagrees or the
    // message is out of range.
    for (const version of [current.version + 1, 2 ** 53 - 1, 2 ** 53, 2 ** 64]) channel.postMessage(session(version));
    // The record rewritten to name her too: then her ID token's signature decides.
    await new Promise((resolve) => {
      const put = sessions().put(JSON.stringify({ version: current.version + 1, sub: 'mallory', tokens: null }), key);
      put.onsuccess = resolve;
    });
    channel.postMessage(session(current.version + 1));
  }, { name, mallory });
  for (const tab of [page, follower]) {
    await tab.waitForFunction(() => window.events.some((e) => e.name === 'error' && e.detail.code === 'shared_session_invalid'));
    assert.equal((await tab.evaluate(() => window.latchkey.getUser())).email, SEED_EMAIL);
  }
  assert.equal(await follower.evaluate(() => window.latchkey.getAccessToken()), token);
  assert.equal(await events(follower, 'login'), 1, 'no second login');
  await context.close();
});

test('logout({ everywhere: false }) clears IndexedDB and the pending login: the next visitor is not signed in', async () => {
  const context = await newContext('indexeddb');
  const revocations = [];
  context.on('request', (request) => { if (request.url().includes('/revoke')) revocations.push(request.postData()); });
  const { page } = await signIn(context);
  // A login started and abandoned in this tab leaves a transaction behind (a 204
  // answer keeps the page where it is).
  const authorize = (url) => url.pathname === '/identity/o/authorize';
  await context.route(authorize, (route) => route.fulfill({ status: 204 }));
  await page.evaluate(() => window.latchkey.login());
  await page.waitForFunction(() => sessionStorage.length === 1);
  await context.unroute(authorize);
  const before = page.url();
  await page.evaluate(() => window.latchkey.logout({ everywhere: false }));
  assert.equal(page.url(), before, 'the provider\'s session is kept: no end-session page');
  assert.equal(await events(page, 'logout'), 1);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.equal(revocations.length, 1, 'the refresh token is revoked all the same');
  const state = await readableState(page);
  assert.deepEqual(JSON.parse(state.indexedDb).map((text) => JSON.parse(text).tokens), [null]);
  const next = await openSessionPage(context, `${SHOP}/`);
  assert.equal(await authenticated(next), false);
  await context.close();
});

test('a failed backend logout is reported and the provider\'s end-session page ends its session instead', async () => {
  const context = await newContext();
  const { page: holder } = await signIn(context);
  const page = await openSessionPage(context, `${SHOP}/login`);
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.evaluate(() => {
    window.widgetErrors = [];
    document.addEventListener('latchkey:error', (event) => window.widgetErrors.push(event.detail));
  });
  const session = (url) => url.pathname === '/_allauth/browser/v1/auth/session';
  await context.route(session, (route) => (route.request().method() === 'DELETE'
    ? route.fulfill({ status: 500, contentType: 'text/html', body: '<h1>Server Error</h1>' }) : route.continue()));
  const reported = page.waitForFunction(() => window.widgetErrors.find((e) => e.code === 'logout_incomplete'));
  const endSession = page.waitForURL((url) => url.origin === demo.backend.url);
  await widget.getByRole('button', { name: 'Sign out' }).click();
  const detail = await (await reported).jsonValue();
  assert.match(detail.message, /backend_response_invalid|network_error/);
  await endSession;
  await holder.waitForFunction(() => window.events.some((e) => e.name === 'logout'));
  await context.unroute(session);

  // The provider's session is over: a new login asks for the password again.
  const again = await openSessionPage(context, `${SHOP}/`);
  await startLogin(again);
  await again.waitForURL((url) => url.pathname === '/login');
  await again.locator('latchkey-widget').getByLabel('Password', { exact: true }).waitFor();
  await context.close();
});

// latchkey edge: the Rust core as a token handler on the shop's own origin, run by
// workerd (Cloudflare's runtime) with Durable Objects, against node oidc-provider
// with DPoP, rotation and back-channel logout, in Chromium. Everything on test host
// names over TLS: the shop behind the edge at https://shop.example.test, the
// provider at https://id.other.test, an attacker's page at https://evil.other.test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { writeWorkerdConfig } from '../../edge/workerd.mjs';
import { launch } from '../support/browser.mjs';
import { startResourceServer } from '../support/resource-server.mjs';
import { readableState } from '../support/session.mjs';
import { makeCertificates, testFetch } from '../support/tls.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/edge-shop');
const EDGE_PORT = 8750;
const OP_PORT = 9650;
const API_PORT = 9652;
const SHOP_PORT = 9653;
const EVIL_PORT = 9654;
const EDGE = `https://shop.example.test:${EDGE_PORT}`;
const OP = `https://id.other.test:${OP_PORT}`;
const EVIL = `https://evil.other.test:${EVIL_PORT}`;
const API = `http://localhost:${API_PORT}`;
const SHOP_ORIGIN = `http://localhost:${SHOP_PORT}`;
/** Access tokens live 36 s; the edge refreshes 30 s before expiry, so 6 s fresh. */
const ACCESS_TOKEN_TTL = 36;
const REFRESH_MARGIN = 30;
const RS_SECRET = randomBytes(18).toString('base64url');
const EDGE_SECRET = randomBytes(18).toString('base64url');
const SESSION_SECRET = randomBytes(32).toString('base64url');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-edge-'));
const providerEvents = [];
const edgeLogs = [];
let certs;
let fetchTest;
let provider;
let edge;
let api;
let shop;
let evil;
let browser;
let discovery;
let alice; // the signed-in context shared by the tests that follow the first

/** Collects a child's stdout lines into `lines` (JSON lines parsed, with receipt time). */
function collectLines(child, lines) {
  let rest = '';
  child.stdout.on('data', (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop();
    for (const line of parts) {
      try { lines.push({ at: Date.now(), ...JSON.parse(line) }); } catch { lines.push({ at: Date.now(), text: line }); }
    }
  });
}

async function until(check, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The widget in redirect mode behind the edge: `edge="/auth"`, no login API. */
const WIDGET_PAGE = `<!doctype html><meta charset="utf-8"><title>widget</title>
  <script type="importmap">{ "imports": { "latchkey": "/node_modules/latchkey/js/index.js" } }</script>
  <script type="module">import 'latchkey';</script>
  <latchkey-widget edge="/auth"></latchkey-widget>`;
const PACKAGE_TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

function serveShop() {
  const files = { '/': ['index.html', 'text/html'], '/app.js': ['app.js', 'text/javascript'] };
  return http.createServer((req, res) => {
    const pathname = new URL(req.url, SHOP_ORIGIN).pathname;
    if (pathname === '/widget') {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      res.end(WIDGET_PAGE);
      return;
    }
    if (pathname.startsWith('/node_modules/latchkey/')) {
      const file = path.join(ROOT, path.normalize(pathname.slice('/node_modules/latchkey/'.length)));
      res.writeHead(200, { 'content-type': PACKAGE_TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(fs.readFileSync(file));
      return;
    }
    if (pathname === '/echo') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ cookie: req.headers.cookie ?? null }));
      return;
    }
    const [file, type] = files[pathname] ?? files['/'];
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(fs.readFileSync(path.join(FIXTURE, file)));
  });
}

/** An attacker's page: forms that post to the edge, from another site. */
function serveEvil() {
  const page = `<!doctype html><meta charset="utf-8"><title>evil</title>
    <form id="logout" method="post" action="${EDGE}/auth/logout"><button>win</button></form>
    <form id="api" method="post" action="${EDGE}/auth/api/orders"><input name="x" value="1"><button>win</button></form>`;
  return https.createServer({ key: fs.readFileSync(certs.key), cert: fs.readFileSync(certs.cert) }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
  });
}

before(async () => {
  certs = makeCertificates(path.join(dir, 'tls'), ['shop.example.test', 'id.other.test', 'evil.other.test']);
  fetchTest = testFetch(certs.ca);
  provider = spawn('node', [path.join(ROOT, 'devserver/dpop-op/index.js')], {
    env: {
      ...process.env, PORT: String(OP_PORT), ISSUER: OP, TLS_KEY: certs.key, TLS_CERT: certs.cert, TLS_CA: certs.ca,
      EDGE_ORIGIN: EDGE, EDGE_SECRET, RS_SECRET, ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL), PRINT_TOKENS: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  collectLines(provider, providerEvents);
  discovery = await until(async () => {
    try { return await (await fetchTest(`${OP}/.well-known/openid-configuration`)).json(); } catch { return null; }
  }, 'oidc-provider');
  api = await startResourceServer({ port: API_PORT, issuer: OP, secret: RS_SECRET, origin: EDGE, fetch: fetchTest });
  shop = serveShop();
  await new Promise((resolve) => shop.listen(SHOP_PORT, 'localhost', resolve));
  evil = serveEvil();
  await new Promise((resolve) => evil.listen(EVIL_PORT, '127.0.0.1', resolve));

  const config = writeWorkerdConfig(path.join(dir, 'edge'), {
    listen: `127.0.0.1:${EDGE_PORT}`,
    tls: certs,
    storage: path.join(dir, 'durable-objects'),
    vars: {
      ISSUER: OP, CLIENT_ID: 'latchkey-edge', CLIENT_SECRET: EDGE_SECRET, REDIRECT_URI: `${EDGE}/auth/callback`,
      SCOPE: 'openid email profile offline_access', API_ORIGINS: API, DPOP: 'true', SHOP_ORIGIN,
      POST_LOGOUT_REDIRECT_URI: `${EDGE}/`, LATCHKEY_SESSION_SECRET: SESSION_SECRET,
    },
    routes: [
      { host: `id.other.test:${OP_PORT}`, address: `127.0.0.1:${OP_PORT}`, ca: certs.ca, certificateHost: 'id.other.test' },
      { host: `localhost:${API_PORT}`, address: `localhost:${API_PORT}` },
      { host: `localhost:${SHOP_PORT}`, address: `localhost:${SHOP_PORT}` },
    ],
  });
  const workerd = path.join(ROOT, 'node_modules/.bin/workerd');
  const started = Date.now();
  edge = spawn(workerd, ['serve', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  collectLines(edge, edgeLogs);
  await until(async () => {
    try { return (await fetchTest(`${EDGE}/`)).status === 200; } catch { return false; }
  }, 'workerd');
  const coldStart = Date.now() - started;
  const version = await new Promise((resolve) => {
    const child = spawn(workerd, ['--version']);
    child.stdout.on('data', (data) => resolve(String(data).trim()));
  });
  console.log(`${version}: cold start to the first answer over TLS ${coldStart} ms`);
  browser = await launch(['--host-resolver-rules=MAP *.test 127.0.0.1', '--ignore-certificate-errors']);
});

after(async () => {
  await browser?.close();
  edge?.kill();
  provider?.kill();
  shop?.close();
  evil?.close();
  await api?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const edgeGrants = (type) => providerEvents.filter((e) => e.event === 'grant' && e.client_id === 'latchkey-edge'
  && (!type || e.grant_type === type));

async function openShop(context, url = `${EDGE}/`) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('html[data-ready]');
  return page;
}

/** Logs in at oidc-provider's development pages, then waits for the shop. */
async function signIn(page, login) {
  await page.waitForURL((url) => url.origin === OP);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'any');
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.origin === EDGE || /consent/.test(url.href) || url.pathname.startsWith('/interaction'));
  if (new URL(page.url()).origin === OP) await page.click('button[type=submit]');
  await page.waitForURL((url) => url.origin === EDGE && !url.pathname.startsWith('/auth/'));
  await page.waitForSelector('html[data-ready]');
}

/** Starts the login from the shop page; resolves once the page has left for it. */
async function startLogin(page) {
  const left = page.waitForEvent('framenavigated');
  await page.evaluate(() => { window.edge.login({ prompt: 'consent' }); });
  await left;
}

const sessionCookie = async (context) => (await context.cookies(EDGE)).find((c) => c.name === '__Host-latchkey');
const call = (page, name, ...args) => page.evaluate(([name, args]) => window.edge[name](...args), [name, args]);

test('redirect login through the edge with DPoP: claims for the page, a bound token for the API, no browser cookies there', async () => {
  alice = await browser.newContext({ locale: 'en-US' });
  const callbacks = [];
  const authorizations = [];
  alice.on('request', (request) => {
    if (request.url().startsWith(`${EDGE}/auth/callback`)) callbacks.push(request.url());
    if (request.url().startsWith(discovery.authorization_endpoint)) authorizations.push(new URL(request.url()));
  });
  const page = await openShop(alice);
  assert.equal(await page.textContent('#user'), 'signed out');
  await startLogin(page);
  const loginCookie = await until(() => sessionCookie(alice), 'the login cookie');
  await signIn(page, 'alice');
  assert.equal(page.url(), `${EDGE}/`, 'back where the login started');
  assert.equal(await page.textContent('#user'), 'alice');

  const cookie = await sessionCookie(alice);
  assert.deepEqual({ httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite, path: cookie.path },
    { httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/, '256 random bits, nothing else');
  assert.notEqual(cookie.value, loginCookie.value, 'a new session id at login');
  assert.equal(callbacks.length, 1);
  // Pushed (PAR): the browser carries only client_id and request_uri, no PKCE or state.
  assert.deepEqual([...authorizations[0].searchParams.keys()].sort(), ['client_id', 'request_uri']);

  const session = await call(page, 'session');
  assert.equal(session.status, 200);
  const { user } = JSON.parse(session.body);
  assert.equal(user.sub, 'alice');
  assert.ok(user.sid, 'the provider session, for back-channel logout');

  // The code exchange at the provider: one, by the edge, with a DPoP proof.
  assert.equal(edgeGrants('authorization_code').length, 1);

  const orders = await call(page, 'api', 'orders?page=1', { headers: { authorization: 'Bearer planted-by-the-page' } });
  assert.equal(orders.status, 200, JSON.stringify(api.stats.refused));
  assert.equal(JSON.parse(orders.body).customer, 'alice');
  assert.deepEqual(api.stats, { challenges: 1, accepted: 1, refused: [] }, 'DPoP checked: htm, htu, ath, jti, nonce, cnf.jkt');
  const reached = api.seen.filter((r) => r.path.startsWith('/orders'));
  assert.equal(reached.length, 2, 'one nonce challenge, then the request again');
  for (const request of reached) {
    assert.equal(request.headers.cookie, undefined, 'no browser cookie reaches the API');
    assert.match(request.headers.authorization, /^DPoP /, 'the edge\'s token, not the page\'s');
    assert.ok(request.headers.dpop);
    assert.equal(request.headers['x-latchkey'], undefined);
  }
  assert.equal(reached.at(-1).path, '/orders?page=1');

  // The shop's origin gets its own cookies, never the session cookie.
  const echo = JSON.parse((await page.evaluate(() => fetch('/echo').then((r) => r.text()))));
  assert.equal(echo.cookie, 'shop_pref=compact');

  // The code was in the callback URL; it must not be in the edge's log.
  const code = new URL(callbacks[0]).searchParams.get('code');
  assert.ok(code);
  const logText = JSON.stringify(edgeLogs);
  assert.ok(!logText.includes(code), 'no authorization code in the log');
  assert.ok(!logText.includes(cookie.value) && !logText.includes(loginCookie.value), 'no session id in the log');
  for (const line of edgeLogs.filter((l) => l.edge && l.route)) {
    assert.deepEqual(Object.keys(line).sort(), ['at', 'edge', 'method', 'ms', 'request_id', 'route', 'session', 'status', 'upstream_ms']);
    assert.ok(line.upstream_ms <= line.ms + 1, 'waiting is part of the request\'s time');
  }
  assert.ok(edgeLogs.some((l) => l.route === 'callback' && l.status === 302 && l.session));
});

test('no access, refresh or ID token in anything the page can read, nor in any response it received, nor in the log', async () => {
  const bodies = [];
  const reading = [];
  alice.on('response', (response) => reading.push(response.text().then((text) => bodies.push(text), () => {})));
  const page = await openShop(alice);
  await call(page, 'session');
  await call(page, 'api', 'orders');
  await page.evaluate(() => fetch('/auth/api/orders', { headers: { 'x-latchkey': '1' } }).then((r) => r.text()));
  await Promise.all(reading);

  const tokens = edgeGrants().flatMap((g) => Object.values(g.tokens ?? {}).filter(Boolean));
  assert.ok(tokens.length >= 3, 'the provider issued access, refresh and ID tokens');
  const jwt = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;
  for (const open of alice.pages()) {
    for (const [where, text] of Object.entries(await readableState(open))) {
      for (const token of tokens) assert.ok(!text.includes(token), `a token is readable from ${where}`);
      assert.doesNotMatch(text, jwt, `a JWT is readable from ${where}`);
    }
  }
  assert.ok(bodies.length >= 4);
  for (const body of bodies) {
    for (const token of tokens) assert.ok(!body.includes(token), 'a response carried a token');
    assert.doesNotMatch(body, jwt);
  }
  const logText = JSON.stringify(edgeLogs);
  for (const token of tokens) assert.ok(!logText.includes(token), 'a token in the edge log');
});

test('five tabs call the API as the access token expires: exactly one refresh grant at the provider', async () => {
  const tabs = await Promise.all(Array.from({ length: 5 }, () => openShop(alice)));
  const lastGrant = edgeGrants().at(-1).at;
  const stale = lastGrant + (ACCESS_TOKEN_TTL - REFRESH_MARGIN + 1) * 1000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, stale - Date.now())));
  const refreshesBefore = edgeGrants('refresh_token').length;
  const acceptedBefore = api.stats.accepted;
  // All five at one instant (each tab waits for the same clock time), each for its
  // own URL: Chromium's HTTP cache would hold back concurrent GETs of one URL.
  const at = Date.now() + 500;
  const answers = await Promise.all(tabs.map((tab, i) => tab.evaluate(([at, i]) => new Promise((resolve) => {
    setTimeout(() => resolve(window.edge.api(`orders?tab=${i}`)), at - Date.now());
  }), [at, i])));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(edgeGrants('refresh_token').length - refreshesBefore, 1, 'one refresh for five tabs');
  await until(() => edgeLogs.some((l) => l.event === 'refresh' && l.at > at), 'the refresh in the log');
  assert.equal(edgeLogs.filter((l) => l.event === 'refresh' && l.at > at && l.outcome === 'ok').length, 1);
  assert.equal(api.stats.accepted - acceptedBefore, 5);
  assert.deepEqual(api.stats.refused, []);
  const rotated = edgeGrants('refresh_token').at(-1).tokens;
  assert.ok(rotated.refresh_token, 'the refresh token rotated');
  for (const tab of tabs) await tab.close();
});

test('cross-site requests to edge and API routes are refused; a tampered or unknown cookie gets 401 and is cleared', async () => {
  const apiBefore = api.seen.length;
  const refusedBefore = edgeLogs.filter((l) => l.status === 403).length;
  const attacker = await alice.newPage();
  await attacker.goto(`${EVIL}/`);
  // A cross-site form post to logout and to an API route: the Lax cookie stays home,
  // and the edge refuses them before looking for a session anyway.
  for (const form of ['logout', 'api']) {
    await attacker.goto(`${EVIL}/`);
    await Promise.all([attacker.waitForURL((url) => url.origin === EDGE), attacker.click(`#${form} button`)]);
    assert.equal(JSON.parse(await attacker.textContent('body')).error, 'cross_site_request', form);
  }
  // A top-level GET from the attacker's page carries the Lax cookie: still refused.
  await attacker.goto(`${EVIL}/`);
  await Promise.all([attacker.waitForURL((url) => url.origin === EDGE),
    attacker.evaluate((url) => { location.assign(url); }, `${EDGE}/auth/api/orders`)]);
  assert.equal(JSON.parse(await attacker.textContent('body')).error, 'cross_site_request');
  // Script on the attacker's page: no-cors posts are refused; with the marker header
  // the browser must ask first, and the edge never says yes.
  await attacker.goto(`${EVIL}/`);
  const fromScript = await attacker.evaluate(async (edge) => {
    const blind = await Promise.all(['/auth/api/orders', '/auth/logout'].map((route) =>
      fetch(`${edge}${route}`, { method: 'POST', mode: 'no-cors', credentials: 'include', body: 'x' }).then((r) => r.type)));
    const marked = await fetch(`${edge}/auth/api/orders`, { method: 'POST', credentials: 'include', headers: { 'x-latchkey': '1' } })
      .then(() => 'answered', (error) => error.name);
    return { blind, marked };
  }, EDGE);
  assert.deepEqual(fromScript, { blind: ['opaque', 'opaque'], marked: 'TypeError' });
  await until(() => edgeLogs.filter((l) => l.status === 403).length - refusedBefore >= 6, 'six refusals in the log');
  assert.equal(api.seen.length, apiBefore, 'the API saw none of it');
  assert.ok(api.seen.every((request) => request.headers.cookie === undefined), 'the API never saw a browser cookie');

  const page = await openShop(alice);
  assert.equal((await call(page, 'session')).status, 200, 'still signed in: the logout was refused');
  await attacker.close();

  // Tampered (one character changed), unknown (well-formed, never handed out), garbage.
  const real = (await sessionCookie(alice)).value;
  const flipped = (real[0] === 'A' ? 'B' : 'A') + real.slice(1);
  for (const value of [flipped, randomBytes(32).toString('base64url'), 'garbage']) {
    const context = await browser.newContext();
    await context.addCookies([{ name: '__Host-latchkey', value, url: `${EDGE}/`, secure: true, httpOnly: true, sameSite: 'Lax' }]);
    const other = await openShop(context);
    assert.equal(await other.textContent('#user'), 'signed out', value);
    const session = await call(other, 'session');
    assert.equal(session.status, 401);
    assert.equal(JSON.parse(session.body).error, 'not_signed_in');
    assert.equal(await sessionCookie(context), undefined, 'cleared');
    await context.close();
  }
  assert.equal((await call(page, 'session')).status, 200, 'the real session is untouched');
  await page.close();
});

test('a back-channel logout sent by the provider ends the session in every tab', async () => {
  const tabs = await Promise.all([openShop(alice), openShop(alice)]);
  for (const tab of tabs) assert.equal((await call(tab, 'session')).status, 200);
  const apiBefore = api.seen.length;

  // The user signs out at the provider itself (another app's logout, say).
  const provider = await alice.newPage();
  await provider.goto(`${OP}/session/end`);
  await provider.click('button[name=logout]');
  const sent = await until(() => providerEvents.find((e) => e.event?.startsWith('backchannel.')), 'the back-channel logout');
  assert.equal(sent.event, 'backchannel.success', sent.error);
  assert.ok(edgeLogs.some((l) => l.route === 'backchannel_logout' && l.status === 200));

  for (const tab of tabs) {
    const session = await call(tab, 'session');
    assert.equal(session.status, 401);
    assert.equal((await call(tab, 'api', 'orders')).status, 401);
  }
  assert.equal(api.seen.length, apiBefore);
  assert.equal(await sessionCookie(alice), undefined, 'the stale cookie is cleared');
  await alice.close();
});

test('a replayed or forged logout token is refused', async () => {
  const sent = providerEvents.find((e) => e.event === 'logout_token');
  assert.ok(sent, 'the provider showed the token it sent');
  const post = (body) => fetchTest(`${EDGE}/auth/backchannel-logout`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body,
  });
  const forged = ['eyJhbGciOiJub25lIn0', Buffer.from(JSON.stringify({ iss: OP, aud: 'latchkey-edge', sub: 'alice' })).toString('base64url'), ''].join('.');
  const replayed = await post(new URLSearchParams({ logout_token: sent.logout_token }));
  assert.equal(replayed.status, 400);
  assert.equal((await replayed.json()).error_description, 'logout token replayed');
  for (const body of ['', 'logout_token=', `logout_token=${forged}`, `logout_token=a&logout_token=b`]) {
    const answer = await post(body);
    assert.equal(answer.status, 400, body);
    assert.equal((await answer.json()).error, 'invalid_request');
  }
});

test('the widget in redirect mode behind the edge: its button goes through the edge\'s login route, the provider signs in, the widget shows who', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${EDGE}/widget`);
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForURL((url) => url.origin === OP);
  await page.fill('input[name=login]', 'carol');
  await page.fill('input[name=password]', 'any');
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.origin === EDGE || /consent/.test(url.href) || url.pathname.startsWith('/interaction'));
  if (new URL(page.url()).origin === OP) await page.click('button[type=submit]');
  await page.waitForURL(`${EDGE}/widget`);
  await widget.getByText('Signed in as').waitFor();
  const login = new URL(requests.find((url) => url.startsWith(`${EDGE}/auth/login`)));
  assert.equal(login.searchParams.get('return_to'), '/widget');
  assert.ok(requests.some((url) => url.startsWith(`${EDGE}/auth/callback?`)), 'the provider came back to the edge');
  assert.equal(await page.evaluate(() => document.querySelector('latchkey-widget').client.getAccessToken().catch((e) => e.code)),
    'token_held_by_edge');
  assert.deepEqual(errors, []);
  await context.close();
});

test('logout revokes the refresh and the access token at the provider and clears the cookie', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await openShop(context);
  const from = providerEvents.length;
  await startLogin(page);
  await signIn(page, 'bob');
  assert.equal((await call(page, 'api', 'orders')).status, 200);
  const issued = providerEvents.slice(from).filter((e) => e.event === 'grant' && e.client_id === 'latchkey-edge').at(-1).tokens;

  const answer = await call(page, 'logout');
  assert.equal(answer.status, 200);
  const { revoked, end_session_url: endSession } = JSON.parse(answer.body);
  assert.equal(revoked, true);
  const url = new URL(endSession);
  assert.equal(`${url.origin}${url.pathname}`, discovery.end_session_endpoint);
  assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${EDGE}/`);
  assert.equal(url.searchParams.get('client_id'), 'latchkey-edge');
  assert.equal(url.searchParams.get('id_token_hint'), null, 'the ID token never reaches the browser');
  assert.equal(await sessionCookie(context), undefined, 'the cookie is cleared');
  assert.equal((await call(page, 'session')).status, 401);

  const introspect = async (token) => (await (await fetchTest(discovery.introspection_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`resource-server:${RS_SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }),
  })).json()).active;
  assert.equal(await introspect(issued.refresh_token), false, 'the refresh token is revoked');
  assert.equal(await introspect(issued.access_token), false, 'the access token is revoked');
  await context.close();
});

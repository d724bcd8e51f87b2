// Redirect login and DPoP (RFC 9449) against node oidc-provider, a second standards
// provider with server nonces required: the token requests and the requests through
// the client's fetch carry valid proofs, which a small resource server checks (htm,
// htu, ath, jti, its own nonce, and by introspection that the token is bound to the
// proof's key). The private key stays non-extractable in IndexedDB.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { createDemoServer } from '../../www/server.mjs';
import { launch } from '../support/browser.mjs';
import { startResourceServer } from '../support/resource-server.mjs';
import { openSessionPage, readableState, recordTokens, SESSION_PAGE, startLogin } from '../support/session.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OP = 'http://localhost:9440';
const SHOP_PORT = 8520;
const SHOP = `http://localhost:${SHOP_PORT}`;
const API_PORT = 8521;
const SECRET = randomBytes(18).toString('base64url');

let provider;
let shop;
let api;
let browser;
let discovery;

before(async () => {
  provider = spawn('node', [path.join(ROOT, 'devserver/dpop-op/index.js')], {
    env: { ...process.env, PORT: '9440', FRONTEND: SHOP, RS_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const deadline = Date.now() + 30_000;
  while (!discovery) {
    try { discovery = await (await fetch(`${OP}/.well-known/openid-configuration`)).json(); } catch {
      if (Date.now() > deadline) throw new Error('oidc-provider did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  api = await startResourceServer({ port: API_PORT, issuer: OP, secret: SECRET, origin: SHOP });
  shop = await createDemoServer({ backend: OP, origin: SHOP, page: SESSION_PAGE, apis: [api.url] });
  await new Promise((resolve) => shop.listen(SHOP_PORT, 'localhost', resolve));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  shop?.close();
  await api?.close();
  provider?.kill();
});

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');

/** Checks a DPoP proof the way a server would; returns its claims. */
function checkProof(proof, method, url) {
  const [h, p, s] = proof.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  assert.equal(header.typ, 'dpop+jwt');
  assert.equal(header.alg, 'ES256');
  assert.equal(header.jwk.d, undefined, 'only the public key');
  const key = createPublicKey({ key: header.jwk, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')));
  assert.equal(claims.htm, method);
  assert.equal(claims.htu, url);
  return { header, claims };
}

/** oidc-provider's development login and consent pages. */
async function signIn(page, login) {
  await page.waitForURL((url) => url.origin === OP);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'any');
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.origin === SHOP || /consent/.test(url.href) || url.pathname.startsWith('/interaction'));
  if (new URL(page.url()).origin === OP) await page.click('button[type=submit]');
  await page.waitForURL((url) => url.origin === SHOP && url.pathname === '/callback');
  await page.waitForFunction(() => window.callback);
}

async function dpopContext() {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addInitScript(() => {
    localStorage.setItem('fixture-config', JSON.stringify({ dpop: true, scope: 'openid email profile offline_access' }));
  });
  return context;
}

test('redirect login at oidc-provider with DPoP; fetch presents the bound token with valid proofs to the API only', async () => {
  const context = await dpopContext();
  const record = recordTokens(context, new URL(discovery.token_endpoint).pathname);
  const page = await openSessionPage(context, `${SHOP}/`);
  await startLogin(page, { prompt: 'consent' });
  await signIn(page, 'alice');
  const result = await page.evaluate(() => window.callback);
  assert.equal(result.error, undefined, JSON.stringify(result.error));
  assert.equal(result.user.sub, 'alice');

  // The code exchange: a proof, a nonce challenge, the same request again with the nonce.
  const exchanges = record.requests.filter((r) => r.body.get('grant_type') === 'authorization_code');
  assert.equal(exchanges.length, 2, 'one use_dpop_nonce round trip');
  const first = checkProof(exchanges[0].headers.dpop, 'POST', discovery.token_endpoint);
  const second = checkProof(exchanges[1].headers.dpop, 'POST', discovery.token_endpoint);
  assert.equal(first.claims.nonce, undefined);
  assert.ok(second.claims.nonce, 'the retry carries the server nonce');
  assert.notEqual(first.claims.jti, second.claims.jti);

  // A request to the API: Authorization: DPoP, a proof with ath, one nonce challenge.
  const sent = [];
  page.on('request', (request) => sent.push({ url: request.url(), headers: request.headers() }));
  const orders = await page.evaluate(async (url) => {
    const response = await window.latchkey.fetch(`${url}/orders?page=1`);
    return { status: response.status, body: await response.json() };
  }, api.url);
  assert.equal(orders.status, 200, JSON.stringify(api.stats.refused));
  assert.equal(orders.body.customer, 'alice');
  assert.deepEqual(api.stats, { challenges: 1, accepted: 1, refused: [] });
  const apiRequests = sent.filter((r) => r.url.startsWith(api.url) && r.headers.authorization);
  const token = await page.evaluate(() => window.latchkey.getAccessToken());
  assert.equal(apiRequests[0].headers.authorization, `DPoP ${token}`);
  const { claims } = checkProof(apiRequests.at(-1).headers.dpop, 'GET', `${api.url}/orders`);
  assert.equal(claims.ath, b64url(createHash('sha256').update(token).digest()));
  assert.equal(first.header.jwk.x, checkProof(apiRequests.at(-1).headers.dpop, 'GET', `${api.url}/orders`).header.jwk.x,
    'the same key for the token and the API');

  // The nonce is remembered: the next call needs no challenge. A POST works too.
  const posted = await page.evaluate(async (url) => (await window.latchkey.fetch(`${url}/orders`, {
    method: 'POST', body: '{}', headers: { 'content-type': 'application/json' },
  })).status, api.url);
  assert.equal(posted, 200);
  assert.deepEqual(api.stats, { challenges: 1, accepted: 2, refused: [] });

  // The API refuses a token (revoked early): the client renews it once and sends again.
  api.control.refuseNext = true;
  const refreshesBefore = record.refreshes().length;
  const renewed = await page.evaluate(async (url) => (await window.latchkey.fetch(`${url}/orders`)).status, api.url);
  assert.equal(renewed, 200);
  assert.equal(api.stats.revoked, 1);
  assert.equal(record.refreshes().length, refreshesBefore + 1, 'one refresh for the refused token');
  const renewedToken = await page.evaluate(() => window.latchkey.getAccessToken());
  assert.notEqual(renewedToken, token);
  const lastAuthorization = sent.filter((r) => r.url.startsWith(api.url) && r.headers.authorization).at(-1);
  assert.equal(lastAuthorization.headers.authorization, `DPoP ${renewedToken}`);
  assert.deepEqual({ ...api.stats, revoked: undefined }, { challenges: 1, accepted: 3, refused: [], revoked: undefined });

  // Other origins never see the token.
  await page.evaluate(async (shop) => { await window.latchkey.fetch(`${shop}/terms`); }, SHOP);
  const terms = sent.find((r) => r.url === `${SHOP}/terms`);
  assert.equal(terms.headers.authorization, undefined);
  assert.equal(terms.headers.dpop, undefined);

  // A narrower token by refresh, also bound: its own proof, a rotated refresh token.
  const narrow = await page.evaluate(() => window.latchkey.getAccessToken({ scope: 'openid' }));
  assert.notEqual(narrow, token);
  const refresh = record.refreshes().at(-1);
  assert.equal(refresh.body.get('scope'), 'openid');
  checkProof(refresh.headers.dpop, 'POST', discovery.token_endpoint);
  assert.equal(await page.evaluate(() => window.latchkey.getAccessToken({ scope: 'openid' })), narrow, 'cached');

  for (const value of await record.tokens()) {
    for (const [where, text] of Object.entries(await readableState(page))) {
      assert.ok(!text.includes(value), `a token is readable from ${where}`);
    }
  }
  await context.close();
});

test('the DPoP private key is a non-extractable CryptoKey in IndexedDB, replaced at logout', async () => {
  const context = await dpopContext();
  const page = await openSessionPage(context, `${SHOP}/`);
  await startLogin(page, { prompt: 'consent' });
  await signIn(page, 'bob');
  const readKey = () => page.evaluate(async () => {
    const db = await new Promise((resolve) => { const open = indexedDB.open('latchkey'); open.onsuccess = () => resolve(open.result); });
    const records = await new Promise((resolve) => {
      const all = db.transaction('keys').objectStore('keys').getAll();
      all.onsuccess = () => resolve(all.result);
    });
    db.close();
    const [record] = records;
    let exported = 'not tried';
    try { await crypto.subtle.exportKey('jwk', record.private); exported = 'exported'; } catch (error) { exported = error.name; }
    return {
      count: records.length, type: record.private.type, extractable: record.private.extractable,
      usages: record.private.usages, exported, x: record.x,
    };
  });
  const key = await readKey();
  assert.deepEqual({ ...key, x: undefined }, {
    count: 1, type: 'private', extractable: false, usages: ['sign'], exported: 'InvalidAccessError', x: undefined,
  });

  const revocations = [];
  context.on('request', (request) => {
    if (request.url() === discovery.revocation_endpoint) revocations.push(new URLSearchParams(request.postData()));
  });
  const left = page.waitForURL((url) => url.href.startsWith(discovery.end_session_endpoint));
  await page.evaluate(() => { window.latchkey.logout(); });
  await left;
  const endSession = new URL(page.url());
  assert.ok(endSession.searchParams.get('id_token_hint'));
  assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${SHOP}/`);
  assert.ok(endSession.searchParams.get('state'));
  assert.equal(revocations.length, 1);
  assert.equal(revocations[0].get('token_type_hint'), 'refresh_token');

  await page.goto(`${SHOP}/`);
  await page.waitForSelector('html[data-ready]');
  assert.equal(await page.evaluate(() => window.latchkey.isAuthenticated()), false);
  const replaced = await readKey();
  assert.equal(replaced.extractable, false);
  assert.notEqual(replaced.x, key.x, 'a new key after logout');
  await context.close();
});

// What is better-auth's own in the widget with login-api="better-auth", end to end in
// Chromium against the better-auth reference backend (devserver/better-auth): no CSRF
// token but the page's Origin, an ES256 ID token checked with its JWKS; and the login
// page better-auth sends a waiting authorization request to, with the request signed
// in the query, which the widget resumes. (The journeys better-auth shares with
// allauth run against both in every engine: tests/journeys/.)
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { openPage } from '../support/browser.mjs';
import { withDemoShop } from '../support/demo.mjs';
import { openWidget, signedInAs, submitSignIn } from '../support/shopper.mjs';

const demo = withDemoShop({ backendPort: 9940, shopPort: 8998, loginApi: 'better-auth' });

function recordRequests(page) {
  const requests = [];
  page.on('request', (request) => requests.push({ method: request.method(), url: request.url() }));
  return requests;
}

test('the wire: the Origin instead of a CSRF token; an ES256 ID token checked with the JWKS', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const requests = recordRequests(page);
  const api = `${demo.backend.url}/api/auth`;
  const widget = await openWidget(page, demo);
  const signIn = page.waitForRequest(`${api}/sign-in/email`);
  await submitSignIn(widget, SEED_EMAIL, SEED_PASSWORD);
  await signedInAs(page, SEED_NAME);

  const headers = await (await signIn).allHeaders();
  assert.equal(headers['x-csrftoken'], undefined, 'no CSRF token: better-auth checks the Origin');
  assert.equal(headers.origin, demo.shop);
  assert.ok(requests.some((r) => r.url === `${api}/jwks`), 'the ID token was checked with the JWKS');
  const jwks = await (await fetch(`${api}/jwks`)).json();
  assert.deepEqual(jwks.keys.map((key) => key.alg), ['ES256']);
  const user = await page.evaluate(() => document.querySelector('latchkey-widget').client.getUser());
  assert.deepEqual([user.email, user.name, user.iss], [SEED_EMAIL, SEED_NAME, demo.backend.url]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the login page: a redirect-mode login() meets no session, the widget on /login signs in, the request goes on', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const requests = recordRequests(page);
  await page.goto(`${demo.shop}/`);
  await page.evaluate(() => document.querySelector('latchkey-widget').client.login({ prompt: 'login' }));
  await page.waitForURL((url) => url.pathname === '/login');
  const login = new URL(page.url());
  assert.ok(login.searchParams.get('sig'), 'better-auth signed the request it sent here');
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Sign in' }).waitFor();
  await submitSignIn(widget, SEED_EMAIL, SEED_PASSWORD);
  await signedInAs(page, SEED_NAME);
  assert.equal(new URL(page.url()).pathname, '/', 'back where login() started');

  // The request that went on is the one login() made, at the authorization endpoint.
  const authorizations = requests
    .filter((r) => r.url.startsWith(`${demo.backend.url}/api/auth/oauth2/authorize?`))
    .map((r) => new URL(r.url).searchParams);
  assert.equal(authorizations.length, 2);
  const [first, resumed] = authorizations;
  for (const name of ['state', 'nonce', 'code_challenge', 'client_id', 'redirect_uri']) {
    assert.equal(resumed.get(name), first.get(name), name);
  }
  assert.equal(resumed.get('sig'), null);
  assert.deepEqual(problems, []);
  await context.close();
});

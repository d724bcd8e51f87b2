// Edge mode end to end: the demo shop behind latchkey edge (workerd) at
// https://shop.example.test, the reference allauth backend at https://id.other.test,
// another site. Every journey of the widget's screens goes to the edge's routes; the
// edge drives allauth's API server-side and finishes the sign-in itself. Each test
// records every request the browser makes: none may go to the backend's host, and
// no access, refresh or ID token may be readable by the page or in any response.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { mailboxCode, SEED_EMAIL, SEED_NAME } from '../support/backend.mjs';
import { launch } from '../support/browser.mjs';
import { BROWSER_ARGS, SHOP_HOST, startEdgeStack } from '../support/edge.mjs';
import { readableState } from '../support/session.mjs';
import { totp } from '../support/totp.mjs';

const SHOP_PORT = 8850;
const BACKEND_PORT = 9800;
const API_PORT = 9802;
const API = `http://localhost:${API_PORT}`;
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

let stack;
let browser;
let api;
/** What the API saw: each request's Authorization and Cookie headers. */
const apiSeen = [];

/** The shop's API: it checks the token it gets by asking the provider's UserInfo. */
function startApi(userinfoEndpoint) {
  return http.createServer(async (req, res) => {
    apiSeen.push({ path: req.url, authorization: req.headers.authorization, cookie: req.headers.cookie });
    const userinfo = await stack.fetch(userinfoEndpoint, { headers: { authorization: req.headers.authorization ?? '' } });
    const body = userinfo.status === 200 ? { sub: (await userinfo.json()).sub } : { error: 'invalid_token' };
    res.writeHead(userinfo.status === 200 ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }).listen(API_PORT, 'localhost');
}

before(async () => {
  stack = await startEdgeStack({ shopPort: SHOP_PORT, backendPort: BACKEND_PORT, apis: [API] });
  const discovery = await (await stack.fetch(`${stack.issuer}/.well-known/openid-configuration`)).json();
  api = startApi(discovery.userinfo_endpoint);
  browser = await launch(BROWSER_ARGS);
});

after(async () => {
  await browser?.close();
  api?.close();
  await stack?.stop();
});

/**
 * A shopper's browser: every request it makes, every response body it gets, and
 * what should never happen (page errors, CSP violations).
 */
async function shopper() {
  const context = await browser.newContext({ locale: 'en-US' });
  const requests = [];
  const bodies = [];
  const reading = [];
  const problems = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('response', (response) => reading.push(response.text().then((text) => bodies.push(text), () => {})));
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Trusted Type/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  const done = async () => {
    await Promise.all(reading);
    return { requests, bodies };
  };
  return { context, page, problems, done };
}

/** The browser never spoke to the backend: every request went to the shop. */
function onlyTheShop(requests) {
  const hosts = new Set(requests.filter((url) => /^https?:/.test(url)).map((url) => new URL(url).hostname));
  assert.deepEqual([...hosts], [SHOP_HOST], `requests went to ${[...hosts]}`);
  assert.ok(requests.some((url) => new URL(url).pathname === '/auth/step'), 'the journey went through the edge');
}

/** No token the backend issued is readable by the page or came in a response. */
async function noTokens(context, bodies) {
  const tokens = [...stack.proxy.tokens];
  assert.ok(tokens.length >= 3, 'the backend issued access, refresh and ID tokens (to the edge)');
  for (const page of context.pages()) {
    for (const [where, text] of Object.entries(await readableState(page))) {
      for (const token of tokens) assert.ok(!text.includes(token), `a token is readable from ${where}`);
      assert.doesNotMatch(text, JWT, `a JWT is readable from ${where}`);
    }
  }
  for (const body of bodies) {
    for (const token of tokens) {
      const at = body.indexOf(token);
      assert.ok(at < 0, `a response carried a token: …${body.slice(Math.max(0, at - 80), at + token.length + 20)}…`);
    }
    assert.doesNotMatch(body, JWT, 'a response carried a JWT');
  }
  for (const cookie of await context.cookies()) {
    assert.equal(cookie.name, '__Host-latchkey', 'the browser holds the edge\'s cookie only, none of the backend\'s');
    assert.equal(cookie.httpOnly, true);
  }
}

async function openWidget(page) {
  await page.goto(`https://${SHOP_HOST}:${SHOP_PORT}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Sign in' }).waitFor();
  return widget;
}

/** Waits until the shop shows `name` as signed in; else fails with what the widget shows. */
async function signedInAs(page, name) {
  try {
    await page.locator('#account-name').filter({ hasText: name }).waitFor({ timeout: 20_000 });
  } catch (error) {
    const shown = await page.locator('latchkey-widget').evaluate((element) => element.shadowRoot.textContent);
    const account = await page.locator('#account-name').textContent();
    throw new Error(`not signed in as ${name} (shop: "${account}", widget: "${shown}")`, { cause: error });
  }
}

/** The code the backend mailed, once the screen to type it in is there. */
async function mailedCode(widget, email) {
  await widget.getByLabel('Code', { exact: true }).waitFor();
  return mailboxCode(stack.backend.url, email);
}

async function signOut(page) {
  await page.locator('#account-menu summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
}

async function signIn(page, email, password) {
  const widget = await openWidget(page);
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  return widget;
}

async function confirmPassword(widget, password) {
  await widget.getByRole('heading', { name: "Confirm it's you" }).waitFor();
  await widget.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Confirm', exact: true }).click();
}

async function openSection(page, widget, name) {
  await page.evaluate(() => document.getElementById('sign-in-dialog').showModal());
  await widget.getByRole('button', { name, exact: true }).click();
  await widget.getByRole('heading', { name }).waitFor();
}

/** The account the tests share, made by the first. */
const account = { email: `edge-${Date.now()}@example.com`, password: 'a passphrase through the edge' };

test('sign up: the mailed code signs in at the edge; the browser never reaches the backend and holds no token', async () => {
  const { context, page, problems, done } = await shopper();
  const widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Create an account' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(account.email);
  await widget.getByLabel('First name').fill('Robin');
  await widget.getByLabel('Last name').fill('Edge');
  await widget.getByLabel('Password', { exact: true }).fill(account.password);
  await widget.getByRole('checkbox').check();
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill('WRONG-CODE');
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await widget.locator('#lk-code-error').waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailedCode(widget, account.email));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  // The names were saved after the ID token was issued: the edge merges UserInfo in.
  await signedInAs(page, 'Robin Edge');

  const { requests, bodies } = await done();
  onlyTheShop(requests);
  await noTokens(context, bodies);
  const lines = stack.logs.filter((line) => line.edge === 'latchkey');
  assert.ok(lines.some((line) => line.route === 'step' && line.status === 200));
  const logText = JSON.stringify(stack.logs);
  for (const token of stack.proxy.tokens) assert.ok(!logText.includes(token), 'a token in the edge log');
  assert.deepEqual(problems, []);
  await context.close();
});

test('password: a wrong one is refused generically; forgot password with the mailed code; the new one signs in', async () => {
  const { context, page, problems, done } = await shopper();
  let widget = await signIn(page, account.email, 'not the passphrase');
  await widget.getByRole('alert').filter({ hasText: 'The email or password is incorrect' }).waitFor();
  assert.equal(await widget.getByLabel('Password', { exact: true }).inputValue(), 'not the passphrase');
  await widget.getByRole('button', { name: 'Forgot password?' }).click();
  await widget.getByRole('button', { name: 'Email me a code' }).click();
  await widget.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailedCode(widget, account.email));
  account.password = 'a second passphrase, set through the edge';
  await widget.getByLabel('Password', { exact: true }).fill(account.password);
  await widget.getByRole('button', { name: 'Save new password' }).click();
  await widget.getByText('Your password was changed. Sign in with your new password.').waitFor();
  widget = page.locator('latchkey-widget');
  await widget.getByLabel('Email', { exact: true }).fill(account.email);
  await widget.getByLabel('Password', { exact: true }).fill(account.password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signedInAs(page, 'Robin Edge');
  const { requests, bodies } = await done();
  onlyTheShop(requests);
  await noTokens(context, bodies);
  assert.deepEqual(problems, []);
  await context.close();
});

test('passwordless: a mailed code signs the seeded user in', async () => {
  const { context, page, problems, done } = await shopper();
  const widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Email me a sign-in code' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByRole('button', { name: 'Email me a code' }).click();
  await widget.getByRole('heading', { name: 'Sign in with a code' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailedCode(widget, SEED_EMAIL));
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signedInAs(page, SEED_NAME);
  const { requests, bodies } = await done();
  onlyTheShop(requests);
  await noTokens(context, bodies);
  assert.deepEqual(problems, []);
  await context.close();
});

test('account: the authenticator app after reauthentication, recovery codes, a profile, a second address; then TOTP and a recovery code as second factors', async () => {
  const { context, page, problems, done } = await shopper();
  const widget = await signIn(page, account.email, account.password);
  await signedInAs(page, 'Robin Edge');

  await openSection(page, widget, 'Two-step verification');
  await widget.getByRole('button', { name: 'Set up' }).click();
  await widget.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  const key = (await widget.locator('.lk-key code').textContent()).trim();
  await widget.getByLabel('Authentication code').fill(totp(key));
  await widget.getByRole('button', { name: 'Turn on' }).click();
  await confirmPassword(widget, account.password);
  const codes = widget.locator('.lk-code-list code');
  await codes.first().waitFor();
  const recovery = await codes.allTextContents();
  assert.equal(recovery.length, 10);
  await widget.getByRole('button', { name: 'Done' }).click();

  await widget.getByRole('button', { name: 'Profile', exact: true }).click();
  await widget.getByLabel('Display name').fill('Robin at the edge');
  await widget.getByRole('button', { name: 'Save' }).click();
  await widget.getByText('Saved.').waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();

  const second = `second-${Date.now()}@example.com`;
  await widget.getByRole('button', { name: 'Email addresses', exact: true }).click();
  await widget.getByLabel('New email address').fill(second);
  await widget.getByRole('button', { name: 'Add address' }).click();
  // allauth asks for the password again unless it was confirmed a moment ago.
  const codeSent = widget.getByText(`Enter the code we sent to ${second}.`);
  await codeSent.or(widget.getByRole('heading', { name: "Confirm it's you" })).waitFor();
  if (!(await codeSent.isVisible())) await confirmPassword(widget, account.password);
  await widget.getByLabel('Code', { exact: true }).fill(await mailedCode(widget, second));
  await widget.getByRole('button', { name: 'Confirm', exact: true }).click();
  await widget.getByRole('button', { name: `Make primary: ${second}` }).waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: 'Sign out' }).click();

  // Back in: the password, then the app's next code.
  await widget.getByLabel('Email', { exact: true }).fill(account.email);
  await widget.getByLabel('Password', { exact: true }).fill(account.password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await widget.getByLabel('Authentication code').fill('000000');
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await widget.locator('#lk-code-error').waitFor();
  await widget.getByLabel('Authentication code').fill(totp(key, 1));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, 'Robin at the edge');
  await signOut(page);

  // And with a recovery code.
  await signIn(page, account.email, account.password);
  await widget.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await widget.getByRole('button', { name: 'Use a recovery code' }).click();
  await widget.getByLabel('Recovery code').fill(recovery[0]);
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, 'Robin at the edge');
  const { requests, bodies } = await done();
  onlyTheShop(requests);
  await noTokens(context, bodies);
  assert.deepEqual(problems, []);
  await context.close();
});

test('passkeys for the shop\'s domain (the backend\'s RP ID set to it): added in the account, renamed, then signing in alone', async () => {
  const { context, page, problems, done } = await shopper();
  await page.addInitScript(() => { PublicKeyCredential.isConditionalMediationAvailable = async () => false; });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  const email = `keys-${Date.now()}@example.com`;
  const password = 'a passphrase before the passkey';
  let widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Create an account' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('checkbox').check();
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByLabel('Code', { exact: true }).fill(await mailedCode(widget, email));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);

  await openSection(page, widget, 'Passkeys');
  await widget.getByText('No passkeys yet.').waitFor();
  await widget.getByLabel('Name', { exact: true }).fill('Laptop');
  await widget.getByRole('button', { name: 'Add a passkey' }).click();
  await confirmPassword(widget, password);
  await widget.getByRole('button', { name: 'Rename: Laptop' }).waitFor();
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.deepEqual(credentials.map((c) => c.rpId), [SHOP_HOST], 'the passkey belongs to the shop\'s domain');
  await widget.getByRole('button', { name: 'Rename: Laptop' }).click();
  await widget.getByLabel('Name', { exact: true }).fill('Work laptop');
  await widget.getByRole('button', { name: 'Rename', exact: true }).click();
  await widget.getByRole('button', { name: 'Remove: Work laptop' }).waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: 'Sign out' }).click();

  widget = page.locator('latchkey-widget');
  await widget.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await signedInAs(page, email);
  const { requests, bodies } = await done();
  onlyTheShop(requests);
  await noTokens(context, bodies);
  assert.deepEqual(problems, []);
  await context.close();
});

test('backend down mid-journey: the screen says so, keeps what was typed, and "Try again" finishes once it is back', async () => {
  const { context, page, problems, done } = await shopper();
  // At the code screen of a passwordless sign-in.
  let widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Email me a sign-in code' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByRole('button', { name: 'Email me a code' }).click();
  const code = await mailedCode(widget, SEED_EMAIL);
  stack.proxy.down(true);
  try {
    await widget.getByLabel('Code', { exact: true }).fill(code);
    await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = widget.getByRole('alert');
    await alert.filter({ hasText: "We couldn't reach the sign-in service" }).waitFor();
    assert.equal(await widget.getByLabel('Code', { exact: true }).inputValue(), code, 'the code is kept');
    assert.ok(stack.logs.some((line) => line.route === 'step' && line.status === 502));
  } finally {
    stack.proxy.down(false);
  }
  await widget.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
  await signedInAs(page, SEED_NAME);
  await signOut(page);

  // At the first step: email and password.
  widget = await openWidget(page);
  await widget.getByLabel('Email', { exact: true }).fill(account.email);
  await widget.getByLabel('Password', { exact: true }).fill(account.password);
  stack.proxy.down(true);
  try {
    await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
    await widget.getByRole('alert').filter({ hasText: "We couldn't reach the sign-in service" }).waitFor();
    assert.equal(await widget.getByLabel('Email', { exact: true }).inputValue(), account.email);
    assert.equal(await widget.getByLabel('Password', { exact: true }).inputValue(), account.password);
  } finally {
    stack.proxy.down(false);
  }
  await widget.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
  // The password was accepted: the second factor next (the account test added one),
  // or signed in.
  await widget.getByRole('heading', { name: 'Two-step verification' })
    .or(page.locator('#account-name').filter({ hasText: 'Robin' })).waitFor();
  const { requests, bodies } = await done();
  onlyTheShop(requests);
  await noTokens(context, bodies);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the client in edge mode: claims but never a token, getAccessToken refused by code, fetch through the edge with its token, tabs in step', async () => {
  const { context, page, problems, done } = await shopper();
  const other = await context.newPage();
  await other.goto(`https://${SHOP_HOST}:${SHOP_PORT}/`);
  await page.goto(`https://${SHOP_HOST}:${SHOP_PORT}/`);
  const client = (tab, script, arg) => tab.evaluate(script, arg);
  assert.equal(await client(page, () => document.querySelector('latchkey-widget').client.isAuthenticated()), false);

  const widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Email me a sign-in code' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByRole('button', { name: 'Email me a code' }).click();
  await widget.getByLabel('Code', { exact: true }).fill(await mailedCode(widget, SEED_EMAIL));
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signedInAs(page, SEED_NAME);
  // The other tab heard of it over BroadcastChannel and asked the edge who.
  await signedInAs(other, SEED_NAME);

  const seen = await client(page, async (api) => {
    const auth = document.querySelector('latchkey-widget').client;
    const user = await auth.getUser();
    const token = await auth.getAccessToken().then(() => 'a token', (error) => error.code);
    const answer = await auth.fetch(`${api}/whoami?x=1`);
    return { authenticated: await auth.isAuthenticated(), user, token, status: answer.status, body: await answer.json() };
  }, API);
  assert.equal(seen.authenticated, true);
  assert.equal(seen.user.email, SEED_EMAIL);
  assert.equal(seen.token, 'token_held_by_edge');
  assert.equal(seen.status, 200);
  assert.equal(seen.body.sub, seen.user.sub, 'the API got a token the provider accepts, for this user');
  const reached = apiSeen.at(-1);
  assert.equal(reached.path, '/whoami?x=1');
  assert.match(reached.authorization, /^Bearer /);
  assert.equal(reached.cookie, undefined, 'no browser cookie reaches the API');

  // Signing out in one tab signs out the other.
  await signOut(page);
  await other.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  assert.equal(await client(other, () => document.querySelector('latchkey-widget').client.isAuthenticated()), false);
  const { requests, bodies } = await done();
  onlyTheShop(requests);
  await noTokens(context, bodies);
  assert.deepEqual(problems, []);
  await context.close();
});

// Hardening against the reference allauth backend (issue 13): client.fetch never
// takes the token along a redirect; a breached-password check that cannot be done
// is reported and blocks no one; hostile input in every field of the widget.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { mailboxCode, SEED_EMAIL, SEED_PASSWORD } from '../support/backend.mjs';
import { withDemoShop } from '../support/demo.mjs';
import { openSessionPage, SESSION_PAGE, startLogin } from '../support/session.mjs';
import { stringsFor } from '../support/strings.mjs';

const SHOP_PORT = 8651;
const SHOP = `http://localhost:${SHOP_PORT}`;
const API = 'http://localhost:8652';
const ELSEWHERE = 'http://localhost:8653';
const demo = withDemoShop({ backendPort: 9501, shopPort: SHOP_PORT, page: SESSION_PAGE, apis: [API] });

/** A server that records what reaches it and answers with `answer(req, res)`. */
function server(port, answer) {
  const requests = [];
  const instance = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    res.setHeader('access-control-allow-origin', SHOP);
    res.setHeader('access-control-allow-headers', 'authorization, dpop');
    if (req.method === 'OPTIONS') { res.writeHead(204); res.end(); return; }
    answer(req, res);
  });
  return { requests, listen: () => new Promise((resolve) => instance.listen(port, 'localhost', resolve)), close: () => instance.close() };
}

// The shop's API: /orders answers; /moved sends the browser to another origin.
const api = server(8652, (req, res) => {
  if (req.url === '/moved') {
    res.writeHead(302, { location: `${ELSEWHERE}/steal` });
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
});
// Another site: it tries to frame the shop's sign-in page (clickjacking).
const elsewhere = server(8653, (req, res) => {
  if (req.url === '/frame') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>elsewhere</title><iframe name="shop" src="${SHOP}/login"></iframe>`);
    return;
  }
  res.writeHead(200);
  res.end('thanks');
});
before(() => Promise.all([api.listen(), elsewhere.listen()]));
after(() => { api.close(); elsewhere.close(); });

async function signIn(context) {
  const page = await openSessionPage(context, `${SHOP}/`);
  await startLogin(page);
  await page.waitForURL((url) => url.pathname === '/login');
  const widget = page.locator('latchkey-widget');
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByLabel('Password', { exact: true }).fill(SEED_PASSWORD);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/callback');
  await page.waitForFunction(() => window.callback);
  return page;
}

test('client.fetch sends the token to the API and never along a redirect to another origin', async () => {
  const context = await demo.browser.newContext({ locale: 'en-US' });
  const page = await signIn(context);
  const orders = await page.evaluate(async (api) => (await window.latchkey.fetch(`${api}/orders`)).json(), API);
  assert.match(orders.authorization, /^Bearer \S+$/);
  const moved = await page.evaluate(async (api) => {
    const response = await window.latchkey.fetch(`${api}/moved`);
    return { type: response.type, status: response.status };
  }, API);
  assert.deepEqual(moved, { type: 'opaqueredirect', status: 0 }, 'the redirect is handed back, not followed');
  assert.equal(api.requests.filter((r) => r.url === '/moved' && r.method === 'GET').length, 1);
  assert.deepEqual(elsewhere.requests.filter((r) => r.url === '/steal'), [], 'nothing reached the other origin');
  await context.close();
});

test('a breached-password check the page\'s CSP blocks is reported, and the sign-up goes on', async () => {
  const context = await demo.browser.newContext({ locale: 'en-US' });
  const page = await openSessionPage(context, `${SHOP}/login`);
  const t = await stringsFor('en');
  const violations = [];
  page.on('console', (message) => { if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text()); });
  // The shop forgot to add the service to connect-src (as the README's CSP once did).
  await page.evaluate(async () => {
    window.widgetErrors = [];
    document.addEventListener('latchkey:error', (event) => window.widgetErrors.push(event.detail));
    const widget = document.querySelector('latchkey-widget');
    widget.setAttribute('breached-password-check', 'https://api.pwnedpasswords.com/range/');
    await widget.ready;
  });
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('button', { name: t.create_account, exact: true }).click();
  const email = `breach-${Date.now()}@example.com`;
  await widget.getByRole('textbox', { name: t.email_label, exact: true }).fill(email);
  await widget.getByRole('textbox', { name: t.new_password_label, exact: true }).fill('an uncommon long passphrase');
  await widget.getByRole('button', { name: t.sign_up_submit, exact: true }).click();
  await widget.getByRole('heading', { name: t.verify_title, exact: true }).waitFor();
  const reported = await page.evaluate(() => window.widgetErrors.map((e) => e.code));
  assert.deepEqual(reported, ['breach_check_failed']);
  assert.ok(violations.length > 0, 'the browser refused the request');
  assert.match(await mailboxCode(demo.backend.url, email), /\S/, 'the account was made');
  await context.close();
});

/** A fresh page with the widget (login API allauth) on the fixture's /login. */
async function widgetPage() {
  const context = await demo.browser.newContext({ locale: 'en-US' });
  const page = await openSessionPage(context, `${SHOP}/login`);
  const t = await stringsFor('en');
  const widget = page.locator('latchkey-widget');
  const field = (key) => widget.getByRole('textbox', { name: t[key], exact: true });
  const button = (key) => widget.getByRole('button', { name: t[key], exact: true });
  await field('email_label').waitFor();
  return { context, page, widget, field, button, t };
}

/** Signs in with `password` typed; resolves with the callback's user (or its error). */
async function typedLogin({ page, field, button }, email, password) {
  await field('email_label').fill(email);
  await field('password_label').fill(password);
  await button('submit').click();
  await page.waitForURL((url) => url.pathname === '/callback');
  await page.waitForFunction(() => window.callback);
  return page.evaluate(() => window.callback);
}

test('hostile input: very long values, control and bidi-override characters are refused before anything is sent, and stay typed', async () => {
  const opened = await widgetPage();
  const { context, widget, field, button, t } = opened;
  const sent = [];
  context.on('request', (request) => { if (request.method() === 'POST' && request.url().includes('/_allauth/')) sent.push(request.url()); });
  const long = 'a'.repeat(10_000);
  const cases = [
    [`${long}@example.com`, 'a passphrase of normal length'],
    ['\u202Emoc.elpmaxe@omed', SEED_PASSWORD],
    ['demo@example.com\u0000', SEED_PASSWORD],
    ['demo\u200B@example.com', SEED_PASSWORD],
  ];
  for (const [email, password] of cases) {
    await field('email_label').fill(email);
    await field('password_label').fill(password);
    await button('submit').click();
    await widget.getByText(t.invalid_email).waitFor();
    assert.equal(await field('email_label').inputValue(), email);
    assert.equal(await field('password_label').inputValue(), password);
  }
  // A password far longer than any the policy lets anyone set.
  await field('email_label').fill(SEED_EMAIL);
  await field('password_label').fill('p'.repeat(5_000));
  await button('submit').click();
  await widget.getByText(/1 to 1024 characters/).waitFor();
  assert.deepEqual(sent, [], 'nothing reached the backend');
  // Sign-up: the same address and a 10,000-character password.
  await button('create_account').click();
  await field('email_label').fill(`${long}@example.com`);
  await field('new_password_label').fill(long);
  await button('sign_up_submit').click();
  await widget.getByText(t.invalid_email).waitFor();
  assert.equal((await field('new_password_label').inputValue()).length, 10_000);
  assert.deepEqual(sent, []);
  await context.close();
});

test('hostile input: a password is the same password in any Unicode form (NFKC), emoji and all', async () => {
  const opened = await widgetPage();
  const { context, page, widget, field, button, t } = opened;
  const email = `nfkc-${Date.now()}@example.com`;
  const composed = 'cr\u00e8me br\u00fbl\u00e9e \u{1F36E} p\u00e2tisserie';
  const decomposed = composed.normalize('NFD');
  const fullWidth = composed.replace('p', '\uFF50');
  assert.notEqual(composed, decomposed);
  await button('create_account').click();
  await field('email_label').fill(email);
  await field('new_password_label').fill(composed);
  await button('sign_up_submit').click();
  await widget.getByRole('heading', { name: t.verify_title }).waitFor();
  await field('code_label').fill(await mailboxCode(demo.backend.url, email));
  await button('verify_submit').click();
  await page.waitForURL((url) => url.pathname === '/callback');
  for (const typed of [decomposed, fullWidth]) {
    await page.goto(`${SHOP}/login`);
    await page.waitForSelector('html[data-ready]');
    const result = await typedLogin(opened, email, typed);
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    assert.equal(result.user.email, email);
  }
  await context.close();
});

test('hostile input: a mailed code pasted with spaces, a line break and zero-width characters signs in', async () => {
  const opened = await widgetPage();
  const { context, page, field, button } = opened;
  await button('email_me_a_code').click();
  await field('email_label').fill(SEED_EMAIL);
  await button('send_code').click();
  await field('code_label').waitFor();
  const code = await mailboxCode(demo.backend.url, SEED_EMAIL);
  const pasted = ` ${code.replace('-', '\u200B \n').toLowerCase()}\uFEFF `;
  await field('code_label').fill(pasted);
  await button('submit').click();
  await page.waitForURL((url) => url.pathname === '/callback');
  await page.waitForFunction(() => window.callback);
  assert.equal((await page.evaluate(() => window.callback)).user.email, SEED_EMAIL);
  await context.close();
});

test('clickjacking: with the shop\'s CSP another site cannot frame the sign-in page', async () => {
  const context = await demo.browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const refused = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
  const shopAnswer = page.waitForResponse((response) => response.url() === `${SHOP}/login`);
  await page.goto(`${ELSEWHERE}/frame`);
  const csp = (await shopAnswer).headers()['content-security-policy'];
  assert.match(csp, /frame-ancestors 'none'/);
  await refused;
  const frame = page.frame({ name: 'shop' });
  assert.ok(!frame.url().startsWith(SHOP), `the frame shows ${frame.url()}, not the shop`);
  await context.close();
});

test('a script on the shop\'s page reads what is typed in the widget, open shadow root or not', async () => {
  const context = await demo.browser.newContext({ locale: 'en-US' });
  // A skimmer that ran before the widget: it listens to keys and wraps the getter
  // the widget itself reads fields with.
  await context.addInitScript(() => {
    window.skimmed = { keys: '', values: new Set() };
    document.addEventListener('keydown', (event) => { if (event.key.length === 1) window.skimmed.keys += event.key; }, true);
    const value = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
    Object.defineProperty(HTMLInputElement.prototype, 'value', {
      get() { const typed = value.get.call(this); window.skimmed.values.add(typed); return typed; },
      set(typed) { value.set.call(this, typed); },
    });
  });
  const page = await openSessionPage(context, `${SHOP}/login`);
  const password = page.locator('latchkey-widget').getByLabel('Password', { exact: true });
  await password.focus();
  await page.keyboard.type('typed into the widget');
  await page.waitForFunction(() => window.skimmed.values.has('typed into the widget'));
  assert.match(await page.evaluate(() => window.skimmed.keys), /typed into the widget/);
  // A closed shadow root hides its nodes from `shadowRoot`, not its keys.
  const closedRootKeys = await page.evaluate(() => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'closed', delegatesFocus: true });
    root.append(document.createElement('input'));
    host.focus();
    window.skimmed.keys = '';
    return host.shadowRoot === null;
  });
  assert.equal(closedRootKeys, true);
  await page.keyboard.type('typed into a closed root');
  assert.equal(await page.evaluate(() => window.skimmed.keys), 'typed into a closed root');
  await context.close();
});

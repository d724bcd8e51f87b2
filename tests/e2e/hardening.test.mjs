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
const elsewhere = server(8653, (req, res) => { res.writeHead(200); res.end('thanks'); });
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
  assert.deepEqual(elsewhere.requests, [], 'nothing reached the other origin');
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

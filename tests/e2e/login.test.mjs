// The first vertical slice in Chromium, beyond the password login itself (which runs
// in every engine, with the mouse and with the keyboard only: tests/journeys/login.mjs):
// a wrong password, a replayed callback, and bad configuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { openPage } from '../support/browser.mjs';
import { withDemoShop } from '../support/demo.mjs';

const BACKEND_PORT = 9401;
const SHOP_PORT = 8481;
const SHOP = `http://localhost:${SHOP_PORT}`;
const demo = withDemoShop({ backendPort: BACKEND_PORT, shopPort: SHOP_PORT });

/** Opens the shop's sign-in dialog and fills the widget's form. */
async function fillSignIn(page, email, password) {
  await page.goto(`${SHOP}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const widget = page.locator('latchkey-widget');
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  return widget;
}

function recordRequests(page) {
  const requests = [];
  page.on('request', (request) => requests.push({ method: request.method(), url: request.url(), body: request.postData() }));
  return requests;
}

test('a wrong password shows a generic error and keeps what was typed', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const requests = recordRequests(page);
  const widget = await fillSignIn(page, SEED_EMAIL, 'not the password');

  const alert = widget.getByRole('alert');
  await alert.waitFor();
  assert.equal(await alert.textContent(), 'The email or password is incorrect. Check them and try again.');
  assert.equal(await widget.getByLabel('Email', { exact: true }).inputValue(), SEED_EMAIL);
  assert.equal(await widget.getByLabel('Password', { exact: true }).inputValue(), 'not the password');
  assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id), 'lk-password');
  assert.ok(!requests.some((r) => r.url.includes('/authorize')), 'no redirect after a failed login');

  // Same answer for an address that has no account: nothing to enumerate.
  await widget.getByLabel('Email', { exact: true }).fill('nobody-here@example.com');
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForResponse((r) => r.url().endsWith('/auth/login'));
  assert.equal(await alert.textContent(), 'The email or password is incorrect. Check them and try again.');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a replayed callback URL ends in a clear error and no session', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const requests = recordRequests(page);
  await fillSignIn(page, SEED_EMAIL, SEED_PASSWORD);
  await page.locator('#account-name').filter({ hasText: SEED_NAME }).waitFor({ timeout: 15_000 });
  const callback = requests.find((r) => r.url.startsWith(`${SHOP}/callback?`)).url;

  await page.goto(callback);
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('alert').filter({ hasText: 'no longer valid' }).waitFor();
  assert.equal(await page.locator('#account-menu').isHidden(), true, 'not signed in');
  assert.equal(new URL(page.url()).search, '', 'the used code left the address bar');
  assert.equal(requests.filter((r) => r.url.endsWith('/identity/o/api/token')).length, 1, 'the code was not sent twice');
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad configuration is shown in the widget and the console, never thrown', async () => {
  const { page, problems, consoleErrors, context } = await openPage(demo.browser);
  await page.goto(`${SHOP}/`);
  const text = await page.evaluate(async () => {
    const element = document.createElement('latchkey-widget');
    element.setAttribute('backend', 'localhost:9000');
    element.setAttribute('start-screen', 'dashboard');
    document.body.append(element);
    await element.ready;
    return element.shadowRoot.textContent;
  });
  assert.match(text, /backend \(backend\): "localhost:9000" is not an absolute URL/);
  assert.match(text, /client-id \(clientId\): required/);
  assert.match(text, /start-screen \(startScreen\): unknown screen "dashboard"; expected one of: login/);
  assert.ok(consoleErrors.some((e) => e.includes('invalid configuration')), consoleErrors.join('\n'));
  assert.deepEqual(problems, []);
  await context.close();
});

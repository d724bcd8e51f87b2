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

test('bad configuration is shown in the widget, logged only with debug, never thrown', async () => {
  const { page, problems, consoleErrors, context } = await openPage(demo.browser);
  await page.goto(`${SHOP}/`);
  const misconfigure = (debug) => page.evaluate(async (debug) => {
    const element = document.createElement('latchkey-widget');
    element.setAttribute('backend', 'localhost:9000');
    element.setAttribute('start-screen', 'dashboard');
    element.debug = debug;
    document.body.append(element);
    await element.ready;
    return element.shadowRoot.textContent;
  }, debug);
  const text = await misconfigure(false);
  assert.match(text, /backend \(backend\): "localhost:9000" is not an absolute URL/);
  assert.match(text, /client-id \(clientId\): required/);
  assert.match(text, /start-screen \(startScreen\): unknown value "dashboard"; expected one of: login, signup/);
  const logged = () => consoleErrors.filter((e) => e.includes('invalid configuration'));
  assert.deepEqual(logged(), [], 'the host page gets the event; the console stays quiet');
  await misconfigure(true);
  assert.equal(logged().length, 1, consoleErrors.join('\n'));
  assert.deepEqual(problems, []);
  await context.close();
});

/** Adds a widget at the end of a long shop page whose own field has the focus. */
function widgetBelowTheFold(page, attributes = {}) {
  return page.evaluate(async ([backend, attributes]) => {
    const field = document.createElement('input');
    field.id = 'shop-search';
    field.setAttribute('aria-label', 'Search the shop');
    document.querySelector('main').prepend(field);
    field.focus();
    const spacer = document.createElement('div');
    spacer.style.blockSize = '3000px';
    document.body.append(spacer);
    const widget = document.createElement('latchkey-widget');
    widget.id = 'below';
    for (const [name, value] of Object.entries({ backend, 'login-api': 'allauth', 'client-id': 'latchkey-demo',
      'redirect-uri': `${location.origin}/callback`, ...attributes })) widget.setAttribute(name, value);
    document.body.append(widget);
    await widget.ready;
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { focused: document.activeElement?.id ?? null, scrollY: window.scrollY };
  }, [demo.backend.url, attributes]);
}

test('the widget leaves the shop page alone: no focus taken, no scroll, no passkey request until the shopper reaches it', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const passkeyOptions = [];
  page.on('request', (request) => { if (request.url().endsWith('/auth/webauthn/login')) passkeyOptions.push(request); });
  await page.goto(`${SHOP}/`);
  assert.deepEqual(await widgetBelowTheFold(page), { focused: 'shop-search', scrollY: 0 });
  assert.equal(passkeyOptions.length, 0, 'merely showing the form asks the backend nothing');
  const widget = page.locator('#below');
  await widget.getByLabel('Email', { exact: true }).focus();
  await page.waitForRequest((request) => request.url().endsWith('/auth/webauthn/login'));

  // After the shopper acted in it, the widget moves the focus as screens change.
  await widget.getByRole('button', { name: 'Forgot password?' }).click();
  await widget.getByRole('heading', { name: 'Reset your password' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id), 'lk-email');
  assert.deepEqual(problems, []);
  await context.close();
});

test('autofocus: the host page asks, the widget takes the focus as it appears', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  await page.goto(`${SHOP}/`);
  const shown = await widgetBelowTheFold(page, { autofocus: '' });
  assert.equal(shown.focused, 'below');
  assert.equal(await page.evaluate(() => document.getElementById('below').shadowRoot.activeElement?.id), 'lk-email');
  assert.deepEqual(problems, []);
  await context.close();
});

test('changing the look or the text keeps the screen and what was typed; the same value changes nothing', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  await page.goto(`${SHOP}/`);
  await widgetBelowTheFold(page);
  const widget = page.locator('#below');
  await widget.getByLabel('Email', { exact: true }).fill('kept@example.com');
  const marked = await page.evaluate(async () => {
    const element = document.getElementById('below');
    const field = element.shadowRoot.querySelector('#lk-email');
    field.dataset.marker = 'the same element';
    element.setAttribute('theme', 'dark');
    element.strings = { submit: 'Log in' };
    element.setAttribute('backend', element.getAttribute('backend'));
    await element.ready;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = element.shadowRoot.querySelector('#lk-email');
    return { marker: now.dataset.marker, value: now.value, submit: element.shadowRoot.querySelector('button[type=submit]').textContent };
  });
  assert.deepEqual(marked, { marker: 'the same element', value: 'kept@example.com', submit: 'Log in' });
  assert.equal(await page.locator('#below').getAttribute('theme'), 'dark');
  // A session option mounts afresh.
  const remounted = await page.evaluate(async () => {
    const element = document.getElementById('below');
    element.setAttribute('storage', 'indexeddb');
    await element.ready;
    return element.shadowRoot.querySelector('#lk-email')?.dataset.marker ?? null;
  });
  assert.equal(remounted, null);
  assert.deepEqual(problems, []);
  await context.close();
});

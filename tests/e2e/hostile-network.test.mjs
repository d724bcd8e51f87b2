// The widget on a hostile network, against the real allauth backend with Playwright
// routes in between: a dropped connection, an HTTP 500, HTML instead of JSON, an
// answer that never comes (the HTTP port gives up after 30 s of the page's clock), a
// very slow answer, 429 with Retry-After, and the backend's session expiring half-way
// through the second factor. Each ends in a clear message and a way to try again,
// nothing typed is lost, and no unhandled rejection or wasm panic reaches the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mailboxCode, SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { openPage } from '../support/browser.mjs';
import { withDemoShop } from '../support/demo.mjs';
import { totp } from '../support/totp.mjs';

const SHOP_PORT = 8654;
const SHOP = `http://localhost:${SHOP_PORT}`;
const demo = withDemoShop({ backendPort: 9502, shopPort: SHOP_PORT });
const LOGIN = (url) => url.pathname === '/_allauth/browser/v1/auth/login';

/** A page of the demo shop whose clock the test may move on. */
async function shopPage() {
  const opened = await openPage(demo.browser);
  await opened.context.clock.install();
  await opened.page.goto(`${SHOP}/`);
  await opened.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const widget = opened.page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Sign in' }).waitFor();
  return { ...opened, widget };
}

async function fillLogin(widget, email = SEED_EMAIL, password = SEED_PASSWORD) {
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const signedInAs = (page, name) =>
  page.locator('#account-name').filter({ hasText: name }).waitFor({ timeout: 15_000 });

/** Nothing the page could not handle: no page error (unhandled rejections are
 * page errors), no wasm panic, no CSP violation. */
function assertCalm({ problems, consoleErrors }) {
  assert.deepEqual(problems, []);
  const panics = consoleErrors.filter((text) => /panicked|unreachable|RuntimeError|Uncaught/.test(text));
  assert.deepEqual(panics, []);
}

/** Typed values are where they were. */
async function assertKept(widget, email = SEED_EMAIL, password = SEED_PASSWORD) {
  assert.equal(await widget.getByLabel('Email', { exact: true }).inputValue(), email);
  assert.equal(await widget.getByLabel('Password', { exact: true }).inputValue(), password);
}

/** After a failed sign-in: the typed values are kept, the backend answers again
 * (after `wait` ms of the page's clock), and "Try again" signs in calmly. */
async function retrySignsIn(opened, alert, wait = 0) {
  const { page, context, widget } = opened;
  await assertKept(widget);
  await context.unroute(LOGIN);
  if (wait) await context.clock.runFor(wait);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await signedInAs(page, SEED_NAME);
  assertCalm(opened);
  await context.close();
}

const failures = [
  {
    name: 'a dropped connection',
    answer: (route) => route.abort('connectionreset'),
    message: /couldn't reach the sign-in service/,
  },
  {
    name: 'an HTTP 500 error page',
    answer: (route) => route.fulfill({ status: 500, contentType: 'text/html', body: '<h1>Server Error (500)</h1>' }),
    message: /Something went wrong.*backend_response_invalid/,
  },
  {
    name: 'HTML instead of JSON (a proxy\'s or captive portal\'s page)',
    answer: (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<html><body>Please log in to the Wi-Fi</body></html>' }),
    message: /Something went wrong.*backend_response_invalid/,
  },
  {
    name: 'JSON of the wrong shape, and far too much of it',
    answer: (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ status: 'ok', data: 'x'.repeat(2 * 1024 * 1024) }) }),
    message: /Something went wrong.*(response_too_large|backend_response_invalid)/,
  },
];

for (const failure of failures) {
  test(`${failure.name}: a clear message, "Try again", and the typed values kept`, async () => {
    const opened = await shopPage();
    const { context, widget } = opened;
    await context.route(LOGIN, failure.answer);
    await fillLogin(widget);
    const alert = widget.getByRole('alert');
    await alert.filter({ hasText: failure.message }).waitFor();
    await retrySignsIn(opened, alert);
  });
}

test('an answer that never comes: the request gives up after 30 s of the page\'s clock, then "Try again" works', async () => {
  const opened = await shopPage();
  const { context, widget } = opened;
  let held;
  const reached = new Promise((resolve) => { held = resolve; });
  await context.route(LOGIN, () => held()); // never answered
  await fillLogin(widget);
  await reached;
  await widget.getByRole('button', { name: 'Signing in…' }).waitFor();
  await context.clock.fastForward(29_000);
  assert.equal(await widget.getByRole('alert').count(), 0, 'still waiting at 29 s');
  await context.clock.fastForward(1_500);
  const alert = widget.getByRole('alert');
  await alert.filter({ hasText: /couldn't reach the sign-in service/ }).waitFor();
  await retrySignsIn(opened, alert);
});

test('a very slow answer: the form says it is busy and cannot be sent twice, then signs in', async () => {
  const opened = await shopPage();
  const { page, context, widget } = opened;
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let sent = 0;
  await context.route(LOGIN, async (route) => { sent += 1; await released; await route.continue(); });
  await fillLogin(widget);
  const busy = widget.getByRole('button', { name: 'Signing in…' });
  await busy.waitFor();
  assert.equal(await busy.isDisabled(), true);
  await busy.click({ force: true });
  await widget.locator('form').evaluate((form) => form.requestSubmit());
  release();
  await signedInAs(page, SEED_NAME);
  assert.equal(sent, 1, 'sent once');
  assertCalm(opened);
  await context.close();
});

test('429 with Retry-After: the wait counts down on the page\'s clock, then "Try again" signs in', async () => {
  const opened = await shopPage();
  const { context, widget } = opened;
  await context.route(LOGIN, (route) => route.fulfill({
    status: 429,
    contentType: 'application/json',
    // As the backend sends it, for a page of another origin to read.
    headers: {
      'retry-after': '20',
      'access-control-allow-origin': SHOP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'retry-after',
    },
    body: '{"status":429}',
  }));
  await fillLogin(widget);
  const alert = widget.getByRole('alert');
  await alert.filter({ hasText: /Try again in (20|19) s/ }).waitFor();
  await retrySignsIn(opened, alert, 21_000);
});

test('the backend\'s session expires half-way through the second factor: "start again" keeps the address', async () => {
  const opened = await shopPage();
  const { page, context, widget } = opened;
  const email = `expiring-${Date.now()}@example.com`;
  const password = 'a passphrase with a second factor';
  const api = (method, path, body) => page.evaluate(async ([url, method, body]) => {
    const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || '';
    const response = await fetch(url, {
      method, credentials: 'include', body: body && JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrftoken': csrf },
    });
    return response.json();
  }, [`${demo.backend.url}/_allauth/browser/v1${path}`, method, body]);
  await api('GET', '/auth/session');
  await api('POST', '/auth/signup', { email, password });
  await api('POST', '/auth/email/verify', { key: await mailboxCode(demo.backend.url, email) });
  await api('POST', '/auth/reauthenticate', { password });
  const secret = (await api('GET', '/account/authenticators/totp')).meta.secret;
  await api('POST', '/account/authenticators/totp', { code: totp(secret) });
  await api('DELETE', '/auth/session');

  await fillLogin(widget, email, password);
  await widget.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  // The session the password step opened ends at the backend (it timed out).
  await context.clearCookies({ name: 'sessionid' });
  await widget.getByLabel('Authentication code').fill(totp(secret, 1));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await widget.getByRole('alert').filter({ hasText: 'That step timed out. Please start again.' }).waitFor();
  assert.equal(await widget.getByLabel('Authentication code').inputValue(), totp(secret, 1), 'the code stays');
  await widget.getByRole('button', { name: 'Back to sign in' }).click();
  assert.equal(await widget.getByLabel('Email', { exact: true }).inputValue(), email, 'the address stays');
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.getByLabel('Authentication code').fill(totp(secret, 1));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);
  assertCalm(opened);
  await context.close();
});

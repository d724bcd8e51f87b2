// The sign-in journeys in the demo shop in Chromium, end to end against the real
// reference backend: forgot password, passwordless login by code, passkey login with
// Chromium's virtual authenticator, the backend's lockout after repeated failures,
// offline, keyboard-only sign-up and a social provider. (Sign-up and the second
// factor run in every engine: tests/journeys/.)
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createDemoServer } from '../../www/server.mjs';
import { mailboxCode, SEED_EMAIL, SEED_NAME, SEED_PASSWORD, startBackend } from '../support/backend.mjs';
import { openPage } from '../support/browser.mjs';
import { withDemoShop } from '../support/demo.mjs';
import { headless } from '../support/headless.mjs';
import { totp } from '../support/totp.mjs';

const BACKEND_PORT = 9430;
const SHOP_PORT = 8510;
const SHOP = `http://localhost:${SHOP_PORT}`;
const demo = withDemoShop({ backendPort: BACKEND_PORT, shopPort: SHOP_PORT });

/** Opens the shop's sign-in dialog; returns the widget. */
async function openWidget(page) {
  await page.goto(`${SHOP}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Sign in' }).waitFor();
  return widget;
}

const signedInAs = (page, name) =>
  page.locator('#account-name').filter({ hasText: name }).waitFor({ timeout: 15_000 });

/** The headless API from inside the shop page (cookies and CSRF as the widget uses them). */
const api = (page, method, path, body) => headless(page, demo.backend.url, method, path, body);

test('the TOTP helper matches RFC 6238 Appendix B', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of "12345678901234567890"
  assert.equal(totp(secret, 0, 59_000), '287082');
  assert.equal(totp(secret, 0, 1_111_111_109_000), '081804');
});

test('forgot password: the mailed code and a new password, then sign in with it', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const email = `forgetful-${Date.now()}@example.com`;
  // An account to forget the password of, made through the API.
  await page.goto(`${SHOP}/`);
  await api(page, 'GET', '/auth/session');
  await api(page, 'POST', '/auth/signup', { email, password: 'the first passphrase' });
  await api(page, 'POST', '/auth/email/verify', { key: await mailboxCode(demo.backend.url, email) });
  await api(page, 'DELETE', '/auth/session');

  const widget = await openWidget(page);
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByRole('button', { name: 'Forgot password?' }).click();
  await widget.getByRole('heading', { name: 'Reset your password' }).waitFor();
  assert.equal(await widget.getByLabel('Email', { exact: true }).inputValue(), email, 'the address came along');
  await widget.getByRole('button', { name: 'Email me a code' }).click();
  await widget.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(demo.backend.url, email));
  await widget.getByLabel('Password', { exact: true }).fill('the second, longer passphrase');
  await widget.getByRole('button', { name: 'Save new password' }).click();

  await widget.getByText('Your password was changed. Sign in with your new password.').waitFor();
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill('the first passphrase');
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.getByRole('alert').filter({ hasText: 'The email or password is incorrect' }).waitFor();
  await widget.getByLabel('Password', { exact: true }).fill('the second, longer passphrase');
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signedInAs(page, email);
  assert.deepEqual(problems, []);
  await context.close();
});

test('passwordless: a mailed code signs the seeded user in', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Email me a sign-in code' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByRole('button', { name: 'Email me a code' }).click();
  await widget.getByRole('heading', { name: 'Sign in with a code' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(demo.backend.url, SEED_EMAIL));
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signedInAs(page, SEED_NAME);
  assert.deepEqual(problems, []);
  await context.close();
});

test('passkey: registered with a virtual authenticator, then picked from autofill, signs in without a password', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  const email = `passkey-${Date.now()}@example.com`;
  const password = 'a passphrase before the passkey';
  await page.goto(`${SHOP}/`);
  await api(page, 'GET', '/auth/session');
  await api(page, 'POST', '/auth/signup', { email, password });
  await api(page, 'POST', '/auth/email/verify', { key: await mailboxCode(demo.backend.url, email) });
  await api(page, 'POST', '/auth/reauthenticate', { password });
  const options = (await api(page, 'GET', '/account/authenticators/webauthn?passwordless')).json.data.creation_options;
  const credential = await page.evaluate(async (options) => (await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey) })).toJSON(), options);
  assert.equal((await api(page, 'POST', '/account/authenticators/webauthn', { name: 'test key', credential })).status, 200);
  await api(page, 'DELETE', '/auth/session');

  // The login form offers passkeys in the email field's autofill (conditional
  // mediation) once it has the focus; the virtual authenticator picks the passkey
  // at once, as a shopper choosing it from the autofill list would.
  const autofillOptions = page.waitForResponse((r) => r.url().endsWith('/auth/webauthn/login') && r.request().method() === 'GET');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  assert.equal((await autofillOptions).status(), 200);
  await signedInAs(page, email);
  assert.deepEqual(problems, []);
  await context.close();
});

test('locked out: repeated wrong passwords hit the backend\'s limit, shown as such, input kept', async () => {
  const limited = await startBackend({ port: BACKEND_PORT + 1, frontend: `http://localhost:${SHOP_PORT + 1}`,
    env: { IDP_RATE_LIMITS: '1' } });
  const limitedShop = await createDemoServer({ backend: limited.url, origin: `http://localhost:${SHOP_PORT + 1}` });
  await new Promise((resolve) => limitedShop.listen(SHOP_PORT + 1, 'localhost', resolve));
  try {
    const { page, problems, context } = await openPage(demo.browser);
    await page.goto(`http://localhost:${SHOP_PORT + 1}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const widget = page.locator('latchkey-widget');
    const alert = widget.getByRole('alert');
    await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
    let lockedAt;
    for (let attempt = 1; attempt <= 12 && !lockedAt; attempt++) {
      await widget.getByLabel('Password', { exact: true }).fill(`wrong password ${attempt}`);
      const answered = page.waitForResponse((r) => r.url().endsWith('/auth/login'));
      await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
      await answered;
      await alert.waitFor();
      if (/Too many attempts/.test(await alert.textContent())) lockedAt = attempt;
    }
    // allauth allows 5 failures per address in 5 minutes.
    assert.equal(lockedAt, 6, 'the sixth failure is refused as too many');
    assert.equal(await widget.getByLabel('Password', { exact: true }).inputValue(), 'wrong password 6');
    // Even the right password waits now: the lock is not a hint about the password.
    await widget.getByLabel('Password', { exact: true }).fill(SEED_PASSWORD);
    await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForResponse((r) => r.url().endsWith('/auth/login'));
    await alert.filter({ hasText: 'Too many attempts' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    limitedShop.close();
    await limited.stop();
  }
});

test('offline: the form keeps its input, says so, and "Try again" finishes once back online', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const widget = await openWidget(page);
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByLabel('Password', { exact: true }).fill(SEED_PASSWORD);
  await context.setOffline(true);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  const alert = widget.getByRole('alert');
  await alert.filter({ hasText: "We couldn't reach the sign-in service" }).waitFor();
  assert.equal(await widget.getByLabel('Password', { exact: true }).inputValue(), SEED_PASSWORD);
  await context.setOffline(false);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await signedInAs(page, SEED_NAME);
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard only: sign up, from the link to the code', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  await openWidget(page);
  const focused = () => page.evaluate(() => {
    const inner = document.activeElement?.shadowRoot?.activeElement;
    return inner ? (inner.id || inner.textContent) : document.activeElement?.id;
  });
  // Tab from the password field to "Create an account", past the other links.
  const email = `keys-only-${Date.now()}@example.com`;
  for (let i = 0; i < 12 && (await focused()) !== 'Create an account'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'Create an account');
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'lk-email', 'the new screen starts at its first field');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'lk-first_name', 'the optional name fields come next');
  await page.keyboard.type('Kim');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'lk-password');
  await page.keyboard.type('typed without a mouse, all of it');
  await page.keyboard.press('Tab'); // the reveal button
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'lk-terms');
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();
  assert.equal(await focused(), 'lk-code');
  await page.keyboard.type(await mailboxCode(demo.backend.url, email));
  await page.keyboard.press('Enter');
  await signedInAs(page, 'Kim');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a social provider: the redirect flow through the backend signs in; a cancel says so', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Continue with Demo ID' }).click();
  // The backend's stand-in provider asks who you are, on its own page.
  await page.waitForURL(/\/accounts\/dummy\/authenticate\//);
  const email = `social-${Date.now()}@example.com`;
  await page.locator('input[name=id]').fill(String(Date.now() % 1_000_000));
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=email_verified]').check();
  await page.getByRole('button', { name: 'Login' }).click();
  await signedInAs(page, email);
  assert.equal(new URL(page.url()).search, '', 'nothing left in the address bar');

  await page.locator('#account-menu summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.getByRole('button', { name: 'Continue with Demo ID' }).click();
  await page.waitForURL(/\/accounts\/dummy\/authenticate\//);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await widget.getByRole('alert').waitFor({ timeout: 15_000 });
  assert.equal(await widget.getByRole('alert').textContent(),
    "Signing in with that provider didn't work. Try again or sign in another way.");
  assert.deepEqual(problems, []);
  await context.close();
});

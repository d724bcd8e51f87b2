// allauth settings that used to end on "this shop doesn't offer that step yet", end
// to end against the real reference backend: passkey sign-up (an account with no
// password), passkey reauthentication, a social sign-up that needs an address,
// "trust this browser" after the second factor, and a widget that starts on sign-up.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { allauthApi, virtualAuthenticator } from '../support/allauth.mjs';
import { mailboxCode } from '../support/backend.mjs';
import { openPage } from '../support/browser.mjs';
import { withDemoShop } from '../support/demo.mjs';
import { totp } from '../support/totp.mjs';

const SHOP_PORT = 8524;
const SHOP = `http://localhost:${SHOP_PORT}`;
const demo = withDemoShop({ backendPort: 9444, shopPort: SHOP_PORT, backendEnv: { IDP_MFA_TRUST: '1' } });

const unique = (what) => `${what}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
const api = (page, method, path, body) => allauthApi(page, demo.backend.url, method, path, body);
const signedInAs = (page, name) =>
  page.locator('#account-name').filter({ hasText: name }).waitFor({ timeout: 15_000 });

/** Opens the shop's sign-in dialog; returns the widget. */
async function openWidget(page, heading = 'Sign in') {
  await page.goto(`${SHOP}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: heading }).waitFor();
  return widget;
}

async function signOut(page) {
  await page.locator('#account-menu summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
}

test('start-screen="signup": the widget opens on account creation', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  await page.goto(`${SHOP}/`);
  await page.evaluate(() => document.querySelector('latchkey-widget').setAttribute('start-screen', 'signup'));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Create your account' }).waitFor();
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('passkey sign-up: an account without a password, confirmed by code, then reauthenticated by passkey', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const { cdp, authenticatorId } = await virtualAuthenticator(context, page);
  const email = unique('passkey-only');
  let widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Create an account' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByRole('checkbox', { name: 'I agree to the terms of service' }).check();
  await widget.getByRole('button', { name: 'Sign up with a passkey instead' }).click();
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(demo.backend.url, email));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await widget.getByRole('heading', { name: 'Create your passkey' }).waitFor();
  assert.match(await widget.getByText(/is confirmed/).textContent(), new RegExp(email));
  await widget.getByRole('button', { name: 'Create passkey' }).click();
  await signedInAs(page, email);
  assert.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length, 1,
    'the authenticator holds the new passkey');
  const session = await api(page, 'GET', '/auth/session');
  assert.equal(session.json.data.user.has_usable_password, false, 'no password at all');

  // A protected change: an account without a password confirms with its passkey.
  await page.evaluate(() => document.getElementById('sign-in-dialog').showModal());
  widget = page.locator('latchkey-widget');
  await widget.getByRole('button', { name: 'Email addresses' }).click();
  await widget.getByLabel('New email address').fill(unique('second'));
  await widget.getByRole('button', { name: 'Add address' }).click();
  await widget.getByRole('heading', { name: "Confirm it's you" }).waitFor();
  assert.equal(await widget.locator('#lk-reauth-password').count(), 0, 'no password to ask for');
  await widget.getByRole('button', { name: 'Continue with passkey' }).click();
  await widget.getByLabel('Code', { exact: true }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a social sign-up without an address asks for one, confirms it by code and signs in', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const widget = await openWidget(page);
  await widget.getByRole('button', { name: 'Continue with Demo ID' }).click();
  await page.waitForURL(/\/accounts\/dummy\/authenticate\//);
  // The stand-in provider vouches for no address.
  await page.locator('input[name=id]').fill(String(Date.now() % 1_000_000));
  await page.getByRole('button', { name: 'Login' }).click();
  await widget.getByRole('heading', { name: 'Complete your account' }).waitFor({ timeout: 15_000 });
  const email = unique('social');
  await widget.getByLabel('Email', { exact: true }).fill('not an address');
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.locator('#lk-email-error').waitFor();
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(demo.backend.url, email));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);
  assert.deepEqual(problems, []);
  await context.close();
});

test('trust this browser: after the second factor, the next sign-in here skips it', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const email = unique('trusting');
  const password = 'a passphrase with a trusted browser';
  await page.goto(`${SHOP}/`);
  await api(page, 'GET', '/auth/session');
  await api(page, 'POST', '/auth/signup', { email, password });
  await api(page, 'POST', '/auth/email/verify', { key: await mailboxCode(demo.backend.url, email) });
  await api(page, 'POST', '/auth/reauthenticate', { password });
  const secret = (await api(page, 'GET', '/account/authenticators/totp')).json.meta.secret;
  assert.equal((await api(page, 'POST', '/account/authenticators/totp', { code: totp(secret) })).status, 200);
  await api(page, 'DELETE', '/auth/session');

  const signIn = async () => {
    const widget = await openWidget(page);
    await widget.getByLabel('Email', { exact: true }).fill(email);
    await widget.getByLabel('Password', { exact: true }).fill(password);
    await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
    return widget;
  };
  let widget = await signIn();
  await widget.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await widget.getByLabel('Authentication code').fill(totp(secret, 1));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await widget.getByRole('heading', { name: 'Trust this browser?' }).waitFor();
  await widget.getByRole('button', { name: 'Trust this browser' }).click();
  await signedInAs(page, email);

  await signOut(page);
  widget = await signIn();
  await signedInAs(page, email);
  assert.equal(await widget.getByRole('heading', { name: 'Two-step verification' }).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

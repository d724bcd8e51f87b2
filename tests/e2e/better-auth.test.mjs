// The widget with login-api="better-auth" in the demo shop, end to end in Chromium
// against the real better-auth reference backend (devserver/better-auth): password
// sign-in, sign-up with the mailed code, an unverified sign-in, passwordless code,
// forgot password, TOTP and a backup code after the password, passkey sign-in, the
// account (profile, TOTP set-up behind the password, password change, passkeys,
// deletion), the login page better-auth sends its authorization requests to, and the
// screens hiding what better-auth lacks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mailboxCode, SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { openPage } from '../support/browser.mjs';
import { withDemoShop } from '../support/demo.mjs';
import {
  accountSections, backendApi, confirmPassword, openSection, openWidget, showDialog, signedInAs, signUp,
  submitSignIn, virtualAuthenticator,
} from '../support/shopper.mjs';
import { totp } from '../support/totp.mjs';

const demo = withDemoShop({ backendPort: 9760, shopPort: 8810, loginApi: 'better-auth' });

let counter = 0;
const freshEmail = (label) => `${label}-${Date.now()}-${counter++}@example.com`;
const PASSWORD = 'a long passphrase at better-auth';

function recordRequests(page) {
  const requests = [];
  page.on('request', (request) => requests.push({
    method: request.method(), url: request.url(), body: request.postData(), headers: request.headers(),
  }));
  return requests;
}

async function signOut(page, widget) {
  await showDialog(page);
  await widget.getByRole('button', { name: 'Sign out' }).click();
  await widget.getByRole('heading', { name: 'Sign in' }).waitFor();
}

test('password sign-in: one generic error, then code + PKCE with an ES256 ID token', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const requests = recordRequests(page);
  const widget = await openWidget(page, demo);
  // better-auth has no social providers here: the page's provider button is not offered.
  assert.equal(await widget.getByRole('button', { name: /Continue with/ }).count(), 0);
  await widget.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
  await widget.getByRole('button', { name: 'Email me a sign-in code' }).waitFor();

  await submitSignIn(widget, 'nobody@example.com', 'not the password at all');
  const alert = widget.getByRole('alert').filter({ hasText: 'The email or password is incorrect' });
  await alert.waitFor();
  await submitSignIn(widget, SEED_EMAIL, 'not the password at all');
  await alert.waitFor();
  assert.equal(await widget.getByLabel('Email', { exact: true }).inputValue(), SEED_EMAIL);

  await submitSignIn(widget, SEED_EMAIL, SEED_PASSWORD);
  await signedInAs(page, SEED_NAME);
  assert.equal(new URL(page.url()).search, '', 'code and state are gone from the address bar');

  const api = `${demo.backend.url}/api/auth`;
  const signIns = requests.filter((r) => r.url === `${api}/sign-in/email`);
  assert.equal(signIns.length, 3);
  assert.deepEqual(JSON.parse(signIns[2].body), { email: SEED_EMAIL, password: SEED_PASSWORD });
  assert.ok(signIns.every((r) => !r.headers['x-csrftoken']), 'no CSRF token: better-auth checks the Origin');
  const authorize = new URL(requests.find((r) => r.url.startsWith(`${api}/oauth2/authorize?`)).url);
  assert.equal(authorize.searchParams.get('response_type'), 'code');
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  const token = requests.find((r) => r.url === `${api}/oauth2/token`);
  assert.equal(new URLSearchParams(token.body).get('grant_type'), 'authorization_code');
  assert.ok(requests.some((r) => r.url === `${api}/jwks`), 'the ID token was checked with the JWKS');
  const jwks = await (await fetch(`${api}/jwks`)).json();
  assert.deepEqual(jwks.keys.map((key) => key.alg), ['ES256']);
  const user = await page.evaluate(() => document.querySelector('latchkey-widget').client.getUser());
  assert.deepEqual([user.email, user.name, user.iss], [SEED_EMAIL, SEED_NAME, demo.backend.url]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('sign-up: a new code, a wrong one refused, the mailed one signs in; the names are saved', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const widget = await openWidget(page, demo);
  await widget.getByRole('button', { name: 'Create an account' }).click();
  await widget.getByRole('heading', { name: 'Create your account' }).waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Sign up with a passkey instead' }).count(), 0);
  const email = freshEmail('signup');
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('First name').fill('Robin');
  await widget.getByLabel('Last name').fill('Signup');
  await widget.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await widget.getByRole('checkbox').check();
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();

  await widget.getByLabel('Code', { exact: true }).fill('000000');
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await widget.locator('#lk-code-error').filter({ hasText: 'Invalid OTP' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(` ${await mailboxCode(demo.backend.url, email)} `);
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);

  const user = await backendApi(page, demo).user();
  assert.deepEqual([user.email, user.emailVerified, user.firstName, user.lastName], [email, true, 'Robin', 'Signup']);
  const claims = await page.evaluate(() => document.querySelector('latchkey-widget').client.getUser());
  assert.deepEqual([claims.given_name, claims.family_name], ['Robin', 'Signup'], 'saved before the code exchange');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unverified account: the right password leads to a newly mailed code, which signs in', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const email = freshEmail('unverified');
  await page.goto(`${demo.shop}/`);
  await backendApi(page, demo).createAccount(email, PASSWORD, { verify: false });
  const widget = await openWidget(page, demo);
  await submitSignIn(widget, email, PASSWORD);
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(demo.backend.url, email));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);
  assert.deepEqual(problems, []);
  await context.close();
});

test('passwordless: a mailed code signs the seeded user in', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const widget = await openWidget(page, demo);
  await widget.getByRole('button', { name: 'Email me a sign-in code' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(SEED_EMAIL);
  await widget.getByRole('button', { name: 'Email me a code' }).click();
  await widget.getByRole('heading', { name: 'Sign in with a code' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(demo.backend.url, SEED_EMAIL));
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signedInAs(page, SEED_NAME);
  assert.deepEqual(problems, []);
  await context.close();
});

test('forgot password: the mailed code and a new password, then sign in with it', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const email = freshEmail('forgetful');
  await page.goto(`${demo.shop}/`);
  const backend = backendApi(page, demo);
  await backend.createAccount(email, PASSWORD);
  await backend.signOut();

  const widget = await openWidget(page, demo);
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByRole('button', { name: 'Forgot password?' }).click();
  await widget.getByRole('button', { name: 'Email me a code' }).click();
  await widget.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(demo.backend.url, email));
  await widget.getByLabel('Password', { exact: true }).fill('the second, longer passphrase');
  await widget.getByRole('button', { name: 'Save new password' }).click();
  // better-auth does not sign in on a reset: the shopper signs in with the new password.
  await widget.getByText('Your password was changed. Sign in with your new password.').waitFor();
  await submitSignIn(widget, email, PASSWORD);
  await widget.getByRole('alert').filter({ hasText: 'The email or password is incorrect' }).waitFor();
  await submitSignIn(widget, email, 'the second, longer passphrase');
  await signedInAs(page, email);
  assert.deepEqual(problems, []);
  await context.close();
});

test('second factor after the password: TOTP, then a backup code; no passkey offered there', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const email = freshEmail('mfa');
  await page.goto(`${demo.shop}/`);
  const backend = backendApi(page, demo);
  await backend.createAccount(email, PASSWORD);
  const { secret, recoveryCodes } = await backend.enableTotp(PASSWORD);
  await backend.signOut();

  let widget = await openWidget(page, demo);
  await submitSignIn(widget, email, PASSWORD);
  await widget.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Use a passkey or security key' }).count(), 0);
  await widget.getByLabel('Authentication code').fill('000000');
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await widget.locator('#lk-code-error').filter({ hasText: 'Invalid code' }).waitFor();
  await widget.getByLabel('Authentication code').fill(totp(secret, 1));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);

  await signOut(page, widget);
  widget = await openWidget(page, demo);
  await submitSignIn(widget, email, PASSWORD);
  await widget.getByRole('button', { name: 'Use a recovery code' }).click();
  await widget.getByLabel('Recovery code').fill(recoveryCodes[0]);
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);
  assert.deepEqual(problems, []);
  await context.close();
});

test('passkey: registered with a virtual authenticator, then the button signs in without a password', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  // A browser without passkey autofill: the button is the way in.
  await page.addInitScript(() => { PublicKeyCredential.isConditionalMediationAvailable = async () => false; });
  await virtualAuthenticator(context, page);
  const email = freshEmail('passkey');
  await page.goto(`${demo.shop}/`);
  const backend = backendApi(page, demo);
  await backend.createAccount(email, PASSWORD);
  await backend.addPasskey();
  await backend.signOut();

  const widget = await openWidget(page, demo);
  const options = page.waitForResponse((r) => r.url().endsWith('/api/auth/passkey/generate-authenticate-options'));
  await widget.getByRole('button', { name: 'Sign in with a passkey' }).click();
  assert.equal((await options).status(), 200);
  await signedInAs(page, email);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the account: what better-auth offers, profile, TOTP behind the password, password, passkeys', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const { cdp, authenticatorId } = await virtualAuthenticator(context, page);
  const email = freshEmail('account');
  const widget = await signUp(page, demo, email, PASSWORD);
  assert.deepEqual(await accountSections(page, widget),
    ['Profile', 'Password', 'Two-step verification', 'Passkeys', 'Delete account'],
    'one address per account: no "Email addresses"');

  await openSection(page, widget, 'Profile');
  await widget.getByLabel('First name').fill('Robin');
  await widget.getByLabel('Display name').fill('Robin R.');
  await widget.getByRole('button', { name: 'Save' }).click();
  await widget.getByText('Saved.').waitFor();
  const user = await backendApi(page, demo).user();
  assert.deepEqual([user.firstName, user.name], ['Robin', 'Robin R.']);
  await widget.getByRole('button', { name: 'Done' }).click();

  // better-auth wants the password in the call that starts the set-up.
  await widget.getByRole('button', { name: 'Two-step verification', exact: true }).click();
  await widget.getByRole('button', { name: 'Set up' }).click();
  await confirmPassword(widget, 'not my password');
  await widget.getByRole('alert').filter({ hasText: 'Invalid password' }).waitFor();
  await widget.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
  await widget.getByRole('button', { name: 'Confirm', exact: true }).click();
  await widget.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  const key = (await widget.locator('.lk-key code').textContent()).trim();
  await widget.getByLabel('Authentication code').fill('000000');
  await widget.getByRole('button', { name: 'Turn on' }).click();
  await widget.locator('#lk-code-error').filter({ hasText: 'Invalid code' }).waitFor();
  await widget.getByLabel('Authentication code').fill(totp(key));
  await widget.getByRole('button', { name: 'Turn on' }).click();
  const codes = widget.locator('.lk-code-list code');
  await codes.first().waitFor();
  assert.equal((await codes.allTextContents()).length, 10);
  await widget.getByText('On', { exact: true }).waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();

  await widget.getByRole('button', { name: 'Password', exact: true }).click();
  const newPassword = 'an entirely new passphrase';
  await widget.getByLabel('Current password').fill('not my password');
  await widget.getByRole('textbox', { name: 'Password', exact: true }).fill(newPassword);
  await widget.getByRole('button', { name: 'Change password' }).click();
  await widget.locator('#lk-current_password-error').filter({ hasText: 'Invalid password' }).waitFor();
  await widget.getByLabel('Current password').fill(PASSWORD);
  await widget.getByRole('button', { name: 'Change password' }).click();
  await widget.getByText('Your password was changed.').waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();

  // A fresh session adds a passkey without the password.
  await widget.getByRole('button', { name: 'Passkeys', exact: true }).click();
  await widget.getByText('No passkeys yet.').waitFor();
  await widget.getByLabel('Name', { exact: true }).fill('Laptop');
  await widget.getByRole('button', { name: 'Add a passkey' }).click();
  await widget.getByRole('button', { name: 'Rename: Laptop' }).click();
  assert.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length, 1);
  await widget.getByLabel('Name', { exact: true }).fill('Work laptop');
  await widget.getByRole('button', { name: 'Rename', exact: true }).click();
  await widget.getByRole('button', { name: 'Remove: Work laptop' }).click();
  await widget.getByText('No passkeys yet.').waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();

  // The new password, then the app's next code.
  await widget.getByRole('button', { name: 'Sign out' }).click();
  await submitSignIn(widget, email, newPassword);
  await widget.getByLabel('Authentication code').fill(totp(key, 1));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, 'Robin R.');
  assert.deepEqual(problems, []);
  await context.close();
});

test('account deletion: ticked, confirmed with the password, and the account is gone', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const email = freshEmail('delete');
  const widget = await signUp(page, demo, email, PASSWORD);
  await openSection(page, widget, 'Delete account');
  await widget.getByRole('button', { name: 'Delete my account' }).click();
  await widget.getByText('Tick the box to confirm.').waitFor();
  await widget.getByRole('checkbox').check();
  await widget.getByRole('button', { name: 'Delete my account' }).click();
  await confirmPassword(widget, PASSWORD);
  await widget.getByText('Your account has been deleted.').waitFor();

  await submitSignIn(widget, email, PASSWORD);
  await widget.getByRole('alert').filter({ hasText: 'The email or password is incorrect' }).waitFor();
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

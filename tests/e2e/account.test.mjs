// The signed-in account in the demo shop in Chromium, against the real reference
// backend: enrol TOTP from the shown key (after confirming the password), keep the
// recovery codes, sign in again with TOTP; add, rename and remove a passkey. (The
// profile, a second address and a new password run in every engine: tests/journeys/.)
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mailboxCode } from '../support/backend.mjs';
import { openPage } from '../support/browser.mjs';
import { withDemoShop } from '../support/demo.mjs';
import { totp } from '../support/totp.mjs';

const BACKEND_PORT = 9432;
const SHOP_PORT = 8512;
const SHOP = `http://localhost:${SHOP_PORT}`;
const demo = withDemoShop({ backendPort: BACKEND_PORT, shopPort: SHOP_PORT });

/** A fresh verified account, made with the widget's own sign-up. */
async function signUp(page, email, password) {
  await page.goto(`${SHOP}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('button', { name: 'Create an account' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('checkbox').check();
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(demo.backend.url, email));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('#account-name').filter({ hasText: email }).waitFor({ timeout: 15_000 });
  return widget;
}

async function signIn(page, widget, email, password) {
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('#account-name').filter({ hasText: email }).waitFor({ timeout: 15_000 });
}

/** Reopens the widget (signed in) and goes to one account section. */
async function openSection(page, widget, name) {
  await page.evaluate(() => document.getElementById('sign-in-dialog').showModal());
  await widget.getByRole('button', { name, exact: true }).click();
  await widget.getByRole('heading', { name }).waitFor();
}

async function confirmPassword(widget, password) {
  await widget.getByRole('heading', { name: "Confirm it's you" }).waitFor();
  await widget.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Confirm', exact: true }).click();
}

test('TOTP enrolment from the shown key, recovery codes, then sign-in with TOTP', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  const email = `totp-${Date.now()}@example.com`;
  const password = 'a passphrase for the app';
  const widget = await signUp(page, email, password);
  // A password sign-in, as a returning shopper would.
  await page.evaluate(() => document.getElementById('sign-in-dialog').showModal());
  await widget.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, widget, email, password);

  await openSection(page, widget, 'Two-step verification');
  await widget.getByRole('button', { name: 'Set up' }).click();
  const qr = widget.getByRole('img', { name: 'QR code for your authenticator app' });
  await qr.waitFor();
  assert.ok(Number(await qr.locator('path').evaluate((p) => p.getAttribute('d').length)) > 100);
  const key = (await widget.locator('.lk-key code').textContent()).trim();
  await widget.getByLabel('Authentication code').fill('000000');
  await widget.getByRole('button', { name: 'Turn on' }).click();
  await widget.locator('#lk-code-error').filter({ hasText: 'Incorrect code.' }).waitFor();
  await widget.getByLabel('Authentication code').fill(totp(key));
  await widget.getByRole('button', { name: 'Turn on' }).click();
  // A fresh sign-in is not enough for a new factor: the password again, then the
  // same request goes through.
  await confirmPassword(widget, password);

  const codes = widget.locator('.lk-code-list code');
  await codes.first().waitFor();
  const recovery = await codes.allTextContents();
  assert.equal(recovery.length, 10);
  const download = widget.getByRole('link', { name: 'Download' });
  assert.equal(await download.getAttribute('download'), 'recovery-codes.txt');
  assert.ok(decodeURIComponent(await download.getAttribute('href')).includes(recovery[0]));
  await widget.getByText('On', { exact: true }).waitFor();

  // Out, and back in with the app's next code.
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: 'Sign out' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.getByLabel('Authentication code').fill(totp(key, 1));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('#account-name').filter({ hasText: email }).waitFor({ timeout: 15_000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('passkeys: added with the virtual authenticator, renamed, used as second factor and to sign in, removed', async () => {
  const { page, problems, context } = await openPage(demo.browser);
  // A browser without passkey autofill: the button is the way in.
  await page.addInitScript(() => { PublicKeyCredential.isConditionalMediationAvailable = async () => false; });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  const email = `keys-${Date.now()}@example.com`;
  const password = 'a passphrase for the passkey';
  const widget = await signUp(page, email, password);

  await openSection(page, widget, 'Passkeys');
  await widget.getByText('No passkeys yet.').waitFor();
  await widget.getByLabel('Name', { exact: true }).fill('Laptop');
  await widget.getByRole('button', { name: 'Add a passkey' }).click();
  await confirmPassword(widget, password);
  await widget.getByRole('button', { name: 'Rename: Laptop' }).waitFor();
  assert.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length, 1);
  await widget.getByRole('button', { name: 'Rename: Laptop' }).click();
  await widget.getByLabel('Name', { exact: true }).fill('Work laptop');
  await widget.getByRole('button', { name: 'Rename', exact: true }).click();
  await widget.getByRole('button', { name: 'Remove: Work laptop' }).waitFor();

  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: 'Sign out' }).click();
  // The passkey is a second factor now: after the password, the widget asks for it.
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await widget.getByRole('button', { name: 'Continue with passkey' }).click();
  await page.locator('#account-name').filter({ hasText: email }).waitFor({ timeout: 15_000 });

  // And it signs in alone, without the password.
  await page.evaluate(() => document.getElementById('sign-in-dialog').showModal());
  await widget.getByRole('button', { name: 'Sign out' }).click();
  await widget.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.locator('#account-name').filter({ hasText: email }).waitFor({ timeout: 15_000 });

  await openSection(page, widget, 'Passkeys');
  await widget.getByRole('button', { name: 'Remove: Work laptop' }).click();
  await confirmPassword(widget, password);
  await widget.getByText('No passkeys yet.').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

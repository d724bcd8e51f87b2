// The widget's screens in order, for the accessibility test and the gallery.
import { mailboxCode } from './backend.mjs';
import { totp } from './totp.mjs';

async function openWidget(page, shop) {
  await page.goto(`${shop}/`);
  await page.locator('#sign-in').click();
  const widget = page.locator('latchkey-widget');
  await widget.locator('form').waitFor();
  return widget;
}

/**
 * Walks through every screen of the widget in the demo shop, driven by the English
 * labels, and calls `visit(label)` on each: the accessibility test audits them, the
 * gallery screenshots them. Makes a fresh account on the way.
 */
export async function everyScreen(page, { shop, backend }, visit) {
  const widget = await openWidget(page, shop);
  await visit('login');
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.locator('.lk-field-error').first().waitFor();
  await visit('login, empty fields');
  await widget.getByRole('button', { name: 'Forgot password?' }).click();
  await visit('forgot password');
  await widget.getByRole('button', { name: 'Back to sign in' }).click();
  await widget.getByRole('button', { name: 'Email me a sign-in code' }).click();
  await visit('login code request');
  await widget.getByRole('button', { name: 'Back to sign in' }).click();
  await widget.getByRole('button', { name: 'Create an account' }).click();
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.locator('.lk-field-error').first().waitFor();
  await visit('sign up, with errors');

  const email = `a11y-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  const password = 'an accessible passphrase';
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('checkbox').check();
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();
  await visit('verify email');
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(backend, email));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('#account-name').filter({ hasText: email }).waitFor({ timeout: 15_000 });

  await page.evaluate(() => document.getElementById('sign-in-dialog').showModal());
  await widget.getByRole('button', { name: 'Profile', exact: true }).waitFor();
  await visit('signed in');
  for (const section of ['Profile', 'Email addresses', 'Password', 'Passkeys']) {
    await widget.getByRole('button', { name: section, exact: true }).click();
    await widget.getByRole('heading', { name: section }).waitFor();
    await visit(section);
    await widget.getByRole('button', { name: 'Done' }).click();
  }
  await widget.getByRole('button', { name: 'Two-step verification', exact: true }).click();
  await widget.getByRole('button', { name: 'Set up' }).click();
  const qr = widget.getByRole('img', { name: 'QR code for your authenticator app' });
  await qr.waitFor();
  await visit('authenticator set-up');
  const key = (await widget.locator('.lk-key code').textContent()).trim();
  await widget.getByLabel('Authentication code').fill(totp(key));
  await widget.getByRole('button', { name: 'Turn on' }).click();
  // A new factor needs the password again (signing up does not count).
  await widget.getByRole('heading', { name: "Confirm it's you" }).waitFor();
  await visit('reauthenticate');
  await widget.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Confirm', exact: true }).click();
  await widget.locator('.lk-code-list').waitFor();
  await visit('recovery codes');
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: 'Sign out' }).click();

  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await widget.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await visit('second factor');
  await widget.getByRole('button', { name: 'Back to sign in' }).click();
  await widget.getByRole('button', { name: 'Forgot password?' }).click();
  await widget.getByRole('button', { name: 'Email me a code' }).click();
  await widget.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await visit('reset password');
}

// The widget's screens in order, for the accessibility test and the gallery.
import { mailboxCode } from './backend.mjs';
import { stringsFor } from './strings.mjs';
import { totp } from './totp.mjs';

/**
 * Walks through every screen of the widget in the demo shop and calls `visit(label)`
 * on each: the accessibility test audits them, the gallery screenshots them. The
 * page's browser language must be `locale` (the shop leaves the choice to the
 * browser); controls are found by their text in it. Makes a fresh account on the way.
 */
export async function everyScreen(page, { shop, backend, locale = 'en' }, visit) {
  const t = await stringsFor(locale);
  const widget = page.locator('latchkey-widget');
  const button = (key) => widget.getByRole('button', { name: t[key], exact: true });
  const heading = (key) => widget.getByRole('heading', { name: t[key], exact: true });
  const field = (key) => widget.getByRole('textbox', { name: t[key], exact: true });

  await page.goto(`${shop}/`);
  await page.locator('#sign-in').click();
  await heading('sign_in_title').waitFor();
  await visit('login');
  await button('submit').click();
  await widget.locator('.lk-field-error').first().waitFor();
  await visit('login, empty fields');
  await button('forgot_password').click();
  await heading('forgot_title').waitFor();
  await visit('forgot password');
  await button('back_to_sign_in').click();
  await button('email_me_a_code').click();
  await heading('login_code_title').waitFor();
  await visit('login code request');
  await button('back_to_sign_in').click();
  await button('create_account').click();
  await button('sign_up_submit').click();
  await widget.locator('.lk-field-error').first().waitFor();
  await visit('sign up, with errors');

  const email = `screens-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  const password = 'an accessible passphrase';
  await field('email_label').fill(email);
  await field('new_password_label').fill(password);
  await widget.getByRole('checkbox').check();
  await button('sign_up_submit').click();
  await heading('verify_title').waitFor();
  await visit('verify email');
  await field('code_label').fill(await mailboxCode(backend, email));
  await button('verify_submit').click();
  await page.locator('#account-name').filter({ hasText: email }).waitFor({ timeout: 15_000 });

  await page.evaluate(() => document.getElementById('sign-in-dialog').showModal());
  await button('profile_title').waitFor();
  await visit('signed in');
  for (const section of ['profile_title', 'emails_title', 'password_title', 'passkeys_title']) {
    await button(section).click();
    await heading(section).waitFor();
    await visit(section.replace('_title', ''));
    await button('done').click();
  }
  await button('mfa_section_title').click();
  await button('totp_set_up').click();
  await widget.getByRole('img', { name: t.totp_qr_label }).waitFor();
  await visit('authenticator set-up');
  const key = (await widget.locator('.lk-key code').textContent()).trim();
  await field('totp_label').fill(totp(key));
  await button('totp_activate').click();
  // A new factor needs the password again (signing up does not count).
  await heading('reauth_title').waitFor();
  await visit('reauthenticate');
  await field('password_label').fill(password);
  await button('confirm').click();
  await widget.locator('.lk-code-list').waitFor();
  await visit('recovery codes');
  await button('done').click();
  await button('sign_out').click();

  await field('email_label').fill(email);
  await field('password_label').fill(password);
  await button('submit').click();
  await heading('mfa_title').waitFor();
  await visit('second factor');
  await button('back_to_sign_in').click();
  await button('forgot_password').click();
  await button('send_code').click();
  await heading('reset_title').waitFor();
  await visit('reset password');
}

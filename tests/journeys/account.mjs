// The signed-in account, each part where the backend has it: the profile and a new
// password (after a wrong current one), which then signs in; a second address
// verified with the mailed code and made primary, which then signs in; an
// authenticator app set up from the shown key behind "confirm it's you", with its
// recovery codes, then signing in with it; and deleting the account.
import assert from 'node:assert/strict';

import { totp } from '../support/totp.mjs';
import {
  confirmIfAsked, confirmPassword, fill, firstShown, literal, openSection, openSignIn, signedInAs, signIn, signUp,
  uniqueEmail,
} from './steps.mjs';

export default [{
  title: 'account: the profile, then a new password after a wrong current one; it signs in',
  needs: ['Profile', 'PasswordChange'],
  errors: ['input_rejected'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    const widget = tab.widget;
    const email = uniqueEmail('profile');
    const password = 'a passphrase for the profile';
    await signUp(tab, env, email, password);

    await openSection(tab, env, t.profile_title);
    await widget.field(new RegExp(`^${t.first_name_label}`)).fill('Robin');
    await widget.field(new RegExp(`^${t.display_name_label}`)).fill('Robin R.');
    await widget.button(t.save).click();
    await widget.text(t.saved).waitFor();
    const profile = await env.backend.api(tab).profile();
    assert.deepEqual([profile.firstName, profile.displayName], ['Robin', 'Robin R.']);
    await widget.button(t.done).click();

    await widget.button(t.password_title).click();
    const current = widget.field(t.current_password_label);
    const newPassword = widget.field(t.new_password_label);
    await current.fill('not my password');
    await newPassword.fill('an entirely new passphrase');
    await widget.button(t.change_password).click();
    await widget.role('alert').waitFor();
    assert.equal(await current.attribute('aria-invalid'), 'true');
    assert.equal(await newPassword.value(), 'an entirely new passphrase', 'what was typed stays');
    await current.fill(password);
    await widget.button(t.change_password).click();
    await widget.text(t.password_saved).waitFor();

    await widget.button(t.done).click();
    await widget.button(t.sign_out).click();
    await signIn(tab, env, email, 'an entirely new passphrase');
    await signedInAs(tab, 'Robin R.');
  },
}, {
  title: 'account: a second address, verified with the mailed code and made primary; it signs in',
  needs: ['EmailAddresses'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    const widget = tab.widget;
    const email = uniqueEmail('first');
    const password = 'a passphrase for two addresses';
    await signUp(tab, env, email, password);

    const second = uniqueEmail('second');
    await openSection(tab, env, t.emails_title);
    await widget.field(t.new_email_label).fill(second);
    await widget.button(t.add_email).click();
    await confirmPassword(tab, env, password);
    await widget.text(fill(t.verify_new_email, second)).waitFor();
    await widget.field(t.code_label).fill(await env.backend.mailboxCode(second));
    await widget.button(t.verify_submit).click();
    await widget.button(`${t.make_primary}: ${second}`).click();
    await widget.button(`${t.remove}: ${email}`).click();
    await widget.button(`${t.remove}: ${email}`).waitFor({ state: 'hidden' });
    await widget.text(new RegExp(`^${literal(second)} ?${t.email_primary}$`)).waitFor();

    await widget.button(t.done).click();
    await widget.button(t.sign_out).click();
    await signIn(tab, env, second, password);
    await signedInAs(tab, second);
  },
}, {
  title: 'account: an authenticator app from the shown key, behind "confirm it\'s you"; recovery codes; then it signs in',
  needs: ['Totp', 'RecoveryCodes'],
  errors: ['input_rejected', 'invalid_credentials'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    const widget = tab.widget;
    const email = uniqueEmail('totp');
    const password = 'a passphrase for the app';
    await signUp(tab, env, email, password);

    // A new factor wants the password, however fresh the session: a wrong one is
    // refused first. Whether it is asked before the key is shown or after the first
    // code is the backend's rule.
    const confirmAfterWrongPassword = async () => {
      await widget.heading(t.reauth_title).waitFor();
      await widget.field(t.password_label).fill('not my password');
      await widget.button(t.confirm).click();
      await widget.role('alert').waitFor();
      assert.equal(await widget.heading(t.reauth_title).isVisible(), true, 'still asked');
      await confirmPassword(tab, env, password);
    };
    await openSection(tab, env, t.mfa_section_title);
    await widget.button(t.totp_set_up).click();
    const qr = widget.role('img', t.totp_qr_label);
    const askedFirst = await firstShown([widget.heading(t.reauth_title), qr]) === 0;
    if (askedFirst) await confirmAfterWrongPassword();
    await qr.waitFor();
    assert.ok(await qr.evaluate((svg) => svg.querySelector('path').getAttribute('d').length) > 100, 'a QR code is drawn');
    const key = (await widget.css('.lk-key code').text()).trim();
    const code = widget.field(t.totp_label);
    await code.fill('000000');
    await widget.button(t.totp_activate).click();
    await widget.role('alert').waitFor();
    assert.equal(await code.attribute('aria-invalid'), 'true');
    await code.fill(totp(key));
    await widget.button(t.totp_activate).click();
    const codeList = widget.css('.lk-code-list');
    if (!askedFirst && await firstShown([widget.heading(t.reauth_title), codeList]) === 0) await confirmAfterWrongPassword();
    await codeList.waitFor();

    const recovery = await codeList.evaluate((list) => [...list.querySelectorAll('code')].map((c) => c.textContent));
    assert.equal(recovery.length, 10);
    const download = widget.role('link', t.recovery_download);
    assert.equal(await download.attribute('download'), 'recovery-codes.txt');
    assert.ok(decodeURIComponent(await download.attribute('href')).includes(recovery[0]));
    await widget.text(t.totp_on).waitFor();

    // Out, and back in with the app's next code.
    await widget.button(t.done).click();
    await widget.button(t.sign_out).click();
    await signIn(tab, env, email, password);
    await widget.field(t.totp_label).fill(totp(key, 1));
    await widget.button(t.verify_submit).click();
    await signedInAs(tab, email);
  },
}, {
  title: 'account deletion: ticked, confirmed with the password, and the account is gone',
  needs: ['AccountDeletion'],
  errors: ['invalid_input', 'invalid_credentials'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    const widget = tab.widget;
    const email = uniqueEmail('delete');
    const password = 'a passphrase to delete';
    await signUp(tab, env, email, password);
    await openSection(tab, env, t.delete_title);
    await widget.button(t.delete_submit).click();
    await widget.text(t.delete_confirm_required).waitFor();
    await widget.checkbox(t.delete_confirm_label).check();
    await widget.button(t.delete_submit).click();
    await confirmIfAsked(tab, env, password, widget.text(t.account_deleted));
    assert.equal(await env.backend.api(tab).user(), null, 'signed out at the backend');

    await openSignIn(tab, env);
    await signIn(tab, env, email, password);
    await widget.text(t.invalid_credentials).waitFor();
  },
}];

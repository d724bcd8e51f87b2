// Mailed codes instead of a password: forgot password (the code and a new password;
// the old one stops working), passwordless sign-in, and an address not verified yet
// (the right password leads to the code screen).
import assert from 'node:assert/strict';

import { SEED_EMAIL, SEED_NAME } from '../support/backend.mjs';
import { arrangeAccount, openSignIn, signedInAs, signIn, uniqueEmail } from './steps.mjs';

export default [{
  title: 'forgot password: the mailed code and a new password; the old one is refused, the new one signs in',
  needs: ['PasswordReset'],
  errors: ['invalid_credentials'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    const widget = tab.widget;
    const email = uniqueEmail('forgetful');
    await arrangeAccount(tab, env, email, 'the first passphrase');

    await openSignIn(tab, env);
    await widget.field(t.email_label).fill(email);
    await widget.button(t.forgot_password).click();
    await widget.heading(t.forgot_title).waitFor();
    assert.equal(await widget.field(t.email_label).value(), email, 'the address came along');
    await widget.button(t.send_code).click();
    await widget.heading(t.reset_title).waitFor();
    await widget.field(t.code_label).fill(await env.backend.mailboxCode(email));
    await widget.field(t.new_password_label).fill('the second, longer passphrase');
    await widget.button(t.reset_submit).click();

    await widget.text(t.password_changed).waitFor();
    await signIn(tab, env, email, 'the first passphrase');
    await widget.text(t.invalid_credentials).waitFor();
    await signIn(tab, env, email, 'the second, longer passphrase');
    await signedInAs(tab, email);
  },
}, {
  title: 'passwordless: a mailed code signs the seeded user in',
  needs: ['LoginByCode'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    const widget = tab.widget;
    await openSignIn(tab, env);
    await widget.button(t.email_me_a_code).click();
    await widget.heading(t.login_code_title).waitFor();
    await widget.field(t.email_label).fill(SEED_EMAIL);
    await widget.button(t.send_code).click();
    await widget.field(t.code_label).waitFor();
    await widget.field(t.code_label).fill(await env.backend.mailboxCode(SEED_EMAIL));
    await widget.button(t.submit).click();
    await signedInAs(tab, SEED_NAME);
  },
}, {
  title: 'an unverified address: the right password leads to the code screen; the mailed code signs in',
  needs: ['SignUp'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    const email = uniqueEmail('unverified');
    const password = 'a passphrase not yet verified';
    await arrangeAccount(tab, env, email, password, { verify: false });
    await openSignIn(tab, env);
    await signIn(tab, env, email, password);
    await tab.widget.heading(t.verify_title).waitFor();
    await tab.widget.field(t.code_label).fill(await env.backend.mailboxCode(email));
    await tab.widget.button(t.verify_submit).click();
    await signedInAs(tab, email);
  },
}];

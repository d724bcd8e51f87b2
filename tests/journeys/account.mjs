// The signed-in account: edit the profile; add a second address, confirm the change
// with the password, verify the address with the mailed code and make it primary;
// change the password after a wrong current one. Then the new address and password
// sign in.
import assert from 'node:assert/strict';

import { mailboxCode } from '../support/backend.mjs';
import { confirmPassword, fill, literal, openSection, signedInAs, signIn, signUp, uniqueEmail } from './steps.mjs';

export default [{
  title: 'account: profile, a second verified address made primary, and a new password',
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
    const profile = await tab.evaluate(async (url) => (await (await fetch(`${url}/api/profile`, { credentials: 'include' })).json()).data, env.backend);
    assert.equal(profile.first_name, 'Robin');
    assert.equal(profile.display_name, 'Robin R.');
    await widget.button(t.done).click();

    const second = uniqueEmail('second');
    await widget.button(t.emails_title).click();
    await widget.field(t.new_email_label).fill(second);
    await widget.button(t.add_email).click();
    await confirmPassword(tab, env, password);
    await widget.text(fill(t.verify_new_email, second)).waitFor();
    await widget.field(t.code_label).fill(await mailboxCode(env.backend, second));
    await widget.button(t.verify_submit).click();
    await widget.button(`${t.make_primary}: ${second}`).click();
    await widget.button(`${t.remove}: ${email}`).click();
    await widget.button(`${t.remove}: ${email}`).waitFor({ state: 'hidden' });
    await widget.text(new RegExp(`^${literal(second)} ?${t.email_primary}$`)).waitFor();
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

    // The new address and password sign in.
    await widget.button(t.done).click();
    await widget.button(t.sign_out).click();
    await signIn(tab, env, second, 'an entirely new passphrase');
    await signedInAs(tab, 'Robin R.');
  },
}];

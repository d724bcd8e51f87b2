// Sign-up: the terms, a short password, then the mailed code signs the new shopper
// in; the optional names the shop asks for are saved at the backend before the code
// exchange, so they are in the ID token. And the same with the keyboard only.
import assert from 'node:assert/strict';

import { fill, openSignIn, pattern, signedIn, signedInUser, uniqueEmail } from './steps.mjs';

export default [{
  title: 'sign up: terms, a short password, then the mailed code signs the shopper in',
  needs: ['SignUp'],
  errors: ['password_length', 'input_rejected'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    const widget = tab.widget;
    await openSignIn(tab, env);
    await widget.button(t.create_account).click();
    await widget.heading(t.sign_up_title).waitFor();
    const email = uniqueEmail('new');
    await widget.field(t.email_label).fill(email);
    await widget.field(t.new_password_label).fill('too short');
    await widget.button(t.sign_up_submit).click();

    // The terms come first, next to their checkbox; nothing typed is lost.
    const terms = widget.checkbox(t.terms_label);
    await widget.text(t.terms_required).waitFor();
    assert.equal(await terms.description(), t.terms_required);
    assert.equal(await terms.attribute('aria-invalid'), 'true');
    await terms.check();
    await widget.button(t.sign_up_submit).click();
    const password = widget.field(t.new_password_label);
    const tooShort = t.password_length.replace('{min}', 15).replace('{max}', 256);
    await widget.text(tooShort).waitFor();
    assert.match(await password.description(), new RegExp(`${tooShort}$`));
    assert.equal(await widget.field(t.email_label).value(), email);
    assert.equal(await tab.focused(), 'lk-password');

    // The shop asks for a name too (optional); it is saved once the account is signed in.
    await widget.field(new RegExp(`^${t.first_name_label}`)).fill('Robin');
    await widget.field(new RegExp(`^${t.last_name_label}`)).fill('Signup');
    // The strength hint rewards length only.
    await password.fill('a long and happy passphrase');
    await widget.text(new RegExp(`^${t.strength_label}: (${t.strength_good}|${t.strength_strong})$`)).waitFor();
    await widget.button(t.sign_up_submit).click();

    await widget.heading(t.verify_title).waitFor();
    assert.equal(await widget.text(pattern(t.verify_intro)).text(), fill(t.verify_intro, email));
    assert.equal(await widget.button(pattern(t.resend_in)).isDisabled(), true, 'resend waits for its cooldown');
    const code = widget.field(t.code_label);
    await code.fill('WRONG-CODE');
    await widget.button(t.verify_submit).click();
    await widget.role('alert').waitFor();
    assert.equal(await code.attribute('aria-invalid'), 'true');
    // Pasted with stray spaces, as from an email.
    await code.fill(` ${await env.backend.mailboxCode(email)} `);
    await widget.button(t.verify_submit).click();
    await signedIn(tab);
    const { firstName, lastName } = await env.backend.api(tab).profile();
    assert.deepEqual([firstName, lastName], ['Robin', 'Signup']);
    const user = await signedInUser(tab);
    assert.deepEqual([user.email, user.given_name, user.family_name], [email, 'Robin', 'Signup']);
  },
}, {
  title: 'keyboard only: sign up, from the link to the code',
  needs: ['SignUp'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    await openSignIn(tab, env);
    // Tab from the email field to "Create an account", past the other links.
    await tab.widget.field(t.email_label).focus();
    for (let i = 0; i < 12 && (await tab.focused()) !== t.create_account; i++) await tab.press('Tab');
    assert.equal(await tab.focused(), t.create_account);
    await tab.press('Enter');
    await tab.widget.heading(t.sign_up_title).waitFor();
    assert.equal(await tab.focused(), 'lk-email', 'the new screen starts at its first field');
    const email = uniqueEmail('keys-only');
    await tab.type(email);
    await tab.press('Tab');
    assert.equal(await tab.focused(), 'lk-first_name', 'the optional name fields come next');
    await tab.type('Kim');
    await tab.press('Tab');
    await tab.press('Tab');
    assert.equal(await tab.focused(), 'lk-password');
    await tab.type('typed without a mouse, all of it');
    await tab.press('Tab'); // the reveal button
    await tab.press('Tab');
    assert.equal(await tab.focused(), 'lk-terms');
    await tab.press('Space');
    await tab.press('Enter');
    await tab.widget.heading(t.verify_title).waitFor();
    assert.equal(await tab.focused(), 'lk-code');
    await tab.type(await env.backend.mailboxCode(email));
    await tab.press('Enter');
    await signedIn(tab);
    const user = await signedInUser(tab);
    assert.deepEqual([user.email, user.given_name], [email, 'Kim']);
  },
}];

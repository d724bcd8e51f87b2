// Passkeys, with the engine's virtual authenticator (Chromium): a passkey arranged
// through the backend's API signs in from the email field's autofill, and with the
// button; one added in the account is renamed, signs in alone and is removed; where
// the backend takes a passkey as a second factor, it follows the password.
import assert from 'node:assert/strict';

import {
  arrangeAccount, confirmIfAsked, openSection, openSignIn, signedInAs, signIn, signUp, uniqueEmail,
} from './steps.mjs';

const PASSWORD = 'a passphrase before the passkey';

export default [{
  title: 'passkey sign-in: picked from the email field\'s autofill, and with the button',
  needs: ['PasskeyLogin', 'Passkeys'],
  driver: ['virtualAuthenticator'],
  async run(env) {
    // The shop opens the dialog with the focus in the email field, where the
    // browser offers the passkey at once; the virtual authenticator picks it, as a
    // shopper choosing it from the autofill list would.
    const autofill = await (await env.openProfile()).newTab();
    await autofill.virtualAuthenticator();
    const email = uniqueEmail('autofill');
    await arrangeAccount(autofill, env, email, PASSWORD, { passkey: true });
    await autofill.goto(`${env.shop}/`);
    await autofill.page.button('Sign in').click();
    await signedInAs(autofill, email);

    // A browser without passkey autofill: the button is the way in.
    const button = await (await env.openProfile({ passkeyAutofill: false })).newTab();
    await button.virtualAuthenticator();
    const other = uniqueEmail('button');
    await arrangeAccount(button, env, other, PASSWORD, { passkey: true });
    await openSignIn(button, env);
    await button.widget.button(env.t.passkey_sign_in).click();
    await signedInAs(button, other);
  },
}, {
  title: 'passkeys in the account: added, renamed, signing in alone, removed',
  needs: ['Passkeys', 'PasskeyLogin'],
  driver: ['virtualAuthenticator'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile({ passkeyAutofill: false })).newTab();
    const widget = tab.widget;
    const authenticator = await tab.virtualAuthenticator();
    const email = uniqueEmail('keys');
    await signUp(tab, env, email, PASSWORD);

    await openSection(tab, env, t.passkeys_title);
    await widget.text(t.passkeys_none).waitFor();
    await widget.field(t.passkey_name_label).fill('Laptop');
    await widget.button(t.passkey_add).click();
    await confirmIfAsked(tab, env, PASSWORD, widget.button(`${t.rename}: Laptop`));
    assert.equal(await authenticator.credentials(), 1);
    await widget.button(`${t.rename}: Laptop`).click();
    await widget.field(t.passkey_name_label).fill('Work laptop');
    await widget.button(t.rename).click();
    await widget.button(`${t.remove}: Work laptop`).waitFor();

    await widget.button(t.done).click();
    await widget.button(t.sign_out).click();
    await widget.button(t.passkey_sign_in).click();
    await signedInAs(tab, email);

    await openSection(tab, env, t.passkeys_title);
    await widget.button(`${t.remove}: Work laptop`).click();
    await confirmIfAsked(tab, env, PASSWORD, widget.text(t.passkeys_none));
  },
}, {
  title: 'passkey as the second factor: after the password, the widget asks for it',
  needs: ['Passkeys', 'PasskeySecondFactor'],
  driver: ['virtualAuthenticator'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile({ passkeyAutofill: false })).newTab();
    await tab.virtualAuthenticator();
    const email = uniqueEmail('second-key');
    await arrangeAccount(tab, env, email, PASSWORD, { passkey: true });
    await openSignIn(tab, env);
    await signIn(tab, env, email, PASSWORD);
    await tab.widget.heading(t.mfa_title).waitFor();
    await tab.widget.button(t.passkey_continue).click();
    await signedInAs(tab, email);
  },
}];

// The screens offer what the backend's adapter declares, as its descriptor lists it
// (tests/support/backends.mjs), and nothing else: the sign-in screen's ways in, the
// sign-up screen's passkey option, the account's sections. Passkeys only where the
// browser has WebAuthn. So the descriptor cannot drift from what the widget does.
import assert from 'node:assert/strict';

import { SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { has } from '../support/backends.mjs';
import { openSignIn, reopenWidget, signedInAs, signIn } from './steps.mjs';

const PASSKEYS = ['PasskeyLogin', 'PasskeySignUp', 'Passkeys'];

/** `{ text: shown }` for each control `texts` names in the tab's widget. */
async function shown(tab, texts) {
  return Object.fromEntries(await Promise.all(texts.map(async (text) => [text, await tab.widget.button(text).isVisible()])));
}

export default [{
  title: 'what is offered: the ways in, the sign-up options and the account sections follow the backend\'s capabilities',
  async run(env) {
    const { t, backend } = env;
    const tab = await (await env.openProfile()).newTab();
    await openSignIn(tab, env);
    const webauthn = await tab.evaluate(() => 'PublicKeyCredential' in window);
    const offers = (...needs) => needs.some((need) => has(backend, need) && (webauthn || !PASSKEYS.includes(need)));
    const expect = async (what, table) => {
      const wanted = Object.fromEntries(Object.entries(table).map(([text, needs]) => [text, offers(...needs)]));
      assert.deepEqual(await shown(tab, Object.keys(table)), wanted, `${what} (${backend.name}, WebAuthn: ${webauthn})`);
    };

    await expect('sign-in', {
      [t.forgot_password]: ['PasswordReset'],
      [t.email_me_a_code]: ['LoginByCode'],
      [t.passkey_sign_in]: ['PasskeyLogin'],
      [t.continue_with.replace('{}', 'Demo ID')]: ['SocialLogin'],
      [t.create_account]: ['SignUp', 'PasskeySignUp'],
    });
    await tab.widget.button(t.create_account).click();
    await tab.widget.heading(t.sign_up_title).waitFor();
    await expect('sign-up', { [t.passkey_sign_up]: ['PasskeySignUp'] });

    await tab.widget.button(t.sign_in_title).click();
    await tab.widget.heading(t.sign_in_title).waitFor();
    await signIn(tab, env, SEED_EMAIL, SEED_PASSWORD);
    await signedInAs(tab, SEED_NAME);
    await reopenWidget(tab);
    await tab.widget.button(t.sign_out).waitFor();
    await expect('account', {
      [t.profile_title]: ['Profile'],
      [t.emails_title]: ['EmailAddresses'],
      [t.password_title]: ['PasswordChange'],
      [t.mfa_section_title]: ['Totp', 'RecoveryCodes'],
      [t.passkeys_title]: ['Passkeys'],
      [t.delete_title]: ['AccountDeletion'],
    });
  },
}];

// The second factor: an account with an authenticator app (enrolled through the
// backend's API) signs in with a TOTP code computed as the app would, after a wrong
// one; then with a recovery code, switching factors on the way.
import assert from 'node:assert/strict';

import { totp } from '../support/totp.mjs';
import { arrangeAccount, openSignIn, signedInAs, signIn, signOutFromHeader, uniqueEmail } from './steps.mjs';

export default [{
  title: 'second factor: TOTP, then a recovery code, switching between them',
  needs: ['Totp', 'RecoveryCodes'],
  errors: ['input_rejected'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    const email = uniqueEmail('mfa');
    const password = 'a passphrase with a second factor';
    const { secret, recoveryCodes } = await arrangeAccount(tab, env, email, password, { totp: true });

    const toSecondFactor = async () => {
      await openSignIn(tab, env);
      await signIn(tab, env, email, password);
      await tab.widget.heading(t.mfa_title).waitFor();
    };
    await toSecondFactor();
    const code = tab.widget.field(t.totp_label);
    assert.equal(await code.attribute('inputmode'), 'numeric');
    await code.fill('000000');
    await tab.widget.button(t.verify_submit).click();
    await tab.widget.role('alert').waitFor();
    assert.equal(await code.attribute('aria-invalid'), 'true');
    assert.equal(await code.value(), '000000', 'what was typed stays');
    // The next window's code: the one used at enrolment cannot be used twice.
    await code.fill(totp(secret, 1));
    await tab.widget.button(t.verify_submit).click();
    await signedInAs(tab, email);

    await signOutFromHeader(tab);
    await toSecondFactor();
    await tab.widget.button(t.use_recovery).click();
    await tab.widget.field(t.recovery_label).fill(recoveryCodes[0]);
    await tab.widget.button(t.verify_submit).click();
    await signedInAs(tab, email);
  },
}];

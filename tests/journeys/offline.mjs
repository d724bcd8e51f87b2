// Offline: the sign-in form keeps what was typed, says the service is out of reach,
// and its "Try again" finishes the sign-in once the network is back.
import assert from 'node:assert/strict';

import { SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { openSignIn, signedInAs, signIn } from './steps.mjs';

export default [{
  title: 'offline: the form keeps its input, says so, and "Try again" finishes once back online',
  driver: ['offline'],
  errors: ['network_error'],
  // Firefox reports the request that found no network as a failed CORS request.
  browserReports: [/^Cross-Origin Request Blocked: .* \(Reason: CORS request did not succeed\)/],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    await openSignIn(tab, env);
    await tab.setOffline(true);
    await signIn(tab, env, SEED_EMAIL, SEED_PASSWORD);
    const alert = tab.widget.role('alert');
    await alert.waitFor();
    assert.equal(await alert.text(), `${t.network} ${t.retry}`);
    assert.equal(await tab.widget.field(t.password_label).value(), SEED_PASSWORD);
    await tab.setOffline(false);
    await tab.widget.button(t.retry).click();
    await signedInAs(tab, SEED_NAME);
    assert.equal(await alert.isVisible(), false);
  },
}];

// Two tabs of one browser profile: a second tab of the shop gets the session from the
// first (BroadcastChannel, Web Locks), and signing out from the shop's header in one
// tab ends the backend's session and signs the other tab out too.
import assert from 'node:assert/strict';

import { SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { openSignIn, signedInAs, signIn } from './steps.mjs';

const backendSession = (tab, backend) => tab.evaluate(async (url) =>
  (await fetch(`${url}/_allauth/browser/v1/auth/session`, { credentials: 'include' })).status, backend);

export default [{
  title: 'two tabs: the second gets the session; signing out in one signs out the other',
  async run(env) {
    const profile = await env.openProfile();
    const first = await profile.newTab();
    await openSignIn(first, env);
    await signIn(first, env, SEED_EMAIL, SEED_PASSWORD);
    await signedInAs(first, SEED_NAME);
    const second = await profile.newTab(`${env.shop}/`);
    await signedInAs(second, SEED_NAME);

    await first.page.css('#account-menu summary').click();
    await first.page.button('Sign out').click();
    await first.page.button('Sign in').waitFor();
    await second.page.button('Sign in').waitFor();
    assert.equal(await second.page.css('#account-menu').isVisible(), false, 'the other tab is signed out');
    await first.waitFor(async (url) => (await fetch(`${url}/_allauth/browser/v1/auth/session`, { credentials: 'include' })).status === 401,
      env.backend, { what: 'the backend session to end' });
    assert.equal(await backendSession(second, env.backend), 401, 'the backend session is over for both tabs');
  },
}];

// Two tabs of one browser profile: a second tab of the shop gets the session from the
// first (BroadcastChannel, Web Locks), and signing out from the shop's header in one
// tab ends the backend's session and signs the other tab out too.
import assert from 'node:assert/strict';

import { SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { openSignIn, signedInAs, signIn, signOutFromHeader } from './steps.mjs';

const SIGN_OUT_TIMEOUT = 15_000;

/** Waits until the backend's own API, asked from `tab`, knows no user any more. */
async function backendSignedOut(tab, backend) {
  const deadline = Date.now() + SIGN_OUT_TIMEOUT;
  while (await backend.api(tab).user()) {
    if (Date.now() > deadline) throw new Error(`the ${backend.name} session did not end`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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
    assert.ok(await env.backend.api(second).user(), 'signed in at the backend');

    await signOutFromHeader(first);
    await second.page.button('Sign in').waitFor();
    assert.equal(await second.page.css('#account-menu').isVisible(), false, 'the other tab is signed out');
    await backendSignedOut(first, env.backend);
    assert.equal(await env.backend.api(second).user(), null, 'the backend session is over for both tabs');
  },
}];

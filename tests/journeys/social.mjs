// A social provider: "Continue with Demo ID" goes through the backend's redirect flow
// to its stand-in provider, which asks who you are on its own page, and back signed
// in; cancelling there brings the shopper back to the widget, told so.
import assert from 'node:assert/strict';

import { openSignIn, signedInAs, signOutFromHeader } from './steps.mjs';

const PROVIDER = 'Demo ID';
const onProviderPage = (url) => url.pathname.includes('/accounts/dummy/authenticate/');

export default [{
  title: 'a social provider: the redirect flow through the backend signs in; a cancel says so',
  needs: ['SocialLogin'],
  errors: ['provider_login_failed'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab();
    await openSignIn(tab, env);
    await tab.widget.button(t.continue_with.replace('{}', PROVIDER)).click();
    await tab.waitForUrl(onProviderPage);
    const email = `social-${Date.now()}@example.com`;
    await tab.page.css('input[name=id]').fill(String(Date.now() % 1_000_000));
    await tab.page.css('input[name=email]').fill(email);
    await tab.page.css('input[name=email_verified]').check();
    await tab.page.button('Login').click();
    await signedInAs(tab, email);
    assert.equal(new URL(await tab.url()).search, '', 'nothing left in the address bar');

    await signOutFromHeader(tab);
    await tab.page.button('Sign in').click();
    await tab.widget.button(t.continue_with.replace('{}', PROVIDER)).click();
    await tab.waitForUrl(onProviderPage);
    await tab.page.button('Cancel').click();
    await tab.widget.text(t.provider_failed).waitFor();
  },
}];

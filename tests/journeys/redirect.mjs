// The session API of a shop's own code (createClient, on tests/fixtures/session.html):
// a redirect login through the provider's login page (the widget) and back to the
// callback; then callbacks that must fail without a session: a replayed callback URL,
// a tampered state, and a callback with no login pending.
import assert from 'node:assert/strict';

import { SEED_EMAIL, SEED_PASSWORD } from '../support/backend.mjs';
import { signIn } from './steps.mjs';

/** Opens the session page at `path` and waits until its client knows its session. */
async function openSessionPage(profile, env, path = '/') {
  const tab = await profile.newTab(`${env.sessionShop}${path}`);
  await tab.waitFor(() => document.documentElement.dataset.ready, undefined, { what: 'the page\'s client' });
  return tab;
}

/** login() from the page; resolves on the provider's login page (the shop's /login). */
async function startLogin(tab) {
  // Not awaited in the page: the navigation ends the script's page.
  await tab.evaluate(() => { window.latchkey.login(); });
  await tab.waitForUrl((url) => url.pathname === '/login');
}

/** What the page's handleRedirectCallback() gave: `{ returnTo, user }` or `{ error }`. */
const callbackResult = (tab) => tab.waitFor(() => window.callback, undefined, { what: 'the callback to be handled' });
const authenticated = (tab) => tab.evaluate(() => window.latchkey.isAuthenticated());

/** The token requests of `profile`, where its engine shows requests (to the session page's own backend). */
const tokenRequests = (profile, { paths }) => profile.requests
  ?.filter((r) => r.method === 'POST' && new URL(r.url).pathname === paths.token);

/** A full redirect login in a new tab of `profile`; returns the tab and the callback's URL. */
async function redirectLogin(profile, env) {
  const tab = await openSessionPage(profile, env);
  await startLogin(tab);
  await tab.widget.heading(env.t.sign_in_title).waitFor();
  await signIn(tab, env, SEED_EMAIL, SEED_PASSWORD);
  // Not the address bar: the page may leave /callback for where login() started
  // before a poll of the address sees it.
  const result = await callbackResult(tab);
  assert.equal(result.error, undefined, JSON.stringify(result.error));
  // The address the provider sent the browser to, before the page cleaned it up.
  const callbackUrl = await tab.evaluate(() => performance.getEntriesByType('navigation')[0].name);
  assert.match(callbackUrl, /\/callback\?(.+&)?code=/);
  return { tab, result, callbackUrl };
}

export default [{
  title: 'createClient: redirect login with code + PKCE, the user from the ID token, the code gone from the address bar',
  async run(env) {
    const profile = await env.openProfile();
    const { tab, result } = await redirectLogin(profile, env);
    assert.equal(result.user.email, SEED_EMAIL);
    assert.equal(await authenticated(tab), true);
    assert.equal(new URL(await tab.url()).search, '', 'no code or state left in the address');
    const user = await tab.evaluate(() => window.latchkey.getUser({ userinfo: true }));
    assert.equal(user.email, SEED_EMAIL);
    assert.equal(await tab.evaluate(() => window.events.filter((e) => e.name === 'login').length), 1);
    if (profile.requests) {
      const [exchange, ...more] = tokenRequests(profile, env.backend);
      assert.equal(more.length, 0, 'one token request');
      const form = new URLSearchParams(exchange.body);
      assert.equal(form.get('grant_type'), 'authorization_code');
      assert.match(form.get('code_verifier'), /^[A-Za-z0-9_-]{43}$/);
    }
  },
}, {
  title: 'createClient: a replayed callback, a tampered state and a callback with nothing pending fail without a session',
  errors: ['no_pending_login', 'state_mismatch'],
  async run(env) {
    const profile = await env.openProfile();
    const { tab, callbackUrl } = await redirectLogin(profile, env);

    // Replayed: the first visit used up the pending login.
    await tab.goto(callbackUrl);
    assert.equal((await callbackResult(tab)).error.code, 'no_pending_login');
    assert.equal(await authenticated(tab), false);

    // Tampered: a login is pending (this browser has no session at the provider, so
    // it waits on the login page), but the state in the URL is not its state.
    const stranger = await env.openProfile();
    const tampered = await openSessionPage(stranger, env);
    await startLogin(tampered);
    await tampered.widget.heading(env.t.sign_in_title).waitFor();
    assert.ok(await tampered.evaluate(() => sessionStorage.length) > 0, 'a login is pending');
    const forged = new URL(callbackUrl.replace(env.sessionShop, ''), env.sessionShop);
    forged.searchParams.set('state', 'attacker-chosen');
    await tampered.goto(forged.href);
    assert.equal((await callbackResult(tampered)).error.code, 'state_mismatch');
    assert.equal(await authenticated(tampered), false);
    assert.equal(await tampered.evaluate(() => sessionStorage.length), 0, 'the pending login is deleted on failure');

    // Nothing pending at all (another browser, an old bookmark).
    const fresh = await openSessionPage(await env.openProfile(), env, '/callback?code=abc&state=xyz');
    const { error } = await callbackResult(fresh);
    assert.equal(error.code, 'no_pending_login');
    assert.match(error.message, /no login is pending/);
    assert.equal(await authenticated(fresh), false);
    if (profile.requests) assert.equal(tokenRequests(profile, env.backend).length, 1, 'no failed callback reached the token endpoint');
    if (stranger.requests) assert.equal(tokenRequests(stranger, env.backend).length, 0);
  },
}];

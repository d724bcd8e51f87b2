// Password login, the first slice: an unknown address and a wrong password get the
// same vague error; then the seeded user signs in through the widget (the backend's
// login API, then authorization code + PKCE) and the shop's header shows the name
// from the ID token. Where the engine's driver shows the requests (Chromium), the
// wire is checked too. And the same with the keyboard only.
import assert from 'node:assert/strict';

import { SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { countErrors, nthError, openSignIn, signedInAs, signIn } from './steps.mjs';

/** The login's requests: the login API, code + PKCE S256, never the password grant. */
function assertWire(requests, { url, paths }) {
  const login = requests.filter((r) => r.url === `${url}${paths.login}`).at(-1);
  assert.deepEqual(JSON.parse(login.body), { email: SEED_EMAIL, password: SEED_PASSWORD });
  const authorize = new URL(requests.find((r) => r.url.startsWith(`${url}${paths.authorize}?`)).url);
  assert.equal(authorize.searchParams.get('response_type'), 'code');
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.match(authorize.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(authorize.searchParams.get('nonce'));
  const token = requests.find((r) => r.url === `${url}${paths.token}`);
  const form = new URLSearchParams(token.body);
  assert.equal(form.get('grant_type'), 'authorization_code');
  assert.match(form.get('code_verifier'), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(requests.every((r) => !(r.body ?? '').includes('grant_type=password')), 'never the password grant');
}

export default [{
  title: 'password login: one vague error for an unknown address or a wrong password; then code + PKCE, and the header shows the name',
  errors: ['invalid_credentials'],
  async run(env) {
    const { t } = env;
    const profile = await env.openProfile();
    const tab = await profile.newTab();
    await openSignIn(tab, env);
    await countErrors(tab);
    const alert = tab.widget.role('alert');
    await signIn(tab, env, 'nobody@example.com', 'not the password at all');
    assert.equal(await nthError(tab, 1), 'invalid_credentials');
    assert.equal(await alert.text(), t.invalid_credentials);
    await signIn(tab, env, SEED_EMAIL, 'not the password at all');
    assert.equal(await nthError(tab, 2), 'invalid_credentials');
    assert.equal(await alert.text(), t.invalid_credentials, 'the same words: nothing tells which was wrong');
    assert.equal(await tab.widget.field(t.email_label).value(), SEED_EMAIL);
    await signIn(tab, env, SEED_EMAIL, SEED_PASSWORD);
    await signedInAs(tab, SEED_NAME);

    const url = new URL(await tab.url());
    assert.equal(url.pathname, '/', 'back where the login started');
    assert.equal(url.search, '', 'code and state are gone from the address bar');
    assert.equal(await tab.page.button('Sign in').isVisible(), false);
    if (profile.requests) assertWire(profile.requests, env.backend);

    const stored = await tab.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    assert.deepEqual(stored.local, {}, 'nothing in localStorage');
    assert.deepEqual(stored.session, {}, 'the pending login is gone');
    assert.doesNotMatch(stored.cookie, /access|refresh|id_token/i);
  },
}, {
  title: 'keyboard only: the dialog opens on the email field and Enter signs in',
  async run(env) {
    const tab = await (await env.openProfile()).newTab(`${env.shop}/`);
    await tab.evaluate(() => document.querySelector('latchkey-widget').ready);
    await tab.page.button('Sign in').focus();
    await tab.press('Enter');
    assert.equal(await tab.focused(), 'lk-email');
    await tab.type(SEED_EMAIL);
    await tab.press('Tab');
    assert.equal(await tab.focused(), 'lk-password');
    await tab.type(SEED_PASSWORD);
    await tab.press('Enter');
    await signedInAs(tab, SEED_NAME);
  },
}];

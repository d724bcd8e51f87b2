// The better-auth reference backend (devserver/better-auth), walked over HTTP exactly as
// the widget would from its page: a cookie jar, the page's Origin on every API call,
// top-level navigations for /authorize and end-session. Every answer asserted here is
// documented in devserver/better-auth/README.md, the reference for a Rust adapter.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { mailboxCode, SEED_EMAIL, SEED_NAME, SEED_PASSWORD, startBetterAuth } from '../support/backend.mjs';
import { launch } from '../support/browser.mjs';
import { browserFetch, rawFetch } from '../support/browser-fetch.mjs';
import { totp } from '../support/totp.mjs';

const PORT = 9601;
const LIMITED_PORT = 9602;
const SUBDOMAIN_PORT = 9603;
const FRONTEND = 'http://localhost:9610';
const CLIENT_ID = 'latchkey-demo';
const REDIRECT_URI = `${FRONTEND}/callback`;
const PASSWORD = 'a long passphrase for tests';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
let counter = 0;
const freshEmail = (label) => `${label}-${Date.now()}-${counter++}@example.com`;

let backend;
before(async () => {
  backend = await startBetterAuth({ port: PORT, frontend: FRONTEND });
});
after(() => backend?.stop());

const page = () => browserFetch({ api: backend.api, origin: FRONTEND });

async function mail(email) {
  const response = await fetch(`${backend.url}/_test/mailbox?email=${encodeURIComponent(email)}`);
  return (await response.json()).data;
}

/** A code that is certainly not `code`. */
const wrongCode = (code) => String((Number(code) + 1) % 1_000_000).padStart(code.length, '0');

/** Sign-up, then the mailed code: the account is verified and signed in. */
async function signUpVerified(client, email, password = PASSWORD) {
  const signUp = await client.post('/sign-up/email', { email, password, name: 'Test Person' });
  assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
  const verified = await client.post('/email-otp/verify-email', { email, otp: await mailboxCode(backend.url, email) });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  return verified.body.user;
}

async function sessionUser(client) {
  const session = await client.get('/get-session');
  assert.equal(session.status, 200);
  return session.body?.user ?? null;
}

function assertError(answer, status, code) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.code, code, JSON.stringify(answer.body));
  assert.equal(typeof answer.body.message, 'string');
}

/** A code + PKCE S256 authorization request: its URL and what the client keeps. */
function authorizationRequest(endpoint, { scope = 'openid profile email offline_access', prompt, redirectUri = REDIRECT_URI } = {}) {
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const url = new URL(endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri, scope, state, nonce,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256',
    ...(prompt ? { prompt } : {}),
  });
  return { url: url.href, verifier, state, nonce };
}

describe('discovery and CORS', () => {
  test('the issuer is the base URL; every endpoint is under /api/auth', async () => {
    const response = await fetch(`${backend.url}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const metadata = await response.json();
    assert.equal(metadata.issuer, backend.url);
    for (const [name, path] of [['authorization_endpoint', 'oauth2/authorize'], ['token_endpoint', 'oauth2/token'],
      ['userinfo_endpoint', 'oauth2/userinfo'], ['jwks_uri', 'jwks'], ['revocation_endpoint', 'oauth2/revoke'],
      ['end_session_endpoint', 'oauth2/end-session']]) {
      assert.equal(metadata[name], `${backend.api}/${path}`, name);
    }
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(metadata.id_token_signing_alg_values_supported, ['ES256']);
    assert.deepEqual(metadata.scopes_supported, ['openid', 'profile', 'email', 'offline_access']);
    assert.equal(metadata.pushed_authorization_request_endpoint, undefined);
    const issuerPath = await fetch(`${backend.api}/.well-known/openid-configuration`);
    assert.equal(issuerPath.status, 404, 'no second discovery document under the API path');
  });

  test('credentialed CORS for the widget origin only, with the headers a client reads exposed', async () => {
    const preflight = (origin) => fetch(`${backend.api}/sign-in/email`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    const ok = await preflight(FRONTEND);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), FRONTEND);
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('access-control-allow-methods'), /POST/);
    assert.equal(ok.headers.get('access-control-allow-headers'), 'content-type');
    const foreign = await preflight('http://evil.example');
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);

    const session = await page().get('/get-session');
    assert.equal(session.headers.get('access-control-allow-origin'), FRONTEND);
    assert.equal(session.headers.get('access-control-expose-headers'),
      'www-authenticate, dpop-nonce, retry-after, x-retry-after');
  });

  test('the test mailbox: 404 for an address nothing was sent to', async () => {
    const response = await fetch(`${backend.url}/_test/mailbox?email=nobody@example.com`, { headers: { origin: FRONTEND } });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('access-control-allow-origin'), FRONTEND);
    assert.deepEqual(await response.json(), { status: 404, errors: [{ code: 'no_mail', message: 'Nothing sent.' }] });
  });
});

describe('sign-up and sign-in', () => {
  test('sign-up → mailed code → verified and signed in', async () => {
    const client = page();
    const email = freshEmail('signup');
    const signUp = await client.post('/sign-up/email', { email, password: PASSWORD, name: 'Sam Example', firstName: 'Sam', lastName: 'Example' });
    assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
    assert.equal(signUp.body.token, null, 'no session before the address is verified');
    assert.equal(signUp.body.user.email, email);
    assert.equal(signUp.body.user.emailVerified, false);
    assert.equal(signUp.body.user.firstName, 'Sam');
    assert.deepEqual(client.jar.names(), []);
    assert.equal(await sessionUser(client), null);

    const sent = await mail(email);
    assert.equal(sent.purpose, 'email-verification');
    assert.match(sent.code, /^\d{6}$/);
    assert.equal(typeof sent.sent_at, 'number');

    assertError(await client.post('/email-otp/verify-email', { email, otp: wrongCode(sent.code) }), 400, 'INVALID_OTP');
    const verified = await client.post('/email-otp/verify-email', { email, otp: sent.code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.status, true);
    assert.equal(typeof verified.body.token, 'string');
    assert.equal(verified.body.user.emailVerified, true);
    const sessionCookie = verified.setCookies.find((c) => c.startsWith('better-auth.session_token='));
    assert.match(sessionCookie, /; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/);
    const user = await sessionUser(client);
    assert.equal(user.email, email);
    assert.equal(user.name, 'Sam Example');
    assert.equal(user.lastName, 'Example');
    assert.equal(user.twoFactorEnabled, false);

    assertError(await client.post('/email-otp/verify-email', { email, otp: sent.code }), 400, 'INVALID_OTP');
  });

  test('a second sign-up with a taken address looks the same and mails the owner', async () => {
    const client = page();
    const answer = await client.post('/sign-up/email', { email: SEED_EMAIL, password: PASSWORD, name: 'Impostor' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.token, null);
    assert.equal(answer.body.user.emailVerified, false);
    const sent = await mail(SEED_EMAIL);
    assert.deepEqual([sent.purpose, sent.code], ['account-already-exists', null]);
  });

  test('sign-in with a password; sign-out', async () => {
    const client = page();
    const answer = await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.redirect, false);
    assert.equal(typeof answer.body.token, 'string');
    assert.equal(answer.body.user.email, SEED_EMAIL);
    assert.equal(answer.body.user.name, SEED_NAME);
    assert.deepEqual(client.jar.names(), ['better-auth.session_token']);

    const signOut = await client.post('/sign-out');
    assert.equal(signOut.status, 200);
    assert.deepEqual(signOut.body, { success: true });
    assert.deepEqual(signOut.setCookies.map((c) => c.split(';').slice(0, 2).join(';')).sort(), [
      'better-auth.dont_remember=; Max-Age=0', 'better-auth.session_data=; Max-Age=0', 'better-auth.session_token=; Max-Age=0']);
    assert.equal(await sessionUser(client), null);
  });

  test('a wrong password and an unknown address get the same 401', async () => {
    const client = page();
    const wrong = await client.post('/sign-in/email', { email: SEED_EMAIL, password: 'not the password at all' });
    assertError(wrong, 401, 'INVALID_EMAIL_OR_PASSWORD');
    assert.equal(wrong.body.message, 'Invalid email or password');
    const unknown = await client.post('/sign-in/email', { email: 'nobody@example.com', password: 'not the password at all' });
    assert.deepEqual(unknown.body, wrong.body);
    assert.deepEqual(client.jar.names(), []);
  });

  test('an unverified account: 403 EMAIL_NOT_VERIFIED, a new code is mailed, the code signs in', async () => {
    const client = page();
    const email = freshEmail('unverified');
    await client.post('/sign-up/email', { email, password: PASSWORD, name: 'Una Verified' });
    const first = await mail(email);
    await sleep(5);
    const answer = await client.post('/sign-in/email', { email, password: PASSWORD });
    assertError(answer, 403, 'EMAIL_NOT_VERIFIED');
    assert.equal(answer.body.message, 'Email not verified');
    const second = await mail(email);
    assert.equal(second.purpose, 'email-verification');
    assert.ok(second.sent_at > first.sent_at, 'a new mail');
    assertError(await client.post('/email-otp/verify-email', { email, otp: first.code === second.code ? wrongCode(first.code) : first.code }), 400, 'INVALID_OTP');
    const verified = await client.post('/email-otp/verify-email', { email, otp: second.code });
    assert.equal(verified.status, 200);
    assert.equal((await sessionUser(client)).email, email);
  });

  test('send a new code: it replaces the old one', async () => {
    const client = page();
    const email = freshEmail('resend');
    await client.post('/sign-up/email', { email, password: PASSWORD, name: 'Re Send' });
    const first = await mail(email);
    const resend = await client.post('/email-otp/send-verification-otp', { email, type: 'email-verification' });
    assert.deepEqual([resend.status, resend.body], [200, { success: true }]);
    const second = await mail(email);
    assert.equal(second.purpose, 'email-verification');
    assert.ok(second.sent_at >= first.sent_at);
    if (first.code !== second.code) {
      assertError(await client.post('/email-otp/verify-email', { email, otp: first.code }), 400, 'INVALID_OTP');
    }
    assert.equal((await client.post('/email-otp/verify-email', { email, otp: second.code })).status, 200);
  });

  test('a code allows three wrong tries, then 403 TOO_MANY_ATTEMPTS', async () => {
    const client = page();
    const email = freshEmail('attempts');
    await client.post('/sign-up/email', { email, password: PASSWORD, name: 'Tries' });
    const { code } = await mail(email);
    for (let i = 0; i < 3; i += 1) assertError(await client.post('/email-otp/verify-email', { email, otp: wrongCode(code) }), 400, 'INVALID_OTP');
    assertError(await client.post('/email-otp/verify-email', { email, otp: code }), 403, 'TOO_MANY_ATTEMPTS');
    assertError(await client.post('/email-otp/verify-email', { email, otp: code }), 400, 'INVALID_OTP');
  });

  test('CSRF: with a cookie, the Origin must be trusted; no token is involved', async () => {
    const client = page();
    await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    const foreign = await client.post('/update-user', { name: 'Hijacked' }, { origin: 'http://evil.example' });
    assertError(foreign, 403, 'INVALID_ORIGIN');
    const noOrigin = await fetch(`${backend.api}/update-user`, {
      method: 'POST',
      headers: { cookie: client.jar.header(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Hijacked' }),
    });
    assert.equal(noOrigin.status, 403);
    assert.equal((await noOrigin.json()).code, 'MISSING_OR_NULL_ORIGIN');
    const crossSiteLogin = await rawFetch(`${backend.api}/sign-in/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example',
        'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document',
      },
      body: new URLSearchParams({ email: SEED_EMAIL, password: SEED_PASSWORD }),
    });
    assert.equal(crossSiteLogin.status, 403);
    assert.equal((await crossSiteLogin.json()).code, 'CROSS_SITE_NAVIGATION_LOGIN_BLOCKED');
    assert.equal((await sessionUser(client)).name, SEED_NAME);
  });
});

describe('codes by email: sign-in and password reset', () => {
  test('sign-in by a mailed code; an unknown address gets the same answer and no mail', async () => {
    const client = page();
    const email = freshEmail('otp');
    await signUpVerified(page(), email);
    const send = await client.post('/email-otp/send-verification-otp', { email, type: 'sign-in' });
    assert.equal(send.status, 200);
    assert.deepEqual(send.body, { success: true });
    const sent = await mail(email);
    assert.equal(sent.purpose, 'sign-in');
    assertError(await client.post('/sign-in/email-otp', { email, otp: wrongCode(sent.code) }), 400, 'INVALID_OTP');
    const signIn = await client.post('/sign-in/email-otp', { email, otp: sent.code });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    assert.equal(typeof signIn.body.token, 'string');
    assert.equal(signIn.body.user.email, email);
    assert.equal((await sessionUser(client)).email, email);

    const unknown = freshEmail('nobody');
    const none = await page().post('/email-otp/send-verification-otp', { email: unknown, type: 'sign-in' });
    assert.deepEqual([none.status, none.body], [200, { success: true }]);
    assert.equal(await mail(unknown), undefined);
  });

  test('a code sign-in of an unverified account verifies it and removes the unproven password', async () => {
    const client = page();
    const email = freshEmail('unproven');
    await client.post('/sign-up/email', { email, password: PASSWORD, name: 'Un Proven' });
    await client.post('/email-otp/send-verification-otp', { email, type: 'sign-in' });
    const signIn = await client.post('/sign-in/email-otp', { email, otp: (await mail(email)).code });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    assert.equal(signIn.body.user.emailVerified, true);
    assertError(await page().post('/sign-in/email', { email, password: PASSWORD }), 401, 'INVALID_EMAIL_OR_PASSWORD');
  });

  test('password reset by a mailed code signs every session out; the new password works', async () => {
    const email = freshEmail('reset');
    const old = page();
    await signUpVerified(old, email);
    const client = page();
    const request = await client.post('/email-otp/request-password-reset', { email });
    assert.deepEqual([request.status, request.body], [200, { success: true }]);
    const sent = await mail(email);
    assert.equal(sent.purpose, 'forget-password');
    const newPassword = 'another long passphrase';
    assertError(await client.post('/email-otp/reset-password', { email, otp: wrongCode(sent.code), password: newPassword }), 400, 'INVALID_OTP');
    const reset = await client.post('/email-otp/reset-password', { email, otp: sent.code, password: newPassword });
    assert.deepEqual([reset.status, reset.body], [200, { success: true }]);
    assert.deepEqual(client.jar.names(), [], 'the reset does not sign in');
    assert.equal(await sessionUser(old), null, 'sessions revoked');
    assertError(await client.post('/sign-in/email', { email, password: PASSWORD }), 401, 'INVALID_EMAIL_OR_PASSWORD');
    assert.equal((await client.post('/sign-in/email', { email, password: newPassword })).status, 200);

    const unknown = freshEmail('nobody');
    const none = await page().post('/email-otp/request-password-reset', { email: unknown });
    assert.deepEqual([none.status, none.body], [200, { success: true }]);
    assert.equal(await mail(unknown), undefined);
  });

  test('a new password shorter than 8 characters: 400 PASSWORD_TOO_SHORT', async () => {
    const answer = await page().post('/sign-up/email', { email: freshEmail('short'), password: 'short', name: 'S' });
    assertError(answer, 400, 'PASSWORD_TOO_SHORT');
  });
});

describe('account', () => {
  test('profile: name, first and last name; the address cannot be set there', async () => {
    const client = page();
    await signUpVerified(client, freshEmail('profile'));
    const update = await client.post('/update-user', { name: 'Pat Q. Public', firstName: 'Pat', lastName: 'Public' });
    assert.deepEqual([update.status, update.body], [200, { status: true }]);
    const user = await sessionUser(client);
    assert.deepEqual([user.name, user.firstName, user.lastName], ['Pat Q. Public', 'Pat', 'Public']);
    assertError(await client.post('/update-user', { email: 'other@example.com' }), 400, 'EMAIL_CAN_NOT_BE_UPDATED');
    assertError(await page().post('/update-user', { name: 'x' }), 401, 'UNAUTHORIZED');
  });

  test('change password: the current one is checked', async () => {
    const client = page();
    const email = freshEmail('chpw');
    await signUpVerified(client, email);
    const newPassword = 'a brand new passphrase';
    assertError(await client.post('/change-password', { currentPassword: 'wrong wrong wrong', newPassword }), 400, 'INVALID_PASSWORD');
    const changed = await client.post('/change-password', { currentPassword: PASSWORD, newPassword });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.token, null);
    assert.equal(changed.body.user.email, email);
    assert.equal((await page().post('/sign-in/email', { email, password: newPassword })).status, 200);
  });

  test('change of address by a code sent to the new one (one address per account)', async () => {
    const client = page();
    await signUpVerified(client, freshEmail('chmail'));
    const newEmail = freshEmail('moved');
    const request = await client.post('/email-otp/request-email-change', { newEmail });
    assert.deepEqual([request.status, request.body], [200, { success: true }]);
    const sent = await mail(newEmail);
    assert.equal(sent.purpose, 'change-email');
    assertError(await client.post('/email-otp/change-email', { newEmail, otp: wrongCode(sent.code) }), 400, 'INVALID_OTP');
    const change = await client.post('/email-otp/change-email', { newEmail, otp: sent.code });
    assert.deepEqual([change.status, change.body], [200, { success: true }]);
    const user = await sessionUser(client);
    assert.deepEqual([user.email, user.emailVerified], [newEmail, true]);
  });

  test('delete the account: the password is checked, then the user and its sessions are gone', async () => {
    const client = page();
    const email = freshEmail('delete');
    await signUpVerified(client, email);
    assertError(await client.post('/delete-user', { password: 'wrong wrong wrong' }), 400, 'INVALID_PASSWORD');
    const deleted = await client.post('/delete-user', { password: PASSWORD });
    assert.deepEqual([deleted.status, deleted.body], [200, { success: true, message: 'User deleted' }]);
    assert.equal(await sessionUser(client), null);
    assertError(await page().post('/sign-in/email', { email, password: PASSWORD }), 401, 'INVALID_EMAIL_OR_PASSWORD');
  });
});

describe('two factors: TOTP and backup codes', () => {
  const email = freshEmail('totp');
  let secret;
  let backupCodes;

  test('enable: the password, then a first code from the app turns it on', async () => {
    const client = page();
    await signUpVerified(client, email);
    assertError(await client.post('/two-factor/enable', { password: 'wrong wrong wrong' }), 400, 'INVALID_PASSWORD');
    const enable = await client.post('/two-factor/enable', { password: PASSWORD });
    assert.equal(enable.status, 200, JSON.stringify(enable.body));
    assert.equal(enable.body.method, 'totp');
    const uri = new URL(enable.body.totpURI);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), `/latchkey demo:${email}`);
    assert.equal(uri.searchParams.get('issuer'), 'latchkey demo');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    secret = uri.searchParams.get('secret');
    backupCodes = enable.body.backupCodes;
    assert.equal(backupCodes.length, 10);
    for (const code of backupCodes) assert.match(code, /^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$/);
    assert.equal((await sessionUser(client)).twoFactorEnabled, false, 'not before the first code');

    assertError(await client.post('/two-factor/verify-totp', { code: wrongCode(totp(secret)) }), 401, 'INVALID_CODE');
    const verify = await client.post('/two-factor/verify-totp', { code: totp(secret) });
    assert.equal(verify.status, 200, JSON.stringify(verify.body));
    assert.equal((await sessionUser(client)).twoFactorEnabled, true);
  });

  test('sign-in → two factor needed → TOTP', async () => {
    const client = page();
    const signIn = await client.post('/sign-in/email', { email, password: PASSWORD });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    assert.deepEqual(signIn.body, { twoFactorRedirect: true, twoFactorMethods: ['totp'] });
    assert.deepEqual(client.jar.names(), ['better-auth.two_factor']);
    assert.match(signIn.setCookies.find((c) => c.startsWith('better-auth.two_factor=')), /; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/);
    assert.equal(await sessionUser(client), null);

    assertError(await client.post('/two-factor/verify-totp', { code: wrongCode(totp(secret)) }), 401, 'INVALID_CODE');
    const verify = await client.post('/two-factor/verify-totp', { code: totp(secret) });
    assert.equal(verify.status, 200, JSON.stringify(verify.body));
    assert.equal(typeof verify.body.token, 'string');
    assert.equal(verify.body.user.email, email);
    assert.deepEqual(client.jar.names(), ['better-auth.session_token']);
    assert.equal((await sessionUser(client)).email, email);
  });

  test('a backup code instead, once; verifying without a pending sign-in is refused', async () => {
    const client = page();
    await client.post('/sign-in/email', { email, password: PASSWORD });
    assertError(await client.post('/two-factor/verify-backup-code', { code: 'AAAAA-BBBBB' }), 401, 'INVALID_BACKUP_CODE');
    const verify = await client.post('/two-factor/verify-backup-code', { code: backupCodes[0] });
    assert.equal(verify.status, 200, JSON.stringify(verify.body));
    assert.equal(verify.body.user.email, email);
    assert.equal((await sessionUser(client)).email, email);

    const again = page();
    await again.post('/sign-in/email', { email, password: PASSWORD });
    assertError(await again.post('/two-factor/verify-backup-code', { code: backupCodes[0] }), 401, 'INVALID_BACKUP_CODE');
    assertError(await page().post('/two-factor/verify-totp', { code: totp(secret) }), 401, 'INVALID_TWO_FACTOR_COOKIE');
  });

  test('trust this device: the next password sign-in skips the second factor', async () => {
    const client = page();
    await client.post('/sign-in/email', { email, password: PASSWORD });
    const verify = await client.post('/two-factor/verify-totp', { code: totp(secret, 1), trustDevice: true });
    assert.equal(verify.status, 200, JSON.stringify(verify.body));
    assert.match(verify.setCookies.find((c) => c.startsWith('better-auth.trust_device=')), /; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/);
    await client.post('/sign-out');
    assert.ok(client.jar.has('better-auth.trust_device'), 'sign-out keeps the device trusted');
    const signIn = await client.post('/sign-in/email', { email, password: PASSWORD });
    assert.equal(signIn.status, 200);
    assert.equal(typeof signIn.body.token, 'string', 'signed in without a second factor');
  });

  test('a sign-in by mailed code is not asked for the second factor', async () => {
    const client = page();
    await client.post('/email-otp/send-verification-otp', { email, type: 'sign-in' });
    const signIn = await client.post('/sign-in/email-otp', { email, otp: (await mail(email)).code });
    assert.equal(signIn.status, 200);
    assert.equal(signIn.body.twoFactorRedirect, undefined);
    assert.equal((await sessionUser(client)).email, email);
  });

  test('one sign-in gets five tries at the code, then 400 TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE', async () => {
    const client = page();
    await client.post('/sign-in/email', { email, password: PASSWORD });
    const wrong = wrongCode(totp(secret));
    for (let i = 0; i < 5; i += 1) assertError(await client.post('/two-factor/verify-totp', { code: wrong }), 401, 'INVALID_CODE');
    const locked = await client.post('/two-factor/verify-totp', { code: totp(secret) });
    assertError(locked, 400, 'TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE');
    assert.deepEqual(client.jar.names(), [], 'the pending sign-in is gone');
  });

  test('recovery codes: regenerate needs the password; disable needs it too', async () => {
    const client = page();
    await client.post('/sign-in/email', { email, password: PASSWORD });
    await client.post('/two-factor/verify-totp', { code: totp(secret, -1) });
    const shown = await client.post('/two-factor/get-totp-uri', { password: PASSWORD });
    assert.equal(new URL(shown.body.totpURI).searchParams.get('secret'), secret);
    const fresh = await client.post('/two-factor/generate-backup-codes', { password: PASSWORD });
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    assert.equal(fresh.body.status, true);
    assert.equal(fresh.body.backupCodes.length, 10);
    assert.notDeepEqual(fresh.body.backupCodes, backupCodes);
    assertError(await client.post('/two-factor/disable', { password: 'wrong wrong wrong' }), 400, 'INVALID_PASSWORD');
    const disable = await client.post('/two-factor/disable', { password: PASSWORD });
    assert.deepEqual([disable.status, disable.body], [200, { status: true }]);
    assert.equal((await sessionUser(client)).twoFactorEnabled, false);
  });
});

describe('OAuth 2.1 / OpenID Connect', () => {
  let metadata;
  let jwks;
  before(async () => {
    metadata = await (await fetch(`${backend.url}/.well-known/openid-configuration`)).json();
    jwks = await (await fetch(metadata.jwks_uri)).json();
  });

  const authorizeUrl = (options) => authorizationRequest(metadata.authorization_endpoint, options);

  const exchange = (client, code, verifier) => client.form(metadata.token_endpoint, {
    grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, code_verifier: verifier,
  });
  const refresh = (client, refreshToken) => client.form(metadata.token_endpoint, {
    grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID,
  });

  /** The ID token's claims once its ES256 signature checks out against the JWKS. */
  function verifiedClaims(idToken) {
    const [header64, payload64, signature64] = idToken.split('.');
    const header = JSON.parse(Buffer.from(header64, 'base64url'));
    assert.equal(header.alg, 'ES256');
    const jwk = jwks.keys.find((key) => key.kid === header.kid);
    assert.ok(jwk, `kid ${header.kid} is in the JWKS`);
    const valid = verify('sha256', Buffer.from(`${header64}.${payload64}`), {
      key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363',
    }, Buffer.from(signature64, 'base64url'));
    assert.ok(valid, 'signature');
    return JSON.parse(Buffer.from(payload64, 'base64url'));
  }

  function atHash(accessToken) {
    return b64url(createHash('sha256').update(accessToken).digest().subarray(0, 16));
  }

  async function signedInCode(client, options) {
    const request = authorizeUrl(options);
    const answer = await client.navigate(request.url);
    assert.equal(answer.status, 302, JSON.stringify(answer.body));
    const callback = new URL(answer.location);
    assert.equal(`${callback.origin}${callback.pathname}`, options?.redirectUri ?? REDIRECT_URI);
    return { ...request, callback, code: callback.searchParams.get('code') };
  }

  test('authorize with the session cookie → code → tokens → a valid ID token → UserInfo', async () => {
    const client = page();
    await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    const { callback, code, verifier, state, nonce } = await signedInCode(client);
    assert.equal(callback.searchParams.get('state'), state);
    assert.equal(callback.searchParams.get('iss'), backend.url);
    assert.match(code, /^[A-Za-z0-9]{32}$/);

    const token = await exchange(client, code, verifier);
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal(token.headers.get('access-control-allow-origin'), FRONTEND);
    assert.equal(token.headers.get('cache-control'), 'no-store');
    const { access_token: accessToken, id_token: idToken, refresh_token: refreshToken } = token.body;
    assert.deepEqual(Object.keys(token.body).sort(),
      ['access_token', 'expires_at', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.equal(token.body.token_type, 'Bearer');
    assert.equal(token.body.expires_in, 3600);
    assert.equal(token.body.scope, 'openid profile email offline_access');
    assert.equal(typeof refreshToken, 'string');

    const claims = verifiedClaims(idToken);
    assert.deepEqual(Object.keys(claims).sort(), ['acr', 'at_hash', 'aud', 'auth_time', 'email', 'email_verified',
      'exp', 'iat', 'iss', 'name', 'nonce', 'sid', 'sub']);
    assert.equal(claims.iss, backend.url);
    assert.equal(claims.aud, CLIENT_ID);
    assert.equal(claims.nonce, nonce);
    assert.equal(claims.at_hash, atHash(accessToken));
    assert.equal(claims.exp - claims.iat, 36_000);
    assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 30);
    assert.equal(claims.acr, '0');
    assert.equal(claims.email, SEED_EMAIL);
    assert.equal(claims.email_verified, true);
    assert.equal(claims.name, SEED_NAME);

    const userinfo = await fetch(metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}`, origin: FRONTEND } });
    assert.equal(userinfo.status, 200);
    const info = await userinfo.json();
    assert.equal(info.sub, claims.sub);
    assert.equal(info.email, SEED_EMAIL);
    assert.equal(info.name, SEED_NAME);
    assert.equal(info.email_verified, true);
    assert.deepEqual(Object.keys(info).sort(), ['email', 'email_verified', 'family_name', 'given_name', 'name', 'sub']);
    const badToken = await fetch(metadata.userinfo_endpoint, { headers: { authorization: 'Bearer nonsense' } });
    assert.equal(badToken.status, 401);
    assert.equal(badToken.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="Invalid access token"');
    assert.deepEqual(await badToken.json(), { error_description: 'Invalid access token', error: 'invalid_token' });
    const noToken = await fetch(metadata.userinfo_endpoint);
    assert.equal(noToken.status, 401);
    assert.equal(noToken.headers.get('www-authenticate'), null);
    assert.equal((await noToken.json()).error, 'invalid_request');

    const reused = await exchange(client, code, verifier);
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, 'invalid_grant');
    const afterReuse = await fetch(metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(afterReuse.status, 401, 'a reused code revokes what it was exchanged for');
    assert.equal((await refresh(client, refreshToken)).body.error, 'invalid_grant');
  });

  test('a wrong code_verifier: 401 invalid_request (not invalid_grant), and the code is used up', async () => {
    const client = page();
    await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    const { code, verifier } = await signedInCode(client);
    const answer = await exchange(client, code, b64url(randomBytes(32)));
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.body, { error_description: 'code verification failed', error: 'invalid_request' });
    const retry = await exchange(client, code, verifier);
    assert.equal(retry.status, 400);
    assert.equal(retry.body.error, 'invalid_grant');
  });

  test('refresh rotates; the old refresh token is refused; revocation; end session', async () => {
    const client = page();
    await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    const { code, verifier } = await signedInCode(client);
    const first = (await exchange(client, code, verifier)).body;

    const second = await refresh(client, first.refresh_token);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.notEqual(second.body.refresh_token, first.refresh_token);
    assert.notEqual(second.body.access_token, first.access_token);
    assert.equal(typeof second.body.id_token, 'string');
    assert.equal(verifiedClaims(second.body.id_token).sub, verifiedClaims(first.id_token).sub);
    const replay = await refresh(client, first.refresh_token);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    const afterReplay = await refresh(client, second.body.refresh_token);
    assert.equal(afterReplay.body.error, 'invalid_grant', 'a replayed refresh token ends the whole grant');
    const replayedAccess = await fetch(metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${second.body.access_token}` } });
    assert.equal(replayedAccess.status, 401, 'and its access tokens');

    const { code: code2, verifier: verifier2 } = await signedInCode(client);
    const tokens = (await exchange(client, code2, verifier2)).body;
    const revokeAccess = await client.form(metadata.revocation_endpoint, {
      token: tokens.access_token, token_type_hint: 'access_token', client_id: CLIENT_ID,
    });
    assert.deepEqual([revokeAccess.status, revokeAccess.body], [200, null]);
    const revokedAccess = await fetch(metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(revokedAccess.status, 401);
    const revoke = await client.form(metadata.revocation_endpoint, {
      token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: CLIENT_ID,
    });
    assert.deepEqual([revoke.status, revoke.body], [200, null]);
    assert.equal((await refresh(client, tokens.refresh_token)).body.error, 'invalid_grant');
    const unknown = await client.form(metadata.revocation_endpoint, { token: 'not-a-token', client_id: CLIENT_ID });
    assert.deepEqual([unknown.status, unknown.body], [400, { error_description: 'token not found', error: 'invalid_request' }]);
    const anonymous = await client.form(metadata.revocation_endpoint, { token: 'not-a-token' });
    assert.deepEqual([anonymous.status, anonymous.body.error], [401, 'invalid_client']);

    const end = new URL(metadata.end_session_endpoint);
    end.search = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: `${FRONTEND}/`, state: 'bye' });
    const logout = await client.navigate(end.href);
    assert.equal(logout.status, 302, JSON.stringify(logout.body));
    assert.equal(logout.location, `${FRONTEND}/?state=bye`);
    assert.equal(await sessionUser(client), null);
  });

  test('signing out of the backend revokes the access tokens issued under that session, not the refresh token', async () => {
    const client = page();
    await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    const { code, verifier } = await signedInCode(client);
    const tokens = (await exchange(client, code, verifier)).body;
    await client.post('/sign-out');
    const userinfo = await fetch(metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(userinfo.status, 401);
    const renewed = await refresh(client, tokens.refresh_token);
    assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
    const again = await fetch(metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${renewed.body.access_token}` } });
    assert.equal(again.status, 200);
  });

  test('no refresh token without offline_access; no resource indicators; max_age=0 asks for a new sign-in', async () => {
    const client = page();
    await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    const { code, verifier } = await signedInCode(client, { scope: 'openid email' });
    const tokens = (await exchange(client, code, verifier)).body;
    assert.equal(tokens.refresh_token, undefined);
    assert.equal(tokens.scope, 'openid email');
    assert.equal(verifiedClaims(tokens.id_token).name, undefined, 'no profile scope, no name');

    const withResource = new URL(authorizeUrl().url);
    withResource.searchParams.set('resource', 'https://api.example.test/');
    const refused = new URL((await client.navigate(withResource.href)).location);
    assert.equal(refused.searchParams.get('error'), 'invalid_target');

    const maxAge = new URL(authorizeUrl().url);
    maxAge.searchParams.set('max_age', '0');
    const login = new URL((await client.navigate(maxAge.href)).location);
    assert.equal(`${login.origin}${login.pathname}`, `${FRONTEND}/login`);
  });

  test('authorize without a session: to the login page with the signed request, which sign-in continues', async () => {
    const client = page();
    const request = authorizeUrl();
    const answer = await client.navigate(request.url);
    assert.equal(answer.status, 302);
    const login = new URL(answer.location);
    assert.equal(`${login.origin}${login.pathname}`, `${FRONTEND}/login`);
    const params = login.searchParams;
    for (const name of ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method']) {
      assert.equal(params.get(name), new URL(request.url).searchParams.get(name), name);
    }
    assert.match(params.get('sig'), /^[A-Za-z0-9+/]{43}=$/, 'HMAC-SHA256, standard base64');
    assert.match(params.get('exp'), /^\d+$/);
    assert.match(params.get('ba_iat'), /^\d+$/);
    assert.ok(params.getAll('ba_param').includes('code_challenge'));

    // The login page passes its own query string back as oauth_query: the sign-in
    // answer is then where to go next, the redirect URI with a code.
    const signIn = await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD, oauth_query: login.search.slice(1) });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    assert.equal(signIn.body.redirect, true);
    const callback = new URL(signIn.body.url);
    assert.equal(`${callback.origin}${callback.pathname}`, REDIRECT_URI);
    assert.equal(callback.searchParams.get('state'), new URL(request.url).searchParams.get('state'));
    const token = await exchange(client, callback.searchParams.get('code'), request.verifier);
    assert.equal(token.status, 200);
    assert.equal(verifiedClaims(token.body.id_token).nonce, request.nonce);

    const tampered = new URLSearchParams(login.search);
    tampered.set('redirect_uri', `${FRONTEND}/`);
    const refused = await page().post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD, oauth_query: tampered.toString() });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_signature');
  });

  test('the signed request also rides on a code sign-in and on the second-factor step', async () => {
    const loginQuery = async (client) => {
      const request = authorizeUrl();
      const login = new URL((await client.navigate(request.url)).location);
      return { request, oauthQuery: login.search.slice(1) };
    };
    const assertCallback = (answer, request) => {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.redirect, true, JSON.stringify(answer.body));
      const callback = new URL(answer.body.url);
      assert.equal(callback.searchParams.get('state'), new URL(request.url).searchParams.get('state'));
      return callback.searchParams.get('code');
    };

    const email = freshEmail('oauthquery');
    await signUpVerified(page(), email);
    const byCode = page();
    const first = await loginQuery(byCode);
    await byCode.post('/email-otp/send-verification-otp', { email, type: 'sign-in' });
    const code = assertCallback(await byCode.post('/sign-in/email-otp', { email, otp: (await mail(email)).code, oauth_query: first.oauthQuery }), first.request);
    assert.equal((await exchange(byCode, code, first.request.verifier)).status, 200);

    const enable = await byCode.post('/two-factor/enable', { password: PASSWORD });
    const secret = new URL(enable.body.totpURI).searchParams.get('secret');
    await byCode.post('/two-factor/verify-totp', { code: totp(secret) });
    const twoFactor = page();
    const second = await loginQuery(twoFactor);
    const signIn = await twoFactor.post('/sign-in/email', { email, password: PASSWORD, oauth_query: second.oauthQuery });
    assert.equal(signIn.body.twoFactorRedirect, true);
    const code2 = assertCallback(await twoFactor.post('/two-factor/verify-totp', { code: totp(secret, 1), oauth_query: second.oauthQuery }), second.request);
    assert.equal((await exchange(twoFactor, code2, second.request.verifier)).status, 200);
  });

  test('or: rebuild the authorization request from the login page query and go there once signed in', async () => {
    const client = page();
    const request = authorizeUrl();
    const login = new URL((await client.navigate(request.url)).location);
    const resumed = new URL(metadata.authorization_endpoint);
    const params = new URLSearchParams(login.search);
    for (const name of ['sig', 'exp', 'ba_iat', 'ba_param', 'ba_pl']) params.delete(name);
    resumed.search = params;
    await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    const answer = await client.navigate(resumed.href);
    assert.equal(answer.status, 302);
    const callback = new URL(answer.location);
    assert.equal(callback.searchParams.get('state'), new URL(request.url).searchParams.get('state'));
    assert.equal((await exchange(client, callback.searchParams.get('code'), request.verifier)).status, 200);
  });

  test('errors: prompt=none without a session, an unregistered redirect URI, plain PKCE', async () => {
    const client = page();
    const none = authorizeUrl({ prompt: 'none' });
    const answer = await client.navigate(none.url);
    assert.equal(answer.status, 302);
    const callback = new URL(answer.location);
    assert.equal(`${callback.origin}${callback.pathname}`, REDIRECT_URI);
    assert.equal(callback.searchParams.get('error'), 'login_required');
    assert.equal(callback.searchParams.get('state'), new URL(none.url).searchParams.get('state'));
    assert.equal(callback.searchParams.get('iss'), backend.url);

    const foreign = await client.navigate(authorizeUrl({ redirectUri: 'https://evil.example/callback' }).url);
    assert.equal(foreign.status, 302);
    const error = new URL(foreign.location);
    assert.equal(`${error.origin}${error.pathname}`, `${backend.api}/error`);
    assert.equal(error.searchParams.get('error'), 'invalid_redirect');
    const insecure = new URL((await client.navigate(authorizeUrl({ redirectUri: 'http://evil.example/callback' }).url)).location);
    assert.equal(insecure.searchParams.get('error'), 'invalid_request', 'http is for loopback redirect URIs only');

    const noPkce = new URL(authorizeUrl().url);
    noPkce.searchParams.delete('code_challenge');
    noPkce.searchParams.delete('code_challenge_method');
    const pkceRequired = new URL((await client.navigate(noPkce.href)).location);
    assert.equal(pkceRequired.searchParams.get('error'), 'invalid_request');
    assert.equal(pkceRequired.searchParams.get('error_description'), 'pkce is required for public clients');

    const plain = new URL(authorizeUrl().url);
    plain.searchParams.set('code_challenge_method', 'plain');
    await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    const refused = new URL((await client.navigate(plain.href)).location);
    assert.equal(refused.searchParams.get('error'), 'invalid_request');
  });

  test('a fetch (Sec-Fetch-Mode: cors) to authorize gets JSON instead of a redirect', async () => {
    const client = page();
    await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
    const answer = await client.get(authorizeUrl().url.slice(backend.api.length));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.redirect, true);
    assert.ok(answer.body.url.startsWith(`${REDIRECT_URI}?code=`));
  });
});

describe('with rate limits on and codes that expire in a second', () => {
  let limited;
  before(async () => {
    limited = await startBetterAuth({ port: LIMITED_PORT, frontend: FRONTEND, env: { BA_RATE_LIMITS: '1', BA_OTP_EXPIRES_IN: '1' } });
  });
  after(() => limited?.stop());

  test('an expired code: 400 OTP_EXPIRED', async () => {
    const client = browserFetch({ api: limited.api, origin: FRONTEND });
    const email = freshEmail('expired');
    await client.post('/sign-up/email', { email, password: PASSWORD, name: 'Late' });
    const code = await mailboxCode(limited.url, email);
    await sleep(1_500);
    assertError(await client.post('/email-otp/verify-email', { email, otp: code }), 400, 'OTP_EXPIRED');
  });

  test('the fourth sign-in within 10 s: 429 with Retry-After', async () => {
    const client = browserFetch({ api: limited.api, origin: FRONTEND });
    const statuses = [];
    let last;
    for (let i = 0; i < 4; i += 1) {
      last = await client.post('/sign-in/email', { email: SEED_EMAIL, password: 'not the password at all' });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    assert.deepEqual(last.body, { message: 'Too many requests. Please try again later.' });
    assert.match(last.headers.get('retry-after'), /^\d+$/);
    assert.equal(last.headers.get('x-retry-after'), last.headers.get('retry-after'));
    assert.ok(Number(last.headers.get('retry-after')) <= 10);
  });
});

describe('passkeys, in Chromium with a virtual authenticator', () => {
  let shop;
  let browser;
  let context;
  let tab;
  before(async () => {
    // The widget's origin: a blank page the authenticator's ceremonies run in.
    shop = http.createServer((_, res) => res.end('<!doctype html><title>shop</title>'));
    await new Promise((resolve) => shop.listen(new URL(FRONTEND).port, 'localhost', resolve));
    browser = await launch();
    context = await browser.newContext();
    tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
        isUserVerified: true, automaticPresenceSimulation: true },
    });
    await tab.goto(`${FRONTEND}/`);
  });
  after(async () => {
    await browser?.close();
    shop?.close();
  });

  /** fetch() from the shop's page, with the backend's cookies. */
  const api = (method, path, body) => tab.evaluate(async ({ url, method, body }) => {
    const response = await fetch(url, {
      method, credentials: 'include',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }, { url: `${backend.api}${path}`, method, body });

  const create = (options) => tab.evaluate(async (options) => (await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })).toJSON(), options);
  const get = (options) => tab.evaluate(async (options) => (await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) })).toJSON(), options);

  const email = freshEmail('passkey');
  let passkeyId;

  test('register a passkey on a signed-in account; the options come without a publicKey wrapper', async () => {
    assert.equal((await api('POST', '/sign-up/email', { email, password: PASSWORD, name: 'Pia Passkey' })).status, 200);
    const verified = await api('POST', '/email-otp/verify-email', { email, otp: await mailboxCode(backend.url, email) });
    assert.equal(verified.status, 200);

    const options = await api('GET', '/passkey/generate-register-options');
    assert.equal(options.status, 200);
    assert.equal(options.body.publicKey, undefined);
    assert.deepEqual(options.body.rp, { name: 'latchkey demo', id: 'localhost' });
    assert.equal(options.body.user.name, email);
    assert.equal(options.body.attestation, 'none');
    assert.deepEqual(options.body.authenticatorSelection, { residentKey: 'preferred', userVerification: 'preferred', requireResidentKey: false });
    assert.deepEqual(options.body.pubKeyCredParams.map((p) => p.alg), [-8, -7, -257]);

    const registered = await api('POST', '/passkey/verify-registration', { response: await create(options.body), name: 'virtual key' });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    assert.equal(registered.body.name, 'virtual key');
    assert.equal(typeof registered.body.credentialID, 'string');
    passkeyId = registered.body.id;
    const list = await api('GET', '/passkey/list-user-passkeys');
    assert.deepEqual(list.body.map((p) => [p.id, p.name]), [[passkeyId, 'virtual key']]);
  });

  test('sign in with the passkey alone; with TOTP on, no second factor is asked', async () => {
    const enable = await api('POST', '/two-factor/enable', { password: PASSWORD });
    const secret = new URL(enable.body.totpURI).searchParams.get('secret');
    assert.equal((await api('POST', '/two-factor/verify-totp', { code: totp(secret) })).status, 200);
    assert.deepEqual(await api('POST', '/sign-out', {}), { status: 200, body: { success: true } });
    assert.equal((await api('GET', '/get-session')).body, null);

    const options = await api('GET', '/passkey/generate-authenticate-options');
    assert.equal(options.status, 200);
    assert.equal(options.body.publicKey, undefined);
    assert.equal(options.body.rpId, 'localhost');
    assert.equal(options.body.allowCredentials, undefined, 'discoverable: no credentials listed when signed out');
    const signIn = await api('POST', '/passkey/verify-authentication', { response: await get(options.body) });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    assert.equal(signIn.body.user.email, email);
    assert.equal(signIn.body.user.twoFactorEnabled, true);
    assert.equal(typeof signIn.body.session.token, 'string');
    assert.equal((await api('GET', '/get-session')).body.user.email, email);

    const replay = await api('POST', '/passkey/verify-authentication', { response: await get(options.body) });
    assert.deepEqual([replay.status, replay.body.code], [400, 'CHALLENGE_NOT_FOUND']);
  });

  test('from /authorize without a session: the login page, a passkey sign-in with oauth_query, the callback', async () => {
    await api('POST', '/sign-out', {});
    const request = authorizationRequest(`${backend.api}/oauth2/authorize`);
    await tab.goto(request.url);
    const login = new URL(tab.url());
    assert.equal(`${login.origin}${login.pathname}`, `${FRONTEND}/login`);

    const options = await api('GET', '/passkey/generate-authenticate-options');
    const response = await get(options.body);
    const signIn = await api('POST', '/passkey/verify-authentication', { response, oauth_query: login.search.slice(1) });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    assert.equal(signIn.body.redirect, true, JSON.stringify(signIn.body));
    await tab.goto(signIn.body.url);
    const callback = new URL(tab.url());
    assert.equal(`${callback.origin}${callback.pathname}`, REDIRECT_URI);
    assert.equal(callback.searchParams.get('state'), request.state);
    assert.equal(callback.searchParams.get('iss'), backend.url);
    assert.match(callback.searchParams.get('code'), /^[A-Za-z0-9]{32}$/);
  });

  test('rename and remove the passkey', async () => {
    const renamed = await api('POST', '/passkey/update-passkey', { id: passkeyId, name: 'laptop' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.passkey.name, 'laptop');
    assert.deepEqual(await api('POST', '/passkey/delete-passkey', { id: passkeyId }), { status: 200, body: { status: true } });
    assert.deepEqual((await api('GET', '/passkey/list-user-passkeys')).body, []);
  });
});

describe('a subdomain deployment: https issuer, shared cookie domain, two shop origins', () => {
  const SHOPS = ['https://shop.example.test', FRONTEND];
  let deployed;
  before(async () => {
    deployed = await startBetterAuth({
      port: SUBDOMAIN_PORT,
      frontend: SHOPS.join(' '),
      env: { BA_BASE_URL: 'https://id.example.test', BA_COOKIE_DOMAIN: 'example.test' },
    });
  });
  after(() => deployed?.stop());

  test('__Secure- cookies for the parent domain; both shop origins trusted; the first one hosts the login page', async () => {
    const metadata = await (await fetch(`${deployed.url}/.well-known/openid-configuration`)).json();
    assert.equal(metadata.issuer, 'https://id.example.test');
    assert.equal(metadata.authorization_endpoint, 'https://id.example.test/api/auth/oauth2/authorize');
    for (const origin of SHOPS) {
      const client = browserFetch({ api: `${deployed.url}/api/auth`, origin });
      const signIn = await client.post('/sign-in/email', { email: SEED_EMAIL, password: SEED_PASSWORD });
      assert.equal(signIn.status, 200);
      assert.equal(signIn.headers.get('access-control-allow-origin'), origin);
      assert.match(signIn.setCookies[0],
        /^__Secure-better-auth\.session_token=[^;]+; Max-Age=604800; Domain=example\.test; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    }
    const login = await browserFetch({ api: `${deployed.url}/api/auth`, origin: SHOPS[1] })
      .navigate(`${deployed.url}/api/auth/oauth2/authorize?${new URLSearchParams({
        response_type: 'code', client_id: CLIENT_ID, redirect_uri: `${SHOPS[1]}/callback`, scope: 'openid',
        code_challenge: b64url(randomBytes(32)), code_challenge_method: 'S256' })}`);
    assert.equal(new URL(login.location).origin + new URL(login.location).pathname, 'https://shop.example.test/login');
  });
});

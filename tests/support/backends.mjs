// The reference backends as the end-to-end tests see them: one descriptor each, so
// that a journey is written once and runs against every backend that has what it
// needs. A descriptor says how to start the backend, the widget's `login-api` for it,
// what its adapter declares it can do (`capabilities`, the names of
// core/src/backend/capabilities.rs, as the adapter's `capabilities()` lists them: a
// test keeps the two in step), what else the reference backend does that the
// journeys rely on (`behaviours`), where its login API and OpenID endpoints are, and
// how a test arranges accounts through the backend's own API.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { mailboxCode, startBackend, startBetterAuth } from './backend.mjs';
import { totp } from './totp.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * What a journey may need of a backend, in the words of a skip reason ("better-auth
 * has no …"): the adapters' capabilities, then what the reference backends do
 * without the adapter declaring it (the backend's answers lead the widget there).
 */
export const NEEDS = {
  SignUp: 'sign-up with a password',
  PasskeySignUp: 'passkey-only sign-up',
  LoginByCode: 'sign-in by mailed code',
  PasswordReset: 'password reset',
  PasskeyLogin: 'passkey sign-in',
  Totp: 'authenticator app codes',
  RecoveryCodes: 'recovery codes',
  Passkeys: 'passkeys in the account',
  TrustDevice: '"trust this browser"',
  Profile: 'profile fields',
  EmailAddresses: 'email addresses management',
  PasswordChange: 'password change',
  AccountDeletion: 'account deletion',
  SocialLogin: 'social providers',
  // Behaviours of the reference backends.
  PasskeySecondFactor: 'passkeys as a second factor',
  RateLimits: 'rate limits',
};

/** fetch() from the shop's page with the backend's cookies (and allauth's CSRF token).
 * `page` is a Playwright page or a cross-engine tab: anything with `evaluate(fn, arg)`. */
function call(page, url, method, body) {
  return page.evaluate(async ([url, method, body]) => {
    const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1];
    // No body is `null` here: the engines' drivers send the arguments as JSON.
    const headers = body === null ? {} : { 'content-type': 'application/json' };
    if (csrf) headers['x-csrftoken'] = csrf;
    const response = await fetch(url, { method, credentials: 'include', headers,
      body: body === null ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }, [url, method, body ?? null]);
}

/** A passkey made by the page's authenticator for WebAuthn creation options (JSON). */
const createCredential = (page, options) => page.evaluate(async (options) => (await navigator.credentials.create({
  publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })).toJSON(), options);

async function expectOk(answer, what) {
  const { status, json } = await answer;
  if (status !== 200) throw new Error(`${what}: HTTP ${status} ${JSON.stringify(json)}`);
  return json;
}

/** allauth's headless browser API (`/_allauth/browser/v1`) and the devserver's `/api/profile`. */
function allauthApi(page, url) {
  const api = (method, path, body) => call(page, `${url}/_allauth/browser/v1${path}`, method, body);
  return {
    async createAccount(email, password, { verify = true } = {}) {
      await api('GET', '/auth/session');
      await api('POST', '/auth/signup', { email, password });
      if (verify) await expectOk(api('POST', '/auth/email/verify', { key: await mailboxCode(url, email) }), 'verify');
    },
    async enableTotp(password) {
      await api('POST', '/auth/reauthenticate', { password });
      const secret = (await api('GET', '/account/authenticators/totp')).json.meta.secret;
      await expectOk(api('POST', '/account/authenticators/totp', { code: totp(secret) }), 'TOTP');
      const codes = await expectOk(api('GET', '/account/authenticators/recovery-codes'), 'codes');
      return { secret, recoveryCodes: codes.data.unused_codes };
    },
    async addPasskey(password) {
      await api('POST', '/auth/reauthenticate', { password });
      const options = (await api('GET', '/account/authenticators/webauthn?passwordless')).json.data.creation_options;
      const credential = await createCredential(page, options.publicKey);
      await expectOk(api('POST', '/account/authenticators/webauthn', { name: 'test key', credential }), 'passkey');
    },
    /** The signed-in user, or null. */
    async user() {
      return (await api('GET', '/auth/session')).json?.data?.user ?? null;
    },
    async profile() {
      const { data } = await expectOk(call(page, `${url}/api/profile`, 'GET'), 'profile');
      return { firstName: data.first_name, lastName: data.last_name, displayName: data.display_name };
    },
    /** Ends the backend's session (or a sign-in left pending). */
    signOut: () => api('DELETE', '/auth/session'),
  };
}

/** better-auth's API (`/api/auth`): the password goes into each protected call. */
function betterAuthApi(page, url) {
  const api = (method, path, body) => call(page, `${url}/api/auth${path}`, method, body);
  const user = async () => (await api('GET', '/get-session')).json?.user ?? null;
  return {
    async createAccount(email, password, { verify = true } = {}) {
      await expectOk(api('POST', '/sign-up/email', { email, password, name: '' }), 'sign-up');
      if (!verify) return;
      const otp = await mailboxCode(url, email);
      await expectOk(api('POST', '/email-otp/verify-email', { email, otp }), 'verify');
    },
    async enableTotp(password) {
      const enabled = await expectOk(api('POST', '/two-factor/enable', { password }), 'TOTP');
      const secret = new URL(enabled.totpURI).searchParams.get('secret');
      await expectOk(api('POST', '/two-factor/verify-totp', { code: totp(secret) }), 'TOTP code');
      return { secret, recoveryCodes: enabled.backupCodes };
    },
    async addPasskey() {
      const options = await expectOk(api('GET', '/passkey/generate-register-options'), 'options');
      const response = await createCredential(page, options);
      await expectOk(api('POST', '/passkey/verify-registration', { response, name: 'test key' }), 'passkey');
    },
    user,
    async profile() {
      const { firstName, lastName, name } = await user();
      return { firstName, lastName, displayName: name };
    },
    signOut: () => api('POST', '/sign-out', {}),
  };
}

/**
 * `start({ port, frontend, env })` → `{ url, stop() }`; `api(page, url)` → the calls a
 * test arranges accounts with, from a shop page (open it first): `createAccount(email,
 * password, { verify })`, `enableTotp(password)` → `{ secret, recoveryCodes }`,
 * `addPasskey(password)` (a virtual authenticator on the page), `user()`, `profile()`
 * → `{ firstName, lastName, displayName }`, `signOut()`. `rateLimits`: the backend's
 * environment with its rate limits on, and the failed sign-in that is refused first.
 */
const ALLAUTH = {
  name: 'allauth',
  loginApi: 'allauth',
  adapter: 'core/src/backend/allauth.rs',
  capabilities: ['SignUp', 'PasskeySignUp', 'LoginByCode', 'PasswordReset', 'PasskeyLogin', 'Totp', 'RecoveryCodes',
    'Passkeys', 'TrustDevice', 'Profile', 'EmailAddresses', 'PasswordChange', 'SocialLogin'],
  behaviours: ['PasskeySecondFactor', 'RateLimits'],
  start: startBackend,
  api: allauthApi,
  mailboxCode,
  // Five failures per address in five minutes; the sixth is refused.
  rateLimits: { env: { IDP_RATE_LIMITS: '1' }, refusedAttempt: 6 },
  paths: { login: '/_allauth/browser/v1/auth/login', authorize: '/identity/o/authorize', token: '/identity/o/api/token' },
};

const BETTER_AUTH = {
  name: 'better-auth',
  loginApi: 'better-auth',
  adapter: 'core/src/backend/better_auth.rs',
  capabilities: ['SignUp', 'LoginByCode', 'PasswordReset', 'PasskeyLogin', 'Totp', 'RecoveryCodes', 'Passkeys',
    'Profile', 'PasswordChange', 'AccountDeletion'],
  behaviours: ['RateLimits'],
  start: startBetterAuth,
  api: betterAuthApi,
  mailboxCode,
  // Three sign-ins per client within ten seconds of each other; the fourth is refused.
  rateLimits: { env: { BA_RATE_LIMITS: '1' }, refusedAttempt: 4 },
  paths: { login: '/api/auth/sign-in/email', authorize: '/api/auth/oauth2/authorize', token: '/api/auth/oauth2/token' },
};

/** Every reference backend, allauth first. */
export const BACKENDS = [ALLAUTH, BETTER_AUTH];

/** The descriptor whose `login-api` is `loginApi`. */
export function backendFor(loginApi) {
  const found = BACKENDS.find((backend) => backend.loginApi === loginApi);
  if (!found) throw new Error(`no reference backend for login-api="${loginApi}"`);
  return found;
}

/** Whether `backend` has `need` (a key of NEEDS). */
export const has = (backend, need) => backend.capabilities.includes(need) || backend.behaviours.includes(need);

/** Why `backend` cannot run a journey needing `needs`, or undefined when it can. */
export function lacking(backend, needs = []) {
  const missing = needs.filter((need) => !has(backend, need));
  return missing.length ? `${backend.name} has no ${missing.map((need) => NEEDS[need]).join(', no ')}` : undefined;
}

/** The adapter's source, for the test that keeps `capabilities` in step with it. */
export const adapterSource = (backend) => path.join(ROOT, backend.adapter);

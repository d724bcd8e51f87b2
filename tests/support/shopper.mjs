// A shopper at the demo shop's widget, and the reference backend's own API called from
// the shop's page, for either backend (`demo.loginApi`: `allauth` or `better-auth`,
// see withDemoShop): the steps the journey and account tests share.
import { mailboxCode } from './backend.mjs';
import { totp } from './totp.mjs';

const SIGNED_IN_TIMEOUT = 15_000;

/** Opens the shop's sign-in dialog; returns the widget. */
export async function openWidget(page, demo) {
  await page.goto(`${demo.shop}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Sign in' }).waitFor();
  return widget;
}

/** Waits until the shop's header names the signed-in shopper. */
export const signedInAs = (page, name) =>
  page.locator('#account-name').filter({ hasText: name }).waitFor({ timeout: SIGNED_IN_TIMEOUT });

/** Fills the sign-in form and submits it. */
export async function submitSignIn(widget, email, password) {
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** A fresh verified account made with the widget's own sign-up, signed in. */
export async function signUp(page, demo, email, password) {
  const widget = await openWidget(page, demo);
  await widget.getByRole('button', { name: 'Create an account' }).click();
  await widget.getByLabel('Email', { exact: true }).fill(email);
  await widget.getByLabel('Password', { exact: true }).fill(password);
  await widget.getByRole('checkbox').check();
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByRole('heading', { name: 'Check your email' }).waitFor();
  await widget.getByLabel('Code', { exact: true }).fill(await mailboxCode(demo.backend.url, email));
  await widget.getByRole('button', { name: 'Confirm' }).click();
  await signedInAs(page, email);
  return widget;
}

/** Opens the shop's dialog, where the signed-in widget lives, unless it is open. */
export async function showDialog(page) {
  await page.evaluate(() => {
    const dialog = document.getElementById('sign-in-dialog');
    if (!dialog.open) dialog.showModal();
  });
}

/** Reopens the widget (signed in) at one account section. */
export async function openSection(page, widget, name) {
  await showDialog(page);
  await widget.getByRole('button', { name, exact: true }).click();
  await widget.getByRole('heading', { name }).waitFor();
}

/** Answers "Confirm it's you" with the password. */
export async function confirmPassword(widget, password) {
  await widget.getByRole('heading', { name: "Confirm it's you" }).waitFor();
  await widget.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await widget.getByRole('button', { name: 'Confirm', exact: true }).click();
}

/** The account sections the signed-in widget offers, by their button texts. */
export async function accountSections(page, widget) {
  await showDialog(page);
  await widget.getByRole('button', { name: 'Sign out' }).waitFor();
  return widget.locator('.lk-menu .lk-link').allTextContents();
}

/** Adds a virtual authenticator (CTAP2, resident keys, user verified) to the page. */
export async function virtualAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

/** fetch() from the shop's page with the backend's cookies (and allauth's CSRF token). */
function call(page, url, method, body) {
  return page.evaluate(async ([url, method, body]) => {
    const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1];
    const headers = body === undefined ? {} : { 'content-type': 'application/json' };
    if (csrf) headers['x-csrftoken'] = csrf;
    const response = await fetch(url, { method, credentials: 'include', headers,
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }, [url, method, body]);
}

/** A passkey made by the page's authenticator for WebAuthn creation options (JSON). */
const createCredential = (page, options) => page.evaluate(async (options) => (await navigator.credentials.create({
  publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })).toJSON(), options);

async function expectOk(answer, what) {
  const { status, json } = await answer;
  if (status !== 200) throw new Error(`${what}: HTTP ${status} ${JSON.stringify(json)}`);
  return json;
}

/** allauth's headless browser API (`/_allauth/browser/v1`). */
function allauthApi(page, demo) {
  const api = (method, path, body) => call(page, `${demo.backend.url}/_allauth/browser/v1${path}`, method, body);
  return {
    async createAccount(email, password) {
      await api('GET', '/auth/session');
      await api('POST', '/auth/signup', { email, password });
      await expectOk(api('POST', '/auth/email/verify', { key: await mailboxCode(demo.backend.url, email) }), 'verify');
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
    async user() {
      return (await api('GET', '/auth/session')).json.data?.user ?? null;
    },
    signOut: () => api('DELETE', '/auth/session'),
  };
}

/** better-auth's API (`/api/auth`): the password goes into each protected call. */
function betterAuthApi(page, demo) {
  const api = (method, path, body) => call(page, `${demo.backend.url}/api/auth${path}`, method, body);
  return {
    async createAccount(email, password, { verify = true } = {}) {
      await expectOk(api('POST', '/sign-up/email', { email, password, name: '' }), 'sign-up');
      if (!verify) return;
      const otp = await mailboxCode(demo.backend.url, email);
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
    async user() {
      return (await api('GET', '/get-session')).json?.user ?? null;
    },
    signOut: () => api('POST', '/sign-out', {}),
  };
}

/**
 * The reference backend's own API, from the shop's page (open it first): accounts,
 * factors and passkeys set up without the widget, as a test's starting point.
 */
export function backendApi(page, demo) {
  return demo.loginApi === 'better-auth' ? betterAuthApi(page, demo) : allauthApi(page, demo);
}

// Steps the journeys share, in the demo shop, through the cross-engine tab API
// (tests/support/engines.mjs). Controls are found by role and English name (`t`).

const SIGNED_IN_TIMEOUT = 15_000;

/** Opens the shop's sign-in dialog in `tab`; waits for the widget's sign-in form. */
export async function openSignIn(tab, { shop, t }) {
  await tab.goto(`${shop}/`);
  await tab.page.button('Sign in').click();
  await tab.widget.heading(t.sign_in_title).waitFor();
}

/** Fills the sign-in form and submits it. */
export async function signIn(tab, { t }, email, password) {
  await tab.widget.field(t.email_label).fill(email);
  await tab.widget.field(t.password_label).fill(password);
  await tab.widget.button(t.submit).click();
}

/**
 * Waits until the shop has taken the sign-in: its header names the shopper, its
 * account menu is shown and the sign-in dialog is closed (a name left from an
 * earlier sign-in in the same page does not count).
 */
export function signedInAs(tab, name) {
  return tab.waitFor((name) => (name === null || document.getElementById('account-name')?.textContent === name)
    && !document.getElementById('account-menu').hidden && !document.getElementById('sign-in-dialog').open, name,
  { timeout: SIGNED_IN_TIMEOUT, what: name === null ? 'the shop to show the account menu' : `the header to show "${name}"` });
}

/** Waits until the shop has taken the sign-in, whatever name its header shows. */
export const signedIn = (tab) => signedInAs(tab, null);

/** The user the shop's widget signed in: the ID token's claims (`client.getUser()`). */
export function signedInUser(tab) {
  return tab.evaluate(() => document.querySelector('latchkey-widget').client.getUser());
}

/** Opens the signed-in widget again (the shop's dialog). */
export function reopenWidget(tab) {
  return tab.evaluate(() => document.getElementById('sign-in-dialog').showModal());
}

/** A text of `t` with its `{}` placeholders filled in order. */
export function fill(template, ...values) {
  return values.reduce((text, value) => text.replace('{}', value), template);
}

/** A RegExp for a text of `t` whose placeholders may be anything. */
export function pattern(template) {
  return new RegExp(`^${template.split('{}').map(literal).join('.+')}$`);
}

/** `text` escaped for a RegExp, to match it literally. */
export const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An address no other test uses. */
export const uniqueEmail = (prefix) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;

/** A fresh verified account, made with the widget's own sign-up; ends signed in. */
export async function signUp(tab, env, email, password) {
  const { t, backend } = env;
  await openSignIn(tab, env);
  await tab.widget.button(t.create_account).click();
  await tab.widget.field(t.email_label).fill(email);
  await tab.widget.field(t.new_password_label).fill(password);
  await tab.widget.checkbox(t.terms_label).check();
  await tab.widget.button(t.sign_up_submit).click();
  await tab.widget.heading(t.verify_title).waitFor();
  await tab.widget.field(t.code_label).fill(await backend.mailboxCode(email));
  await tab.widget.button(t.verify_submit).click();
  await signedInAs(tab, email);
}

/** Reopens the signed-in widget at one account section, once it has loaded. */
export async function openSection(tab, { t }, title) {
  await reopenWidget(tab);
  await tab.widget.button(title).click();
  await tab.widget.heading(title).waitFor();
  // The widget replaces what is typed before the section's data arrives with that data.
  await tab.widget.text(t.loading).waitFor({ state: 'hidden' });
}

/** Answers the widget's "confirm it's you" with the password. */
export async function confirmPassword(tab, { t }, password) {
  await tab.widget.heading(t.reauth_title).waitFor();
  await tab.widget.field(t.password_label).fill(password);
  await tab.widget.button(t.confirm).click();
}

/** Starts counting the widget's `latchkey:error` events in the tab's page (until it navigates). */
export function countErrors(tab) {
  return tab.evaluate(() => {
    window.widgetErrors = [];
    document.addEventListener('latchkey:error', (event) => window.widgetErrors.push(event.detail.code));
  });
}

/** Waits for the `n`th error counted since countErrors (from 1); returns its code. */
export function nthError(tab, n) {
  return tab.waitFor((n) => window.widgetErrors?.[n - 1], n, { what: `error ${n} of the widget` });
}

/**
 * An account made through the backend's own API from the shop's page in `tab`, and
 * signed out again: verified unless `verify` is false; with an authenticator app
 * (`totp`: returns `{ secret, recoveryCodes }`) or a passkey of the tab's virtual
 * authenticator (`passkey`).
 */
export async function arrangeAccount(tab, env, email, password, { verify = true, totp = false, passkey = false } = {}) {
  await tab.goto(`${env.shop}/`);
  const api = env.backend.api(tab);
  await api.createAccount(email, password, { verify });
  const factors = totp ? await api.enableTotp(password) : {};
  if (passkey) await api.addPasskey(password);
  await api.signOut();
  return factors;
}

/** Signs out from the shop's header menu. */
export async function signOutFromHeader(tab) {
  await tab.page.css('#account-menu summary').click();
  await tab.page.button('Sign out').click();
  await tab.page.button('Sign in').waitFor();
}

/** Waits until one of `locators` is shown; returns its index. */
export async function firstShown(locators, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const [index, locator] of locators.entries()) if (await locator.isVisible()) return index;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for any of ${locators.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits for `next`, answering "confirm it's you" with the password on the way if the
 * backend asks for it there (when it does is the backend's own rule).
 */
export async function confirmIfAsked(tab, env, password, next) {
  if (await firstShown([tab.widget.heading(env.t.reauth_title), next]) === 0) await confirmPassword(tab, env, password);
  await next.waitFor();
}

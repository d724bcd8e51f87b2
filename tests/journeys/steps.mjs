// Steps the journeys share, in the demo shop, through the cross-engine tab API
// (tests/support/engines.mjs). Controls are found by role and English name (`t`).
import { mailboxCode } from '../support/backend.mjs';

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

/** Waits until the shop's header names the signed-in shopper. */
export function signedInAs(tab, name) {
  return tab.waitFor((name) => document.getElementById('account-name')?.textContent === name, name,
    { timeout: SIGNED_IN_TIMEOUT, what: `the header to show "${name}"` });
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
  await tab.widget.field(t.code_label).fill(await mailboxCode(backend, email));
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


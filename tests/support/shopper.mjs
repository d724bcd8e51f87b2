// A shopper at the demo shop's widget in Chromium (Playwright), for the tests of one
// backend's own ways (tests/e2e/better-auth.test.mjs); the journeys every backend
// shares use the cross-engine steps of tests/journeys/steps.mjs.

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

// The sign-in form the loader draws before the widget has loaded (js/first-form.js),
// in the demo shop against the reference backend. The widget's wasm is held back
// (page.route) until the test lets it through, so the moment the widget takes the
// form over is the test's to choose.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SEED_EMAIL, SEED_NAME, SEED_PASSWORD } from '../support/backend.mjs';
import { openPage } from '../support/browser.mjs';
import { withDemoShop } from '../support/demo.mjs';

const SHOP_PORT = 8902;
const SHOP = `http://localhost:${SHOP_PORT}`;
const demo = withDemoShop({ backendPort: 9852, shopPort: SHOP_PORT });
const WIDGET_WASM = '**/latchkey/pkg/latchkey_bg.wasm';
const LOGIN = '/_allauth/browser/v1/auth/login';

/**
 * The demo shop with the widget's wasm held back; `release()` lets it through. The
 * sign-in dialog is open and the first form drawn.
 */
async function shopWithWidgetHeld({ locale = 'en-US' } = {}) {
  const opened = await openPage(demo.browser);
  if (locale !== 'en-US') {
    // The shop leaves the language to the browser's.
    await opened.page.addInitScript((tag) => Object.defineProperty(navigator, 'languages', { get: () => [tag] }), locale);
  }
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let widgetFetched = false;
  await opened.context.route(WIDGET_WASM, async (route) => {
    await held;
    widgetFetched = true;
    await route.continue();
  });
  const logins = [];
  opened.page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith(LOGIN)) logins.push(request);
  });
  await opened.page.goto(`${SHOP}/`);
  await opened.page.locator('#sign-in').click();
  const widget = opened.page.locator('latchkey-widget');
  await widget.locator('#lk-email').waitFor();
  const firstRoot = await widget.evaluateHandle((el) => el.shadowRoot.querySelector('.lk-root'));
  return {
    ...opened, widget, release, logins, widgetFetched: () => widgetFetched,
    /** Resolves once the widget has replaced the first form. */
    takenOver: () => opened.page.waitForFunction((root) => !root.isConnected, firstRoot, { timeout: 15_000 }),
    stillFirst: () => firstRoot.evaluate((root) => root.isConnected),
  };
}

/** The widget's markup as data: tags, attributes, texts (adjacent texts joined). */
function shapeOf(widget) {
  return widget.evaluate((host) => {
    const shape = (node) => {
      const children = [];
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          if (typeof children.at(-1) === 'string') children[children.length - 1] += child.data;
          else if (child.data) children.push(child.data);
        } else if (child.nodeType === Node.ELEMENT_NODE) children.push(shape(child));
      }
      const attributes = Object.fromEntries([...node.attributes].map((a) => [a.name, a.value]).sort());
      return { tag: node.localName, attributes, children };
    };
    const hostAttributes = ['theme', 'preset'].map((name) => host.getAttribute(name));
    return { host: hostAttributes, root: shape(host.shadowRoot.querySelector('.lk-root')) };
  });
}

for (const locale of ['en-US', 'ar']) {
  test(`the first form is the widget's sign-in form, in the same markup and words (${locale})`, async () => {
    const shop = await shopWithWidgetHeld({ locale });
    const drawn = await shapeOf(shop.widget);
    assert.equal(await shop.stillFirst(), true);
    assert.equal(shop.widgetFetched(), false, 'drawn before the widget arrived');
    shop.release();
    await shop.takenOver();
    assert.deepEqual(await shapeOf(shop.widget), drawn);
    assert.match(JSON.stringify(drawn), locale === 'ar' ? /"dir":"rtl"/ : /"dir":"ltr"/);
    assert.deepEqual(shop.problems, []);
    await shop.context.close();
  });
}

test('what was typed, the focus and the caret survive the moment the widget takes over', async () => {
  const shop = await shopWithWidgetHeld();
  const { page, widget } = shop;
  await widget.locator('#lk-email').pressSequentially(SEED_EMAIL);
  await page.keyboard.press('Tab');
  await page.keyboard.type('a typed passphrase');
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowLeft');
  await page.keyboard.down('Shift');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.up('Shift');
  const before = await widget.locator('#lk-password').evaluate((input) => [input.selectionStart, input.selectionEnd]);
  assert.deepEqual(before, [13, 14]);
  shop.release();
  await shop.takenOver();
  const after = await page.evaluate(() => {
    const root = document.querySelector('latchkey-widget').shadowRoot;
    const focused = root.activeElement;
    return {
      focused: focused?.id,
      selection: [focused?.selectionStart, focused?.selectionEnd, focused?.selectionDirection],
      email: root.querySelector('#lk-email').value,
      password: root.querySelector('#lk-password').value,
    };
  });
  assert.deepEqual(after, {
    focused: 'lk-password', selection: [13, 14, 'backward'], email: SEED_EMAIL, password: 'a typed passphrase',
  });
  // Typing goes on where the caret was, in the widget's own field: it replaces the selected "h".
  await page.keyboard.type('X');
  assert.equal(await widget.locator('#lk-password').inputValue(), 'a typed passpXrase');
  assert.deepEqual(shop.problems, []);
  await shop.context.close();
});

test('the widget does not take over while the email field is typed in, whose caret cannot be read', async () => {
  const shop = await shopWithWidgetHeld();
  const { page, widget } = shop;
  await widget.locator('#lk-email').pressSequentially('shopper@example.org');
  await page.keyboard.press('ArrowLeft');
  const loaded = page.waitForResponse((response) => response.url().endsWith('/latchkey/pkg/latchkey_bg.wasm'));
  shop.release();
  await loaded;
  await page.waitForTimeout(500);
  assert.equal(await shop.stillFirst(), true, 'the first form stays while the shopper types there');
  await page.keyboard.type('x');
  assert.equal(await widget.locator('#lk-email').inputValue(), 'shopper@example.orxg');
  await page.keyboard.press('Tab');
  await shop.takenOver();
  assert.equal(await widget.locator('#lk-email').inputValue(), 'shopper@example.orxg');
  assert.equal(await page.evaluate(() => document.querySelector('latchkey-widget').shadowRoot.activeElement?.id), 'lk-password');
  await shop.context.close();
});

test('the first form signs in before the widget has loaded: code + PKCE, and back signed in', async () => {
  const shop = await shopWithWidgetHeld();
  const { page, widget } = shop;
  await widget.locator('#lk-email').fill(SEED_EMAIL);
  await widget.locator('#lk-password').fill(SEED_PASSWORD);
  const authorize = page.waitForRequest((request) => request.url().includes('/identity/o/authorize'));
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  const sent = new URL((await authorize).url());
  assert.equal(shop.widgetFetched(), false, 'the widget was still held back');
  assert.equal(sent.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(shop.logins.length, 1);
  // Back on the redirect URI the widget finishes the sign-in.
  shop.release();
  await page.locator('#account-name').filter({ hasText: SEED_NAME }).waitFor({ timeout: 15_000 });
  assert.equal(shop.logins.length, 1, 'sent once');
  assert.deepEqual(shop.problems, []);
  await shop.context.close();
});

test('a wrong password sent from the first form: the widget shows the answer, nothing is sent again', async () => {
  const shop = await shopWithWidgetHeld();
  const { page, widget } = shop;
  await widget.locator('#lk-email').fill(SEED_EMAIL);
  await widget.locator('#lk-password').fill('not the password');
  const answered = page.waitForResponse((response) => response.url().endsWith(LOGIN));
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await answered;
  assert.equal(await widget.getByRole('button', { name: 'Signing in…' }).isDisabled(), true, 'busy until the widget shows the answer');
  shop.release();
  const alert = widget.getByRole('alert');
  await alert.waitFor();
  assert.equal(await alert.textContent(), 'The email or password is incorrect. Check them and try again.');
  assert.equal(await widget.locator('#lk-email').inputValue(), SEED_EMAIL);
  assert.equal(await widget.locator('#lk-password').inputValue(), 'not the password');
  assert.equal(await page.evaluate(() => document.querySelector('latchkey-widget').shadowRoot.activeElement?.id), 'lk-password');
  assert.equal(shop.logins.length, 1, 'the answer was read, not asked for again');
  assert.deepEqual(shop.problems, []);
  await shop.context.close();
});

test('a button that needs the widget waits for it, then does what it says', async () => {
  const shop = await shopWithWidgetHeld();
  const { widget } = shop;
  await widget.locator('#lk-email').fill('shopper@example.org');
  await widget.getByRole('button', { name: 'Forgot password?' }).click();
  shop.release();
  await widget.getByRole('heading', { name: 'Reset your password' }).waitFor();
  assert.equal(await widget.getByLabel('Email', { exact: true }).inputValue(), 'shopper@example.org');
  assert.deepEqual(shop.problems, []);
  await shop.context.close();
});

test('sent while the widget waits to take over: the widget sends it, once', async () => {
  const shop = await shopWithWidgetHeld();
  const { page, widget } = shop;
  await widget.locator('#lk-password').fill('not the password');
  await widget.locator('#lk-email').pressSequentially(SEED_EMAIL);
  const loaded = page.waitForResponse((response) => response.url().endsWith('/latchkey/pkg/latchkey_bg.wasm'));
  shop.release();
  await loaded;
  await page.waitForTimeout(300);
  assert.equal(await shop.stillFirst(), true, 'waiting: the email field is typed in');
  await page.keyboard.press('Enter');
  await shop.takenOver();
  await widget.getByRole('alert').filter({ hasText: 'The email or password is incorrect' }).waitFor();
  assert.equal(shop.logins.length, 1);
  assert.deepEqual(shop.problems, []);
  await shop.context.close();
});

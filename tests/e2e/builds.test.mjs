// Which of the package's files a page loads: the session build alone for a page that
// only calls createClient(), the widget's build for a widget (which createClient()
// then shares), and a language table only for a shopper who needs one, fetched
// alongside the wasm.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { withDemoShop } from '../support/demo.mjs';
import { SESSION_PAGE } from '../support/session.mjs';

const SHOP_PORT = 8901;
const SHOP = `http://localhost:${SHOP_PORT}`;
const demo = withDemoShop({ backendPort: 9851, shopPort: SHOP_PORT, page: SESSION_PAGE });
const PACKAGE = `${SHOP}/node_modules/latchkey/`;

/** The package's files `page` requested, in order, with when each started and ended. */
function packageRequests(page) {
  const files = [];
  page.on('request', (request) => {
    if (request.url().startsWith(PACKAGE)) files.push({ file: request.url().slice(PACKAGE.length), request });
  });
  return {
    files: () => files.map(({ file }) => file),
  };
}

/** A page of the shop with `body` (no CSP: the other tests check it). */
async function customPage(context, body) {
  const page = await context.newPage();
  await page.route(`${SHOP}/custom`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
      <script type="importmap">{ "imports": { "latchkey": "/node_modules/latchkey/js/index.js" } }</script>
      </head><body>${body}</body></html>`,
  }));
  return page;
}

const widgetHtml = (attributes = '') => `<latchkey-widget backend="${demo.backend.url}" login-api="allauth"
  client-id="latchkey-demo" redirect-uri="${SHOP}/callback" ${attributes}></latchkey-widget>`;

test('a page that only calls createClient() loads the session build and nothing of the widget', async () => {
  const context = await demo.browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  const requests = packageRequests(page);
  await page.goto(`${SHOP}/`);
  await page.waitForSelector('html[data-ready]');
  assert.equal(await page.evaluate(() => window.latchkey.isAuthenticated()), false);
  const files = requests.files();
  assert.ok(files.includes('pkg/session/latchkey_bg.wasm'), files.join(', '));
  assert.ok(files.includes('pkg/session/latchkey.js'), files.join(', '));
  assert.deepEqual(files.filter((file) => ['pkg/latchkey.js', 'pkg/latchkey_bg.wasm'].includes(file) || file.startsWith('pkg/i18n/')
    || file.startsWith('style/')), [], 'no widget, no language table, no stylesheet');
  await context.close();
});

test('createClient() on a page with a widget shares the widget\'s build', async () => {
  const context = await demo.browser.newContext({ locale: 'en-US' });
  const page = await customPage(context, `${widgetHtml()}
    <script type="module">
      import { createClient } from 'latchkey';
      window.client = createClient({ backend: '${demo.backend.url}', clientId: 'latchkey-demo', redirectUri: '${SHOP}/callback' });
      await window.client.ready;
      document.documentElement.dataset.ready = 'true';
    </script>`);
  const requests = packageRequests(page);
  await page.goto(`${SHOP}/custom`);
  await page.locator('latchkey-widget').getByLabel('Email', { exact: true }).waitFor();
  await page.waitForSelector('html[data-ready]');
  assert.equal(await page.evaluate(() => window.client.isAuthenticated()), false);
  const wasm = requests.files().filter((file) => file.endsWith('.wasm'));
  assert.deepEqual(wasm, ['pkg/first/latchkey_bg.wasm', 'pkg/latchkey_bg.wasm'], 'the first form\'s, then the widget\'s');
  assert.deepEqual(requests.files().filter((file) => file.startsWith('pkg/i18n/')), ['pkg/i18n/en.js'],
    'the first form\'s English texts; the widget has them');
  await context.close();
});

test('a French shopper gets the French table, fetched alongside the wasm', async () => {
  const context = await demo.browser.newContext({ locale: 'en-US' });
  const page = await customPage(context, `${widgetHtml('locale="fr-CA"')}
    <script type="module">import 'latchkey';</script>`);
  const requests = packageRequests(page);
  // The wasm is held back until the table is asked for: a table that waited for the
  // wasm would never come.
  const tableAsked = page.waitForRequest((request) => request.url().endsWith('/pkg/i18n/fr.json'), { timeout: 10_000 });
  let tableFirst = false;
  await page.route('**/pkg/first/latchkey_bg.wasm', async (route) => {
    tableFirst = await tableAsked.then(() => true, () => false);
    await route.continue();
  });
  await page.goto(`${SHOP}/custom`);
  const widget = page.locator('latchkey-widget');
  await widget.getByRole('heading', { name: 'Se connecter' }).waitFor();
  assert.equal(await widget.locator('.lk-card').getAttribute('lang'), 'fr');
  assert.ok(tableFirst, 'the table was asked for while the wasm was still on its way');
  assert.deepEqual(requests.files().filter((file) => file.startsWith('pkg/i18n/')), ['pkg/i18n/index.js', 'pkg/i18n/fr.json'],
    'where the tables are, then the one needed; not the English texts');
  await context.close();
});

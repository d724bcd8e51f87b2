// Accessibility: axe-core (WCAG 2.0–2.2 A and AA rules) reports no violation in the
// widget on any screen, in light and dark, and in Arabic (right to left); the
// widget also works at 320 px wide. Runs against the real reference backend.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { withDemoShop } from '../support/demo.mjs';
import { everyScreen } from '../support/screens.mjs';

const BACKEND_PORT = 9434;
const SHOP_PORT = 8514;
const SHOP = `http://localhost:${SHOP_PORT}`;
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const demo = withDemoShop({ backendPort: BACKEND_PORT, shopPort: SHOP_PORT });

/** A page that may load axe (the shop's CSP would refuse the injected script). */
async function auditedPage({ colorScheme = 'light', width = 1024, locale = 'en-US' } = {}) {
  const context = await demo.browser.newContext({ bypassCSP: true, colorScheme, locale, viewport: { width, height: 800 } });
  const page = await context.newPage();
  const audits = [];
  /** Runs axe on the widget; records the screen's violations under `label`. */
  const audit = async (label) => {
    await page.waitForTimeout(50); // let Yew finish the render started by the last action
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
    const violations = await page.evaluate(async (tags) => {
      const result = await window.axe.run({ include: [['latchkey-widget']] }, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    }, TAGS);
    audits.push({ label, violations });
  };
  return { context, page, audit, audits };
}

function assertClean(audits) {
  const failing = audits.filter((a) => a.violations.length > 0);
  assert.deepEqual(failing, [], `${audits.length} screens audited`);
  assert.ok(audits.length > 0);
}

test('axe: no violations on any screen, light', async () => {
  const { context, page, audit, audits } = await auditedPage({ colorScheme: 'light' });
  await everyScreen(page, { shop: SHOP, backend: demo.backend.url }, audit);
  // And the screen a shop's developer sees when the configuration is wrong.
  await page.locator('latchkey-widget').evaluate((el) => el.removeAttribute('client-id'));
  await page.locator('latchkey-widget .lk-config-error').waitFor();
  await audit('configuration error');
  assertClean(audits);
  await context.close();
});

test('axe: no violations on any screen, dark (system preference, theme="auto")', async () => {
  const { context, page, audit, audits } = await auditedPage({ colorScheme: 'dark' });
  await everyScreen(page, { shop: SHOP, backend: demo.backend.url }, audit);
  const surface = await page.locator('latchkey-widget').evaluate((el) =>
    getComputedStyle(el.shadowRoot.querySelector('.lk-card')).backgroundColor);
  assert.equal(surface, 'rgb(28, 32, 41)', 'the dark surface is in use');
  assertClean(audits);
  await context.close();
});

test('axe: Arabic, right to left at 320 px wide, has no violations on any screen', async () => {
  const { context, page, audit, audits } = await auditedPage({ width: 320, locale: 'ar' });
  const widget = page.locator('latchkey-widget');
  await everyScreen(page, { shop: SHOP, backend: demo.backend.url, locale: 'ar' }, async (label) => {
    if (label === 'login') {
      const card = widget.locator('.lk-card');
      assert.equal(await card.getAttribute('dir'), 'rtl');
      assert.equal(await card.getAttribute('lang'), 'ar');
      // No horizontal scrolling at 320 px (WCAG 1.4.10).
      const overflow = await card.evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(overflow <= 0, `the card scrolls sideways by ${overflow} px`);
      // The email field's label sits at the right edge, as Arabic reads.
      const labelBox = await widget.locator('label[for=lk-email]').boundingBox();
      const input = await widget.locator('#lk-email').boundingBox();
      assert.ok(Math.abs(labelBox.x + labelBox.width - (input.x + input.width)) < 2, 'label aligned to the right');
    }
    await audit(`ar: ${label}`);
  });
  assertClean(audits);
  assert.ok(audits.length >= 15, `${audits.length} screens audited`);
  await context.close();
});

test('every language renders the login screen in its own words', async () => {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${SHOP}/`);
  const widget = page.locator('latchkey-widget');
  const seen = new Map();
  for (const locale of ['en', 'es', 'fr', 'de', 'pt-BR', 'ja', 'ar', 'he']) {
    await widget.evaluate((el, locale) => el.setAttribute('locale', locale), locale);
    const card = widget.locator(`.lk-card[lang="${locale}"]`);
    await card.waitFor({ state: 'attached' });
    const title = await card.locator('h2').textContent();
    assert.equal(await card.getAttribute('dir'), ['ar', 'he'].includes(locale) ? 'rtl' : 'ltr', locale);
    assert.ok(![...seen.values()].includes(title), `${locale}: "${title}" repeats another language's title`);
    seen.set(locale, title);
  }
  // A region or a bare language falls back to the closest table.
  await widget.evaluate((el) => el.setAttribute('locale', 'pt'));
  await widget.locator('.lk-card[lang="pt-BR"]').waitFor({ state: 'attached' });
  await context.close();
});

test('the host page overrides a string; an unknown key is a named configuration error', async () => {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${SHOP}/`);
  const widget = page.locator('latchkey-widget');
  await widget.evaluate((el) => el.setAttribute('strings', JSON.stringify({ submit: 'Log in to the shop' })));
  await page.locator('#sign-in').click();
  await widget.getByRole('button', { name: 'Log in to the shop' }).waitFor();
  await widget.evaluate((el) => el.setAttribute('strings', JSON.stringify({ sumbit: 'typo' })));
  await widget.getByText('strings (strings): unknown key "sumbit"').waitFor();
  await context.close();
});

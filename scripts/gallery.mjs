// Screenshots of every screen of the widget, in light and dark and in Arabic (right
// to left), into gallery/ (not committed): starts its own reference backend and demo
// shop, as the tests do. Usage: node scripts/gallery.mjs [output folder]
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createDemoServer } from '../www/server.mjs';
import { startBackend } from '../tests/support/backend.mjs';
import { launch } from '../tests/support/browser.mjs';
import { everyScreen } from '../tests/support/screens.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.resolve(process.argv[2] ?? path.join(ROOT, 'gallery'));
const BACKEND_PORT = 9436;
const SHOP_PORT = 8516;
const SHOP = `http://localhost:${SHOP_PORT}`;

const slug = (label) => label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const backend = await startBackend({ port: BACKEND_PORT, frontend: SHOP });
const shop = await createDemoServer({ backend: backend.url, origin: SHOP });
await new Promise((resolve) => shop.listen(SHOP_PORT, 'localhost', resolve));
const browser = await launch();
let count = 0;
try {
  await rm(OUT, { recursive: true, force: true });
  for (const colorScheme of ['light', 'dark']) {
    await mkdir(path.join(OUT, colorScheme), { recursive: true });
    const context = await browser.newContext({ colorScheme, viewport: { width: 480, height: 900 } });
    const page = await context.newPage();
    let n = 0;
    await everyScreen(page, { shop: SHOP, backend: backend.url }, async (label) => {
      await page.waitForTimeout(100);
      const file = path.join(OUT, colorScheme, `${String(++n).padStart(2, '0')}-${slug(label)}.png`);
      await page.locator('latchkey-widget').screenshot({ path: file });
      count++;
    });
    await context.close();
  }

  // Arabic: the screens reachable without English labels.
  await mkdir(path.join(OUT, 'ar'), { recursive: true });
  const context = await browser.newContext({ viewport: { width: 480, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${SHOP}/`);
  const widget = page.locator('latchkey-widget');
  await widget.evaluate((el) => el.setAttribute('locale', 'ar'));
  await page.locator('#sign-in').click();
  await widget.locator('.lk-card[dir="rtl"]').waitFor();
  const shot = async (name) => {
    await page.waitForTimeout(100);
    await widget.screenshot({ path: path.join(OUT, 'ar', `${name}.png`) });
    count++;
  };
  await shot('01-login');
  await widget.locator('button[type=submit]').click();
  await widget.locator('.lk-field-error').first().waitFor();
  await shot('02-login-empty-fields');
  await widget.locator('.lk-footer .lk-link').last().click();
  await widget.locator('#lk-terms').waitFor();
  await shot('03-sign-up');
  await widget.locator('.lk-footer .lk-link').last().click();
  await widget.locator('.lk-field .lk-link').click();
  await shot('04-forgot-password');
  await context.close();
  console.log(`${count} screenshots in ${OUT}`);
} finally {
  await browser.close();
  shop.close();
  await backend.stop();
}

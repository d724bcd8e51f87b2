// Screenshots of every screen of the widget, in light, dark and Arabic (right to
// left), into gallery/ (not committed): starts its own reference backend and demo
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
  // Every screen in light and dark, and in Arabic (right to left).
  const runs = [
    { folder: 'light', colorScheme: 'light', locale: 'en-US' },
    { folder: 'dark', colorScheme: 'dark', locale: 'en-US' },
    { folder: 'ar', colorScheme: 'light', locale: 'ar' },
  ];
  for (const { folder, colorScheme, locale } of runs) {
    await mkdir(path.join(OUT, folder), { recursive: true });
    const context = await browser.newContext({ colorScheme, locale, viewport: { width: 480, height: 900 } });
    const page = await context.newPage();
    let n = 0;
    await everyScreen(page, { shop: SHOP, backend: backend.url, locale: locale.split('-')[0] }, async (label) => {
      await page.waitForTimeout(100);
      const file = path.join(OUT, folder, `${String(++n).padStart(2, '0')}-${slug(label)}.png`);
      await page.locator('latchkey-widget').screenshot({ path: file });
      count++;
    });
    await context.close();
  }
  console.log(`${count} screenshots in ${OUT}`);
} finally {
  await browser.close();
  shop.close();
  await backend.stop();
}

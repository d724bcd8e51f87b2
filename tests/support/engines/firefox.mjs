// Firefox for the cross-engine journeys: Debian's Firefox ESR driven by puppeteer-core
// over WebDriver BiDi. The browser language is a preference of the whole browser, so
// each language gets its own browser, started when a profile first asks for it.
import puppeteer from 'puppeteer-core';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

function start(locale) {
  return puppeteer.launch({
    browser: 'firefox', protocol: 'webDriverBiDi', executablePath: FIREFOX, headless: true,
    extraPrefsFirefox: { 'intl.accept_languages': locale },
  });
}

export async function launch() {
  const browsers = new Map();
  const browserFor = (locale) => {
    if (!browsers.has(locale)) browsers.set(locale, start(locale));
    return browsers.get(locale);
  };
  const first = await browserFor('en-US');
  return {
    version: `Firefox ${(await first.version()).replace(/^firefox\//, '')}`,
    async newProfile({ locale }) {
      const context = await (await browserFor(locale)).createBrowserContext();
      return {
        newTab: async () => tab(await context.newPage()),
        close: () => context.close(),
      };
    },
    async close() {
      await Promise.all([...browsers.values()].map(async (browser) => (await browser).close()));
    },
  };
}

const KEYS = { Space: ' ' };

function tab(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push({ kind: 'uncaught exception', message: error.message, page: page.url() }));
  return {
    problems,
    goto: (url) => page.goto(url),
    url: async () => page.url(),
    run: (expression) => page.evaluate(expression),
    async element(expression) {
      const handle = await page.evaluateHandle(expression);
      return handle.asElement() ?? handle.jsonValue();
    },
    click: (element) => element.click(),
    async fill(element, text) {
      // Focused, everything selected, then typed over, as a user would.
      await element.evaluate((input) => { input.focus(); input.select?.(); });
      await page.keyboard.down('Control');
      await page.keyboard.press('a');
      await page.keyboard.up('Control');
      if (text) await page.keyboard.type(text);
      else await page.keyboard.press('Backspace');
    },
    press: (key) => page.keyboard.press(KEYS[key] ?? key),
    type: (text) => page.keyboard.type(text),
    // This tab only (WebDriver BiDi's emulated network conditions).
    setOffline: (offline) => page.setOfflineMode(offline),
    close: () => page.close(),
  };
}

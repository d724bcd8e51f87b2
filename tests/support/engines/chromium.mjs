// Chromium for the cross-engine journeys: Debian's Chromium driven by playwright-core,
// as in the Chromium-only tests (tests/support/browser.mjs).
import { launch as launchChromium } from '../browser.mjs';

export async function launch() {
  const browser = await launchChromium();
  return {
    version: `Chromium ${browser.version()}`,
    async newProfile({ locale }) {
      const context = await browser.newContext({ locale });
      const requests = [];
      context.on('request', (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() }));
      return {
        requests,
        newTab: async () => tab(await context.newPage()),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

function tab(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push({ kind: 'uncaught exception', message: error.message, page: page.url() }));
  page.on('console', (message) => {
    // CSP reports that never reach the page's probe (e.g. a blocked navigation).
    if (message.type() === 'error' && /Content.Security.Policy|Trusted Type/i.test(message.text())) {
      problems.push({ kind: 'CSP violation', message: message.text(), page: page.url() });
    }
  });
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
    fill: (element, text) => element.fill(text),
    press: (key) => page.keyboard.press(key),
    type: (text) => page.keyboard.type(text),
    close: () => page.close(),
  };
}

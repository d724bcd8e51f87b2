// Chromium for the cross-engine journeys: Debian's Chromium driven by playwright-core,
// as in the Chromium-only tests (tests/support/browser.mjs).
import { launch as launchChromium } from '../browser.mjs';

export async function launch() {
  const browser = await launchChromium();
  return {
    version: `Chromium ${browser.version()}`,
    async newProfile({ locale, passkeyAutofill }) {
      const context = await browser.newContext({ locale });
      // A browser that offers no passkeys in the email field's autofill.
      if (!passkeyAutofill) {
        await context.addInitScript(() => { PublicKeyCredential.isConditionalMediationAvailable = async () => false; });
      }
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
    virtualAuthenticator: () => virtualAuthenticator(page),
    // The whole profile goes offline (Playwright's context), as when the network is down.
    setOffline: (offline) => page.context().setOffline(offline),
    close: () => page.close(),
  };
}

/** A CTAP2 authenticator with resident keys and user verification, on this tab (CDP),
 * that answers every passkey prompt at once; `credentials()` counts its passkeys. */
async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length };
}

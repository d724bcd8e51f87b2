// Helpers for tests of the session API on tests/fixtures/session.html, a shop page
// whose own code uses createClient() (exposed to the test as window.latchkey).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SESSION_PAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/session.html');

/** Opens `url` and waits until the page's client knows its session. */
export async function openSessionPage(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('html[data-ready]');
  return page;
}

/** Starts the redirect login from the page; resolves once the page has left for it. */
export async function startLogin(page, options = {}) {
  const left = page.waitForEvent('framenavigated');
  // Not awaited in the page: the navigation ends its execution context.
  await page.evaluate((options) => { window.latchkey.login(options); }, options);
  await left;
}

/** Every token the token endpoint hands out in `context`, from its responses. */
export function recordTokens(context, tokenPath) {
  const tokens = new Set();
  const bodies = [];
  const requests = [];
  const reading = [];
  context.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === tokenPath) {
      requests.push({ body: new URLSearchParams(request.postData() ?? ''), headers: request.headers() });
    }
  });
  // Read on the way through, not from the response afterwards: a page that navigates
  // right after the code exchange takes the response's body with it.
  const routed = context.route((url) => url.pathname === tokenPath, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    const text = await response.text();
    try {
      const body = JSON.parse(text);
      bodies.push(body);
      for (const name of ['access_token', 'refresh_token', 'id_token']) if (body[name]) tokens.add(body[name]);
    } catch { /* not JSON (an error page) */ }
    return route.fulfill({ response, body: text });
  });
  reading.push(routed);
  return {
    requests,
    refreshes: () => requests.filter((r) => r.body.get('grant_type') === 'refresh_token'),
    /** The tokens handed out so far. */
    async tokens() { await Promise.all(reading); return tokens; },
    /** The newest `name` (e.g. refresh_token) handed out. */
    async latest(name) { await Promise.all(reading); return bodies.filter((b) => b[name]).at(-1)?.[name]; },
  };
}

/** Everything a script on the page could read without the client: localStorage,
 * sessionStorage, cookies, the DOM (with open shadow roots) and IndexedDB. */
export function readableState(page) {
  return page.evaluate(async () => {
    const dom = [];
    const walk = (root) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.shadowRoot) { dom.push(element.shadowRoot.innerHTML); walk(element.shadowRoot); }
      }
    };
    dom.push(document.documentElement.outerHTML);
    walk(document);
    const idb = await new Promise((resolve) => {
      const open = indexedDB.open('latchkey');
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('sessions')) { resolve([]); return; }
        const all = db.transaction('sessions').objectStore('sessions').getAll();
        all.onsuccess = () => resolve(all.result);
      };
      open.onerror = () => resolve([]);
    });
    return {
      localStorage: JSON.stringify({ ...localStorage }),
      sessionStorage: JSON.stringify({ ...sessionStorage }),
      cookie: document.cookie,
      dom: dom.join('\n'),
      indexedDb: JSON.stringify(idb),
    };
  });
}

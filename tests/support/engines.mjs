// One small browser API for journeys that run in every engine: Chromium
// (playwright-core), Firefox (puppeteer-core over WebDriver BiDi) and WebKit
// (selenium-webdriver with WebKitWebDriver and MiniBrowser). The engines' drivers in
// engines/ only open profiles and tabs, navigate, run a script, click and type; what
// a journey asks for (controls by role and accessible name, texts, waits, problems)
// is worked out here, by the same code in the page of every engine.
import { locate } from './engines/in-page.mjs';

const TIMEOUT = 15_000;
const POLL = 100;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page script calling `fn` with `arg` (JSON), as an expression. */
const call = (fn, arg) => `(${fn})(${JSON.stringify(arg) ?? 'undefined'})`;

/** `{ text }` or `{ regex, flags }`, as the page script expects a name or text. */
function matcher(want) {
  if (want === undefined) return undefined;
  return want instanceof RegExp ? { regex: want.source, flags: want.flags } : { text: String(want) };
}

/**
 * What a journey may use beyond the tab API every engine has (its `driver` list), and
 * why an engine's driver lacks it: such a journey is skipped there, with that reason.
 */
export const DRIVER_LACKS = {
  chromium: {},
  firefox: {
    virtualAuthenticator:
      'no virtual authenticator over WebDriver BiDi (Marionette has one, through geckodriver, which Debian does not package)',
  },
  webkit: {
    virtualAuthenticator: 'no WebAuthn in WebKitGTK',
    offline: 'no network emulation in WebKitWebDriver',
  },
};

/**
 * Launches `name` (chromium, firefox or webkit). `log` is the fronts' ProblemLog;
 * `ports` are ports the engine's driver may listen on (WebKit).
 */
export async function launchEngine(name, { log, ports } = {}) {
  const { launch } = await import(`./engines/${name}.mjs`);
  const driver = await launch({ ports });
  return new Engine(name, driver, log);
}

class Engine {
  constructor(name, driver, log) {
    this.name = name;
    this.driver = driver;
    this.log = log;
  }

  /** e.g. "Firefox 153.8.0esr" */
  get version() { return this.driver.version; }

  /**
   * A fresh profile (its own cookies and storage) whose browser language is `locale`.
   * `passkeyAutofill: false` (Chromium) hides passkeys from the autofill, so that a
   * virtual authenticator does not sign in the moment a form gets the focus.
   */
  async newProfile({ locale = 'en-US', passkeyAutofill = true } = {}) {
    return new Profile(this, await this.driver.newProfile({ locale, passkeyAutofill }));
  }

  close() { return this.driver.close(); }
}

class Profile {
  #tabs = [];

  constructor(engine, driver) {
    this.engine = engine;
    this.driver = driver;
    this.mark = engine.log?.now() ?? 0;
  }

  /** `{ method, url, body }` of every request so far, where the engine shows them; else null. */
  get requests() { return this.driver.requests ?? null; }

  /** A new tab in this profile (same cookies, storage and BroadcastChannel). */
  async newTab(url) {
    const tab = new Tab(this, await this.driver.newTab());
    this.#tabs.push(tab);
    if (url) await tab.goto(url);
    return tab;
  }

  /** Everything that went wrong in this profile's pages since it was opened:
   * `{ kind, message, page }`, from the page's probe and from the driver. */
  async problems() {
    for (const tab of this.#tabs.filter((t) => !t.closed)) {
      await tab.evaluate(() => window.__latchkeyProbe?.flush()).catch(() => { /* between pages */ });
    }
    return [...this.engine.log?.since(this.mark) ?? [], ...this.#tabs.flatMap((t) => t.driver.problems ?? [])];
  }

  close() { return this.driver.close(); }
}

class Tab {
  constructor(profile, driver) {
    this.profile = profile;
    this.driver = driver;
    this.closed = false;
    /** Controls in the widget's shadow root, and in the shop's own page. */
    this.widget = new Scope(this, 'widget');
    this.page = new Scope(this, 'page');
  }

  goto(url) { return this.driver.goto(url); }

  url() { return this.driver.url(); }

  /** Runs `fn(arg)` in the page (`arg` and the result as JSON); awaits a promise. */
  evaluate(fn, arg) { return this.driver.run(call(fn, arg)); }

  /** Waits until `fn(arg)` in the page is truthy; returns that value. */
  async waitFor(fn, arg, { timeout = TIMEOUT, what = String(fn) } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await this.evaluate(fn, arg).catch((error) => {
        if (Date.now() > deadline) throw error;
        return undefined; // a navigation in progress
      });
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what} on ${await this.url()}`);
      await sleep(POLL);
    }
  }

  /** Waits until the address matches `test(URL)`. */
  async waitForUrl(test, { timeout = TIMEOUT } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const url = await this.url();
      if (test(new URL(url))) return url;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for the address; still ${url}`);
      await sleep(POLL);
    }
  }

  /** Presses one key (Enter, Tab, Space, Backspace, Escape) on the focused element. */
  press(key) { return this.driver.press(key); }

  /** Types text into the focused element, key by key. */
  type(text) { return this.driver.type(text); }

  /**
   * Adds a virtual authenticator to this tab (Chromium, `virtualAuthenticator` in a
   * journey's `driver`): it answers every passkey prompt at once, as a shopper
   * choosing the passkey would. Returns `{ credentials() }`, the number of its passkeys.
   */
  virtualAuthenticator() { return this.#feature('virtualAuthenticator')(); }

  /** Takes the tab's network away, or gives it back (`offline` in a journey's `driver`). */
  setOffline(offline) { return this.#feature('offline', 'setOffline')(offline); }

  /** The driver's `method`, or an error saying why this engine lacks the feature `name`. */
  #feature(name, method = name) {
    const engine = this.profile.engine.name;
    if (!this.driver[method]) throw new Error(`${engine}: ${DRIVER_LACKS[engine]?.[name] ?? `no ${name}`}`);
    return this.driver[method];
  }

  /** The id (or text) of the focused element, inside the widget when it has the focus. */
  focused() {
    return this.evaluate(() => {
      const inner = document.activeElement?.shadowRoot?.activeElement;
      return inner ? (inner.id || inner.textContent) : document.activeElement?.id;
    });
  }

  async close() {
    this.closed = true;
    await this.driver.close();
  }
}

/** Where controls are looked for: the widget's shadow root or the page. */
class Scope {
  constructor(tab, scope) {
    this.tab = tab;
    this.scope = scope;
  }

  /** By ARIA role and accessible name (a string is the whole name; or a RegExp). */
  role(role, name) { return new Locator(this.tab, { scope: this.scope, role, name: matcher(name) }); }

  button(name) { return this.role('button', name); }

  heading(name) { return this.role('heading', name); }

  checkbox(name) { return this.role('checkbox', name); }

  /** A form control by its label (its accessible name). */
  field(label) { return this.role('textbox', label); }

  /** The innermost element whose text is `text` (or matches it). */
  text(text) { return new Locator(this.tab, { scope: this.scope, text: matcher(text) }); }

  /** By CSS, for the shop's own page (ids it defines). */
  css(css) { return new Locator(this.tab, { scope: this.scope, css }); }
}

/** A description of one element, found again in the page at each use. */
class Locator {
  constructor(tab, query) {
    this.tab = tab;
    this.query = query;
  }

  toString() { return JSON.stringify(this.query); }

  count() { return this.tab.driver.run(`${call(locate, this.query)}.length`); }

  async isVisible() { return (await this.count()) === 1; }

  /** Waits until the element is shown (`visible`) or gone (`hidden`). */
  async waitFor({ state = 'visible', timeout = TIMEOUT } = {}) {
    const want = state === 'visible' ? (n) => n === 1 : (n) => n === 0;
    const deadline = Date.now() + timeout;
    for (;;) {
      const count = await this.count().catch(() => -1);
      if (want(count)) return;
      if (Date.now() > deadline) throw await this.#timedOut(`to be ${state} (${count} found)`, timeout);
      await sleep(POLL);
    }
  }

  /** The driver's handle of the one element found. */
  async #element(timeout = TIMEOUT) {
    const deadline = Date.now() + timeout;
    const script = `(() => { const found = ${call(locate, this.query)}; return found.length === 1 ? found[0] : found.length; })()`;
    for (;;) {
      const found = await this.tab.driver.element(script).catch(() => 0);
      if (typeof found !== 'number') return found;
      if (Date.now() > deadline) throw await this.#timedOut(`(${found} found)`, timeout);
      await sleep(POLL);
    }
  }

  /**
   * Runs `act` on the element. In the widget, once the widget has taken over the
   * sign-in form its loader draws first (`ready`): a handle to that form could go
   * stale between finding and acting, and WebKitWebDriver then cannot tell whether
   * a click was delivered. An element replaced before the action is found again.
   */
  async #act(act) {
    if (this.query.scope === 'widget') {
      await this.tab.evaluate(() => Promise.all([...document.querySelectorAll('latchkey-widget')]
        .map((widget) => widget.ready.catch(() => {}))));
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await act(await this.#element());
      } catch (error) {
        const replaced = /not attached|not found|detached/i.test(String(error?.message));
        if (attempt === 3 || !replaced) throw error;
      }
    }
  }

  click() { return this.#act((element) => this.tab.driver.click(element)); }

  /** Replaces the field's value, typed as a user would. */
  fill(text) { return this.#act((element) => this.tab.driver.fill(element, text)); }

  /** Moves the focus to the element, as a script would. */
  async focus() { await this.evaluate((element) => { element.focus(); }); }

  async check() {
    if (!(await this.isChecked())) await this.click();
  }

  text() { return this.evaluate((element) => element.textContent); }

  value() { return this.evaluate((element) => element.value); }

  attribute(name) { return this.evaluate((element, name) => element.getAttribute(name), name); }

  isDisabled() { return this.evaluate((element) => element.disabled === true); }

  isChecked() { return this.evaluate((element) => element.checked === true); }

  /** The element's accessible description: the texts its aria-describedby names. */
  description() {
    return this.evaluate((element) => (element.getAttribute('aria-describedby') ?? '').split(/\s+/)
      .map((id) => id && element.getRootNode().getElementById(id)?.textContent).filter(Boolean).join(' '));
  }

  /** An error that says what the page showed instead. */
  async #timedOut(detail, timeout) {
    const shown = await this.tab.evaluate((scope) => {
      const root = scope === 'widget' ? document.querySelector('latchkey-widget')?.shadowRoot : document.body;
      return `${location.href}: ${(root?.textContent ?? '(no widget)').replace(/\s+/g, ' ').slice(0, 300)}`;
    }, this.query.scope).catch((error) => `(page not readable: ${error.message})`);
    return new Error(`timed out after ${timeout} ms waiting for ${this} ${detail}; the ${this.query.scope} shows ${shown}`);
  }

  /** Runs `read(element, arg)` in the page once the element is there; its result as JSON. */
  async evaluate(read, arg) {
    const script = `(() => { const found = ${call(locate, this.query)};
      return found.length === 1 ? { value: (${read})(found[0], ${JSON.stringify(arg) ?? 'undefined'}) } : null; })()`;
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      const result = await this.tab.driver.run(script).catch(() => null);
      if (result) return result.value;
      if (Date.now() > deadline) throw await this.#timedOut('', TIMEOUT);
      await sleep(POLL);
    }
  }
}

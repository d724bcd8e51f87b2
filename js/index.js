// latchkey: the npm entry. Loads the wasm once, gives every widget its own shadow
// root with the package's stylesheet (a <link>, so no 'unsafe-inline' is needed),
// and defines <latchkey-widget>. Nothing here throws into the host page.
import init, { mount as mountWasm, SessionClient } from '../pkg/latchkey.js';

const STYLESHEET = new URL('../style/latchkey.css', import.meta.url).href;
const ATTRIBUTES = {
  backend: 'backend',
  'login-api': 'loginApi',
  'client-id': 'clientId',
  'redirect-uri': 'redirectUri',
  'start-screen': 'startScreen',
  locale: 'locale',
  scope: 'scope',
  'password-min-length': 'passwordMinLength',
  'breached-password-check': 'breachedPasswordCheck',
  'terms-url': 'termsUrl',
  'signup-fields': 'signupFields',
  'ask-email': 'askEmail',
  theme: 'theme',
  preset: 'preset',
  logo: 'logo',
  'shop-name': 'shopName',
  audience: 'audience',
  storage: 'storage',
  dpop: 'dpop',
  'api-origins': 'apiOrigins',
  'post-logout-redirect-uri': 'postLogoutRedirectUri',
};

/** Attributes whose value is JSON. */
const JSON_ATTRIBUTES = ['strings', 'providers'];

let wasmReady;
const loadWasm = () => (wasmReady ??= init());

function reportLoadFailure(host, container, error) {
  const message = `latchkey: the widget could not load (${error?.message ?? error})`;
  console.error(message);
  container.textContent = 'The sign-in form could not be loaded. Please reload the page.';
  container.setAttribute('role', 'alert');
  host.dispatchEvent(new CustomEvent('latchkey:error', {
    bubbles: true, composed: true, detail: { code: 'load_failed', message },
  }));
}

/**
 * The session API for the shop's own code. Events (`latchkey:login`, `latchkey:logout`,
 * `latchkey:tokenrefreshed`, `latchkey:sessionexpired`, `latchkey:error`) are
 * dispatched on it. Every method waits for the wasm and for the session to be known.
 */
export class LatchkeyClient extends EventTarget {
  #ready;

  /** @param {object | Promise<SessionClient>} source config, or the widget's session */
  constructor(source) {
    super();
    this.#ready = loadWasm().then(async () => {
      const inner = source instanceof Promise ? await source : new SessionClient(source, this);
      if (source instanceof Promise) inner.addTarget(this);
      await inner.ready();
      return inner;
    }).catch((error) => {
      // A bad configuration (code "invalid_config") or a wasm that did not load: every
      // call rejects with it, and listeners hear of it once.
      const detail = { code: error.code ?? 'load_failed', message: error.message ?? String(error) };
      this.dispatchEvent(new CustomEvent('latchkey:error', { detail }));
      throw error;
    });
    this.#ready.catch(() => {}); // rejections reach callers, not the console
  }

  /** Resolves once a stored or shared session has been taken up (or there is none). */
  get ready() { return this.#ready.then(() => undefined); }

  async login(options = {}) { return (await this.#ready).login(options); }

  async handleRedirectCallback() { return (await this.#ready).handleRedirectCallback(); }

  async isAuthenticated() { return (await this.#ready).isAuthenticated(); }

  async getUser(options = {}) { return (await this.#ready).getUser(options); }

  async getAccessToken(options = {}) { return (await this.#ready).getAccessToken(options); }

  async logout({ everywhere = true } = {}) { return (await this.#ready).logout(everywhere); }

  /**
   * `fetch` that presents the access token (Bearer, or DPoP with a proof) to the
   * configured API origins only; other URLs are fetched untouched. A DPoP nonce
   * challenge is answered once; a token the API refuses (`invalid_token`) is renewed
   * once. A redirect is never followed with the token: the response comes back as
   * it is (`type: "opaqueredirect"`).
   */
  async fetch(input, init) {
    const inner = await this.#ready;
    const request = new Request(input, init);
    if (!inner.isApiUrl(request.url)) return fetch(request);
    let token = await inner.getAccessToken({});
    const retries = { nonce: 1, renew: 1 };
    for (;;) {
      const attempt = new Request(request.clone(), { redirect: 'manual' });
      for (const [name, value] of await inner.resourceHeaders(attempt.method, attempt.url, token)) {
        attempt.headers.set(name, value);
      }
      const response = await fetch(attempt);
      const answer = inner.resourceResponse(request.url, response.status,
        response.headers.get('www-authenticate') ?? undefined, response.headers.get('dpop-nonce') ?? undefined);
      if (answer === 'done' || retries[answer] === 0) return response;
      retries[answer] -= 1;
      if (answer === 'renew') token = await inner.renewAccessToken(token);
    }
  }
}

/**
 * A client for `config` (the same options as the widget's). A bad option rejects
 * `ready` and every call with an Error whose `code` is "invalid_config".
 */
export function createClient(config) {
  return new LatchkeyClient(config);
}

/**
 * Mounts the widget into `element` (inside its shadow root) and returns a handle.
 * `config.stylesheet` may point at a self-hosted copy of style/latchkey.css.
 */
export function mount(element, config = {}) {
  const { stylesheet = STYLESHEET, ...widgetConfig } = config ?? {};
  // delegatesFocus: focusing the host (e.g. autofocus in a <dialog>) focuses the first field.
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open', delegatesFocus: true });
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = stylesheet;
  const container = document.createElement('div');
  container.className = 'lk-root';
  root.replaceChildren(link, container);
  // Render once the styles are there, so the form never flashes unstyled.
  const styled = new Promise((resolve) => { link.onload = link.onerror = resolve; });
  let widget = null;
  let unmounted = false;
  let session;
  const sessionReady = new Promise((resolve) => { session = resolve; });
  const ready = Promise.all([loadWasm(), styled]).then(
    () => {
      if (unmounted) return;
      widget = mountWasm(container, element, widgetConfig);
      session(widget);
    },
    (error) => { if (!unmounted) reportLoadFailure(element, container, error); },
  );
  let client = null;
  return {
    ready,
    /** The widget's session API (a LatchkeyClient); its events also reach `element`. */
    get client() {
      client ??= new LatchkeyClient(sessionReady.then((mounted) => {
        const inner = mounted.client();
        if (!inner) throw new Error('latchkey: the widget has a configuration error');
        return inner;
      }));
      return client;
    },
    signOut() { widget?.signOut(); },
    unmount() {
      unmounted = true;
      widget?.unmount();
      widget?.free();
      widget = null;
      root.replaceChildren();
    },
  };
}

/** `<latchkey-widget backend client-id redirect-uri …>`: every option as an attribute. */
export class LatchkeyWidget extends HTMLElement {
  static observedAttributes = [...Object.keys(ATTRIBUTES), ...JSON_ATTRIBUTES, 'stylesheet'];
  #handle = null;

  connectedCallback() { this.#render(); }

  disconnectedCallback() {
    this.#handle?.unmount();
    this.#handle = null;
  }

  attributeChangedCallback() {
    if (this.#handle) this.#render();
  }

  /** Resolves when the widget has rendered (or rendered its error). */
  get ready() { return this.#handle?.ready ?? Promise.resolve(); }

  signOut() { this.#handle?.signOut(); }

  /** The session API behind this widget (see LatchkeyClient). */
  get client() { return this.#handle?.client ?? null; }

  #render() {
    this.#handle?.unmount();
    const config = {};
    for (const [attribute, property] of Object.entries(ATTRIBUTES)) {
      if (this.hasAttribute(attribute)) config[property] = this.getAttribute(attribute);
    }
    const stylesheet = this.getAttribute('stylesheet');
    if (stylesheet) config.stylesheet = stylesheet;
    // strings='{"submit": "Log in"}', providers='[{"id": "google", "name": "Google"}]':
    // JSON in the attribute. Left as text when it is not JSON, so the widget names the
    // problem.
    for (const name of JSON_ATTRIBUTES) {
      if (!this.hasAttribute(name)) continue;
      const text = this.getAttribute(name);
      try { config[name] = JSON.parse(text); } catch { config[name] = text; }
    }
    this.#handle = mount(this, config);
  }
}

if (!customElements.get('latchkey-widget')) customElements.define('latchkey-widget', LatchkeyWidget);

// latchkey: the npm entry. Loads the wasm once, gives every widget its own shadow
// root with the package's stylesheet (a <link>, so no 'unsafe-inline' is needed),
// and defines <latchkey-widget>. Nothing here throws into the host page.
import init, { mount as mountWasm } from '../pkg/latchkey.js';

const STYLESHEET = new URL('../style/latchkey.css', import.meta.url).href;
const ATTRIBUTES = {
  backend: 'backend',
  'client-id': 'clientId',
  'redirect-uri': 'redirectUri',
  'start-screen': 'startScreen',
  locale: 'locale',
  scope: 'scope',
  'password-min-length': 'passwordMinLength',
  'breached-password-check': 'breachedPasswordCheck',
  'terms-url': 'termsUrl',
  'signup-fields': 'signupFields',
  theme: 'theme',
  preset: 'preset',
  logo: 'logo',
  'shop-name': 'shopName',
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
  const ready = Promise.all([loadWasm(), styled]).then(
    () => { if (!unmounted) widget = mountWasm(container, element, widgetConfig); },
    (error) => { if (!unmounted) reportLoadFailure(element, container, error); },
  );
  return {
    ready,
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

// latchkey: the npm entry. Loads a wasm build once (checked against the hash this
// version carries): the whole widget for <latchkey-widget> and mount(), the session
// client alone for a page that only calls createClient(). Gives every widget its own
// shadow root with the package's stylesheet (a
// <link>, so no 'unsafe-inline' is needed), and defines <latchkey-widget>. Nothing
// here throws into the host page: problems become `latchkey:error` events and
// rejected promises, and reach the console only with the `debug` option.
import * as integrity from '../pkg/integrity.js';
import { drawFirstForm, firstFormFits, restoreFocus, syncFields, wantsFocus } from './first-form.js';
import { closestLanguage } from './languages.js';
import { fromAttribute, isOn, OPTIONS, splitConfig } from './options.js';

/** An `Error` with one of the README's stable codes. */
function failure(code, message) {
  return Object.assign(new Error(message), { code });
}

const detailOf = (error) => ({ code: error?.code ?? 'load_failed', message: error?.message ?? String(error) });

function dispatchError(target, error) {
  target.dispatchEvent(new CustomEvent('latchkey:error', { bubbles: true, composed: true, detail: detailOf(error) }));
}

/** With `debug`, every error reported on `target` is also logged. Returns the undo. */
function logErrors(target) {
  const log = ({ detail }) => console.error(`latchkey: ${detail.message} (${detail.code})`);
  target.addEventListener('latchkey:error', log);
  return () => target.removeEventListener('latchkey:error', log);
}

// --- The package's files: where they are, and whether they are this version's.

const FILES = {
  // Literal `new URL(…, import.meta.url)`: Vite and webpack copy the file and rewrite this.
  wasm: { path: 'pkg/latchkey_bg.wasm', hash: integrity.WASM, here: () => new URL('../pkg/latchkey_bg.wasm', import.meta.url) },
  firstWasm: {
    path: 'pkg/first/latchkey_bg.wasm', hash: integrity.FIRST_WASM,
    here: () => new URL('../pkg/first/latchkey_bg.wasm', import.meta.url),
  },
  sessionWasm: {
    path: 'pkg/session/latchkey_bg.wasm', hash: integrity.SESSION_WASM,
    here: () => new URL('../pkg/session/latchkey_bg.wasm', import.meta.url),
  },
  stylesheet: { path: 'style/latchkey.css', hash: integrity.STYLESHEET, here: () => new URL('../style/latchkey.css', import.meta.url) },
};

/**
 * Where `file` is and the hash it must have: under `assets` (a base URL with the
 * package's layout), else next to this module. A copy a bundler renamed is part of
 * the shop's build, which may minify it (webpack does the CSS): it is not checked.
 */
function locate(assets, file) {
  let url;
  try {
    url = assets ? new URL(file.path, new URL(String(assets).replace(/\/?$/, '/'), document.baseURI)) : file.here();
  } catch {
    throw assets ? failure('invalid_config', `assets (assets): ${JSON.stringify(String(assets))} is not a URL`)
      : failure('load_failed', `cannot tell where ${file.path} is (no import.meta.url in this bundle): set \`assets\``);
  }
  return { url: url.href, hash: url.pathname.endsWith(`/${file.path}`) ? file.hash : null };
}

async function sha384(bytes) {
  if (!globalThis.crypto?.subtle) throw failure('load_failed', 'checking its files needs a secure context (https)');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', bytes));
  return `sha384-${btoa(String.fromCharCode(...digest))}`;
}

/**
 * The file's response, checked by the browser against its hash as it arrives
 * (fetch's `integrity`), or a `load_failed` that says what is wrong with it.
 */
async function fetchChecked({ url, hash }) {
  // Refused: fetched again unchecked, to tell a missing or changed file from an unreachable one.
  const response = await fetch(url, hash ? { integrity: hash } : {}).catch(() => fetch(url).then(async (unchecked) => {
    if (!unchecked.ok) return unchecked;
    throw failure('load_failed', `${url} is not the file latchkey ${integrity.VERSION} was built with`
      + ` (${await sha384(await unchecked.arrayBuffer())}, expected ${hash}): serve the files of the same version`);
  }, () => {
    throw failure('load_failed', `could not fetch ${url} (offline, CORS, or the page's Content-Security-Policy)`);
  }));
  if (!response.ok) {
    throw failure('load_failed', `${url} answered HTTP ${response.status}; if your bundler does not copy`
      + ' the package\'s pkg/ and style/ (esbuild does not), serve them and set the `assets` option to their base URL');
  }
  return response;
}

/** A wasm file, compiled as it downloads where the server says it is wasm. */
async function compileChecked(file) {
  const response = await fetchChecked(file);
  return response.headers.get('content-type')?.startsWith('application/wasm')
    ? WebAssembly.compileStreaming(response) : WebAssembly.compile(await response.arrayBuffer());
}

/**
 * The wasm builds, each its wasm-bindgen module and wasm. The imports are literal, for
 * bundlers; webpack is told to keep them in its bundle ("eager"): a chunk it loads
 * later goes through a <script> element, which Trusted Types and the CSP refuse.
 */
const BUILDS = {
  widget: {
    module: 'pkg/latchkey.js', wasm: FILES.wasm,
    load: () => import(/* webpackMode: "eager" */ '../pkg/latchkey.js'),
  },
  first: {
    module: 'pkg/first/latchkey.js', wasm: FILES.firstWasm,
    load: () => import(/* webpackMode: "eager" */ '../pkg/first/latchkey.js'),
  },
  session: {
    module: 'pkg/session/latchkey.js', wasm: FILES.sessionWasm,
    load: () => import(/* webpackMode: "eager" */ '../pkg/session/latchkey.js'),
  },
};

const builds = new Map();
/** The builds started on this page. */
const started = new Set();
/** Widgets on the page: createClient() then shares the widget's build, when it loads. */
let widgets = 0;
let widgetBuildAsked;
const widgetBuildWanted = new Promise((resolve) => { widgetBuildAsked = resolve; });
/**
 * A build's started module, once per page: the first widget or client to load it
 * decides from where. The module and the wasm are fetched side by side.
 */
function loadBuild(name, assets) {
  if (name === 'widget') widgetBuildAsked();
  if (!builds.has(name)) {
    const build = BUILDS[name];
    const loading = (async () => {
      const wasm = locate(assets, build.wasm);
      const [module, compiled] = await Promise.all([
        build.load().catch((error) => {
          throw failure('load_failed', `could not load latchkey's ${build.module} (${error?.message ?? error})`);
        }),
        compileChecked(wasm).catch((error) => {
          throw error.code ? error : failure('load_failed', `${wasm.url} could not be compiled (${error?.message ?? error})`);
        }),
      ]);
      await module.default({ module_or_path: compiled }).catch((error) => {
        throw failure('load_failed', `${wasm.url} could not be started (${error?.message ?? error})`);
      });
      started.add(name);
      return module;
    })();
    builds.set(name, loading);
    loading.catch(() => builds.delete(name)); // a later widget may try again (back online, assets fixed)
  }
  return builds.get(name);
}

const languages = new Map();
/**
 * The text of the language table for the widget's `locale` and the browser's
 * languages, or null for English (compiled into the wasm). Fetched once per page,
 * alongside the wasm.
 */
function loadLanguage(assets, locale) {
  const tag = closestLanguage([locale, ...navigator.languages], ['en', ...integrity.LANGUAGES]);
  if (tag === 'en') return Promise.resolve(null);
  if (!languages.has(tag)) {
    const loading = import(/* webpackMode: "eager" */ '../pkg/i18n/index.js')
      .then(({ default: files }) => fetchChecked(locate(assets, files[tag])))
      .then((response) => response.text());
    languages.set(tag, loading);
    loading.catch(() => languages.delete(tag)); // a later widget may try again
  }
  return languages.get(tag);
}

/**
 * The widget's stylesheet link and a promise settled once it applies. The browser
 * checks the package's own file (`integrity`); a `stylesheet` of your own is not.
 */
function stylesheetLink({ stylesheet, assets }) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  let source;
  try {
    source = stylesheet ? { url: new URL(stylesheet, document.baseURI).href, hash: null } : locate(assets, FILES.stylesheet);
  } catch (error) {
    return { link, applied: Promise.reject(error.code ? error : failure('invalid_config', `stylesheet (stylesheet): ${error.message}`)) };
  }
  if (source.hash) {
    link.integrity = source.hash;
    link.crossOrigin = 'anonymous';
  }
  link.href = source.url;
  const applied = new Promise((resolve, reject) => {
    link.onload = resolve;
    // The error event does not say why: fetch it to find out.
    link.onerror = () => fetchChecked(source).then(
      () => failure('load_failed', `the page's Content-Security-Policy (style-src) refused ${source.url}`),
      (error) => error,
    ).then(reject);
  });
  return { link, applied };
}

// --- The session client.

/**
 * The session API for the shop's own code. Events (`latchkey:login`, `latchkey:logout`,
 * `latchkey:tokenrefreshed`, `latchkey:sessionexpired`, `latchkey:error`) are
 * dispatched on it. Every method waits for the wasm and for the session to be known.
 */
export class LatchkeyClient extends EventTarget {
  #ready;

  /**
   * Use createClient() or a widget's `client`.
   * @param {(target: LatchkeyClient) => Promise<SessionClient>} connect
   * @param {{ debug?: boolean }} [options]
   */
  constructor(connect, { debug = false } = {}) {
    super();
    if (debug) logErrors(this);
    this.#ready = Promise.resolve(this).then(connect).then(async (inner) => {
      await inner.ready();
      return inner;
    }).catch((error) => {
      // A bad configuration or a wasm that did not load: every call rejects with it,
      // and listeners hear of it once.
      const detail = detailOf(error);
      this.dispatchEvent(new CustomEvent('latchkey:error', { detail }));
      throw error instanceof Error && error.code ? error : failure(detail.code, detail.message);
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
   * it is (`type: "opaqueredirect"`). In edge mode the request goes to the edge's API
   * route instead, which adds the token it holds.
   */
  async fetch(input, init) {
    const inner = await this.#ready;
    const request = new Request(input, init);
    const route = inner.edgeRoute(request.url);
    if (route) return viaEdge(inner, request, route);
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

/** Edge mode: the request, to the edge's API route; a session the edge says is over
 * ends in every tab. */
async function viaEdge(inner, request, { url, api }) {
  const routed = new Request(url, request);
  routed.headers.set('x-latchkey', '1');
  if (api) routed.headers.set('x-latchkey-api', api);
  const response = await fetch(routed);
  if (response.headers.has('x-latchkey-signed-out')) inner.sessionEnded();
  return response;
}

/**
 * A client for `config` (the same options as the widget's). A bad option rejects
 * `ready` and every call with an Error whose `code` is "invalid_config".
 */
export function createClient(config) {
  const { loader, widget } = splitConfig(config);
  // The session build, unless the page has a widget: the widget's build has it too
  // (it loads once the widget's first form is usable).
  const shared = builds.has('widget') || widgets > 0;
  return new LatchkeyClient(
    async (target) => {
      if (shared) await widgetBuildWanted;
      const { SessionClient } = await loadBuild(shared ? 'widget' : 'session', loader.assets);
      return new SessionClient(widget, target);
    },
    { debug: isOn(loader.debug) },
  );
}

// --- mount()

/** `element`'s shadow root for the widget, or null when it cannot have one. */
function shadowRootOf(element) {
  if (!(element instanceof Element)) return null;
  if (element.shadowRoot) return element.shadowRoot;
  try {
    // delegatesFocus: focusing the host (e.g. autofocus in a <dialog>) focuses the first field.
    return element.attachShadow({ mode: 'open', delegatesFocus: true });
  } catch {
    return null;
  }
}

/** The handle of a widget that cannot exist: every promise rejects with `error`. */
function failedHandle(error) {
  const ready = Promise.reject(error);
  ready.catch(() => {});
  let client = null;
  return {
    ready,
    get client() {
      client ??= new LatchkeyClient(() => Promise.reject(error));
      return client;
    },
    signOut() {},
    update() { return false; },
    unmount() {},
  };
}

function showLoadFailure(container) {
  container.textContent = 'The sign-in form could not be loaded. Please reload the page.';
  container.setAttribute('role', 'alert');
}

/** sessionStorage, or null where the page may not use it. */
function sessionStore() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

const nextTask = () => new Promise((resolve) => { setTimeout(resolve); });

/** Runs `work` when the page is idle (soon in any case). */
const whenIdle = (work) => (window.requestIdleCallback ? requestIdleCallback(work, { timeout: 1000 }) : setTimeout(work, 1));

/**
 * The sign-in form drawn before the widget (js/first-form.js), sent by the small
 * first build (pkg/first/). `handover` resolves once the widget is to take it over:
 * with `{ state }` (what was typed; `submitted` and the backend's `answer`, when the
 * first build sent the form), with `{ left: true }` when the page left for the
 * provider, or with null when no form could be drawn. `takeOver(widget)` then puts
 * the rendered widget in its place as soon as no one types in the email field (whose
 * caret cannot be read), with what is typed, the focus and the caret at that moment,
 * and sends the form or presses the button the shopper pressed meanwhile.
 */
function firstForm({ element, root, config, assets, applied, table, life }) {
  let resolve;
  const handover = new Promise((settle) => { resolve = settle; });
  const first = loadBuild('first', assets);
  // The widget sends the form then; the shop hears why.
  first.catch((error) => { if (!life.unmounted) dispatchError(element, error); });
  let form = null;
  let handed = false;
  let sending = false;
  /** What the widget does once it has taken over: `{ submit: true }` or `{ click: index }`. */
  let then = null;
  let wake = () => {};

  const hand = (value) => {
    if (handed || life.unmounted) return;
    handed = true;
    resolve(value);
  };
  /** Resolves in a task in which no one types in the email field, or the shopper acted. */
  const quiet = () => new Promise(function attempt(settle) {
    if (then || !form.typingEmail()) return settle();
    wake = settle;
    form.emailInput.addEventListener('blur', () => setTimeout(() => attempt(settle)), { once: true });
  });
  /** The widget does it, once it takes over (soon: it has loaded). */
  const leaveToWidget = (action) => {
    then = action;
    hand({ state: form.state() });
    wake();
  };

  const send = async ({ email, password }) => {
    form.setBusy();
    if (handed || started.has('widget')) return leaveToWidget({ submit: true });
    sending = true;
    loadBuild('widget', assets).catch(() => {});
    let outcome = {};
    try {
      const build = await first;
      if (build.canSignIn(config)) outcome = await build.submitLogin(config, email, password);
    } catch {
      outcome = {};
    }
    if (outcome.left) hand({ left: true });
    else hand({ state: { ...form.state(), submitted: true, answer: outcome.answer } });
  };
  const intent = (button) => {
    if (!sending) leaveToWidget({ click: button });
  };

  const texts = table.then(async (text) => (text ? JSON.parse(text)
    : (await import(/* webpackMode: "eager" */ '../pkg/i18n/en.js')).default));
  Promise.all([applied, texts]).then(([, texts]) => {
    if (life.unmounted) return;
    const t = { ...texts, ...config.strings };
    form = drawFirstForm(element, config, t, { onSubmit: send, onIntent: intent });
    root.append(form.container);
    // With `autofocus`, as the widget's form does, once drawn (a layout in this task
    // would make it long).
    if (wantsFocus(config)) {
      requestAnimationFrame(() => {
        if (!root.activeElement && !life.unmounted) form.emailInput.focus({ preventScroll: true });
      });
    }
    const whenLoaded = () => loadBuild('widget', assets).then(() => {
      if (!sending) hand({ state: form.state() });
    }, () => hand({ state: form.state() })); // the widget's path reports the failure
    // The widget's build loads once this form can be sent (checked when idle: reading
    // the options is the first run of much of that build's code).
    first.then((build) => whenIdle(() => {
      if (build.canSignIn(config)) whenLoaded();
      else hand({ state: form.state() }); // the widget shows why
    }), () => whenIdle(whenLoaded));
  }, () => hand(null));

  return {
    handover,
    /** A sent form is busy: the widget goes in its place before it renders. */
    replaceWith(widget) {
      form.container.replaceWith(widget.container);
    },
    async takeOver(widget) {
      await quiet();
      if (life.unmounted) return;
      const state = form.state();
      syncFields(widget.container, state);
      form.container.replaceWith(widget.container);
      restoreFocus(widget.container, state);
      if (then?.submit) widget.container.querySelector('form')?.requestSubmit();
      else if (then) widget.container.querySelectorAll('form button')[then.click]?.click();
    },
  };
}

/**
 * Mounts the widget into `element` (inside its shadow root) and returns a handle.
 * Where it fits, the sign-in form is drawn first, before the widget has loaded, and
 * the widget takes it over. Never throws: an element that cannot hold the widget
 * rejects `ready` with `invalid_config` and dispatches `latchkey:error` (on the
 * document when there is no element to dispatch on).
 */
export function mount(element, config = {}) {
  const { loader, widget: widgetConfig } = splitConfig(config);
  const debug = isOn(loader.debug);
  const root = shadowRootOf(element);
  if (!root) {
    const error = failure('invalid_config', `mount() needs an element that can hold a shadow root (e.g. a <div>), got ${element?.localName ? `<${element.localName}>` : String(element)}`);
    const target = element instanceof EventTarget ? element : document;
    queueMicrotask(() => {
      if (debug) console.error(`latchkey: ${error.message} (${error.code})`);
      dispatchError(target, error);
    });
    return failedHandle(error);
  }
  const stopLogging = debug ? logErrors(element) : () => {};
  const { link, applied } = stylesheetLink(loader);
  root.replaceChildren(link);

  const life = { unmounted: false };
  widgets += 1;
  let widget = null;
  let configError = null;
  const recordConfigError = ({ detail }) => { configError ??= failure(detail.code, detail.message); };
  // A table that does not load leaves the widget in English, and says so.
  const table = loadLanguage(loader.assets, widgetConfig?.locale).catch((error) => {
    if (!life.unmounted) dispatchError(element, error);
    return null;
  });
  const first = firstFormFits(widgetConfig, location, sessionStore())
    ? firstForm({ element, root, config: widgetConfig, assets: loader.assets, applied, table, life }) : null;
  // The widget renders once the styles are there, so it never flashes unstyled.
  const mounted = (first?.handover ?? Promise.resolve(null)).then(async (handover) => {
    const [build, , text] = await Promise.all([loadBuild('widget', loader.assets), applied, table]);
    // Taking over waits for a quiet moment.
    if (handover?.state) await new Promise(whenIdle);
    if (life.unmounted || handover?.left) return null;
    element.addEventListener('latchkey:error', recordConfigError, { capture: true });
    try {
      widget = build.mount(element, widgetConfig, text ?? undefined, handover?.state);
    } finally {
      element.removeEventListener('latchkey:error', recordConfigError, { capture: true });
    }
    // Starting the session, rendering, and taking over are a task each (none long).
    await nextTask();
    if (life.unmounted) return null;
    widget.show();
    // Without a first form, or after the first form was sent, it renders in place (its
    // own focus rules apply); else it takes over once rendered.
    if (!handover) root.append(widget.container);
    else if (handover.state.submitted) first.replaceWith(widget);
    await widget.rendered();
    if (handover && !handover.state.submitted) {
      await nextTask();
      await first.takeOver(widget);
    }
    return widget;
  });
  mounted.catch(() => {});
  const ready = mounted.then(() => undefined, (error) => {
    if (life.unmounted) return;
    const container = document.createElement('div');
    container.className = 'lk-root';
    showLoadFailure(container);
    root.replaceChildren(link, container);
    dispatchError(element, error);
  });

  let client = null;
  return {
    ready,
    /** The widget's session API (a LatchkeyClient); its events also reach `element`. */
    get client() {
      client ??= new LatchkeyClient(async (target) => {
        const inner = (await mounted)?.client();
        if (!inner) throw configError ?? failure('invalid_config', 'the widget was unmounted');
        inner.addTarget(target);
        return inner;
      });
      return client;
    },
    signOut() { widget?.signOut(); },
    /**
     * Applies `next` in place when only the widget's look, text or offers change, so
     * the screen and what the shopper typed stay; `false` when it needs a new mount.
     */
    update(next) {
      const split = splitConfig(next);
      if (!widget || JSON.stringify(split.loader) !== JSON.stringify(loader)) return false;
      return widget.update(split.widget);
    },
    unmount() {
      if (life.unmounted) return;
      life.unmounted = true;
      widgets -= 1;
      if (!widgets) widgetBuildAsked(); // a client waiting for it gets it anyway
      stopLogging();
      widget?.unmount();
      widget?.free();
      widget = null;
      root.replaceChildren();
    },
  };
}

// --- <latchkey-widget>

/**
 * `<latchkey-widget backend client-id redirect-uri …>`. Every option is an attribute
 * (JSON for `strings` and `providers`) and a property of the same name as the JS
 * option (`el.strings = { … }`); a property that is set wins over its attribute, and
 * setting it to `undefined` or `null` goes back to the attribute.
 */
export class LatchkeyWidget extends HTMLElement {
  static observedAttributes = OPTIONS.map((entry) => entry.attribute);

  static {
    for (const entry of OPTIONS.filter((option) => !option.native)) {
      Object.defineProperty(this.prototype, entry.property, {
        configurable: true,
        enumerable: true,
        get() { return this.#option(entry); },
        set(value) { this.#setOption(entry, value); },
      });
    }
  }

  #handle = null;
  #properties = new Map();
  #rendered = null;
  #pending = false;

  constructor() {
    super();
    // Properties set before the element was defined are plain fields on it: take them over.
    for (const { property } of OPTIONS) {
      if (!Object.hasOwn(this, property)) continue;
      const value = this[property];
      delete this[property];
      if (value !== undefined && value !== null) this.#properties.set(property, value);
    }
  }

  connectedCallback() { this.#render(); }

  disconnectedCallback() {
    this.#pending = false;
    this.#handle?.unmount();
    this.#handle = null;
    this.#rendered = null;
  }

  attributeChangedCallback() { this.#update(); }

  /** Resolves when the widget has rendered (or rendered its error). */
  get ready() {
    this.#flush();
    return this.#handle?.ready ?? Promise.resolve();
  }

  signOut() { this.#handle?.signOut(); }

  /** The session API behind this widget (see LatchkeyClient). */
  get client() {
    this.#flush();
    return this.#handle?.client ?? null;
  }

  #option(entry) {
    if (this.#properties.has(entry.property)) return this.#properties.get(entry.property);
    return fromAttribute(entry, this.getAttribute(entry.attribute));
  }

  #setOption(entry, value) {
    if (value === undefined || value === null) this.#properties.delete(entry.property);
    else this.#properties.set(entry.property, value);
    this.#update();
  }

  /** Changes made in one go (a framework setting several props) render once. */
  #update() {
    if (!this.#handle || this.#pending) return;
    this.#pending = true;
    queueMicrotask(() => this.#flush());
  }

  #flush() {
    if (!this.#pending) return;
    this.#pending = false;
    this.#render();
  }

  #render() {
    this.#pending = false;
    const config = {};
    for (const entry of OPTIONS) {
      const value = this.#option(entry);
      if (value !== undefined) config[entry.property] = value;
    }
    // The widget sets `theme` and `preset` on its host for the stylesheet: that echo
    // changes nothing, so it must not render again.
    const key = JSON.stringify(config);
    if (this.#handle && key === this.#rendered) return;
    this.#rendered = key;
    if (this.#handle?.update(config)) return;
    this.#handle?.unmount();
    this.#handle = mount(this, config);
  }
}

if (!customElements.get('latchkey-widget')) customElements.define('latchkey-widget', LatchkeyWidget);

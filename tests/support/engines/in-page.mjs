// Code that runs inside the page under test, the same in every engine. The drivers
// send it as source text (evaluated by the driver, so the page's CSP does not apply),
// so each function must not refer to anything outside itself.

/**
 * The elements a query names, in document order: `{ scope, role, name, text, css }`.
 * `scope` is "page" (the document, not shadow roots) or "widget" (the open shadow
 * root of <latchkey-widget>). `role` and `name` follow the ARIA role and accessible
 * name, `text` the element's own text; names and texts are `{ text }` (whole, after
 * collapsing white space) or `{ regex, flags }`. Hidden elements (display: none,
 * visibility: hidden, aria-hidden, a closed dialog) are never found.
 */
export function locate(query) {
  const collapse = (text) => (text ?? '').replace(/\s+/g, ' ').trim();
  const fits = (text, want) => !want
    || (want.regex !== undefined ? new RegExp(want.regex, want.flags).test(text) : text === collapse(want.text));

  const ariaHidden = (element) => {
    for (let node = element; node; node = node.parentElement ?? node.getRootNode().host) {
      if (node.getAttribute?.('aria-hidden') === 'true') return true;
    }
    return false;
  };
  const shown = (element) => (element.checkVisibility
    ? element.checkVisibility({ visibilityProperty: true })
    : element.getClientRects().length > 0) && !ariaHidden(element);

  const INPUT_ROLES = { button: 'button', submit: 'button', reset: 'button', image: 'button',
    checkbox: 'checkbox', radio: 'radio', range: 'slider', number: 'spinbutton', search: 'searchbox', hidden: null };
  const TAG_ROLES = { button: 'button', textarea: 'textbox', ul: 'list', ol: 'list', li: 'listitem',
    dialog: 'dialog', nav: 'navigation', main: 'main', meter: 'meter', progress: 'progressbar',
    h1: 'heading', h2: 'heading', h3: 'heading', h4: 'heading', h5: 'heading', h6: 'heading' };
  const roleOf = (element) => {
    const explicit = (element.getAttribute('role') ?? '').trim().split(/\s+/)[0];
    if (explicit) return explicit;
    const tag = element.localName;
    if (tag === 'input') {
      const type = (element.getAttribute('type') ?? 'text').toLowerCase();
      return type in INPUT_ROLES ? INPUT_ROLES[type] : 'textbox';
    }
    if (tag === 'a' || tag === 'area') return element.hasAttribute('href') ? 'link' : null;
    if (tag === 'img') return element.getAttribute('alt') === '' ? 'presentation' : 'img';
    if (tag === 'select') return element.multiple ? 'listbox' : 'combobox';
    return TAG_ROLES[tag] ?? null;
  };

  // The text a node contributes to a name: its own text, alternative texts, the
  // value of a control inside a label; hidden parts left out.
  const contentText = (node, skip) => {
    if (node.nodeType === Node.TEXT_NODE) return node.data;
    if (node.nodeType !== Node.ELEMENT_NODE || node === skip) return '';
    if (node.getAttribute('aria-hidden') === 'true' || !(node.checkVisibility?.() ?? true)) return '';
    const label = node.getAttribute('aria-label');
    if (label?.trim()) return ` ${label} `;
    if (node.localName === 'img') return node.getAttribute('alt') ?? '';
    if (node.localName === 'input' || node.localName === 'textarea') return node.value;
    const parts = [...node.childNodes].map((child) => contentText(child, skip)).join('');
    return getComputedStyle(node).display.startsWith('inline') ? parts : ` ${parts} `;
  };
  const NAME_FROM_CONTENT = new Set(['button', 'link', 'heading', 'checkbox', 'radio', 'switch', 'tab',
    'menuitem', 'option', 'cell', 'columnheader', 'rowheader', 'tooltip', 'treeitem']);
  const nameOf = (element) => {
    const root = element.getRootNode();
    const labelledBy = (element.getAttribute('aria-labelledby') ?? '').split(/\s+/)
      .map((id) => id && root.getElementById?.(id)).filter(Boolean);
    if (labelledBy.length) return collapse(labelledBy.map((node) => contentText(node)).join(' '));
    const label = element.getAttribute('aria-label');
    if (label?.trim()) return collapse(label);
    if (element.labels?.length) return collapse([...element.labels].map((l) => contentText(l, element)).join(' '));
    if (element.localName === 'img') return collapse(element.getAttribute('alt'));
    if (element.localName === 'svg') return collapse(element.querySelector('title')?.textContent);
    if (element.localName === 'input' && ['button', 'submit', 'reset'].includes(element.type)) return collapse(element.value);
    if (NAME_FROM_CONTENT.has(roleOf(element))) return collapse(contentText(element));
    return collapse(element.getAttribute('title'));
  };

  const scopeRoot = () => (query.scope === 'widget'
    ? document.querySelector('latchkey-widget')?.shadowRoot
    : document);
  const everyElement = (root) => {
    const found = [];
    for (const element of root.querySelectorAll('*')) {
      found.push(element);
      if (element.shadowRoot && query.scope === 'widget') found.push(...everyElement(element.shadowRoot));
    }
    return found;
  };

  const root = scopeRoot();
  if (!root) return [];
  let candidates = query.css ? [...root.querySelectorAll(query.css)] : everyElement(root);
  candidates = candidates.filter(shown);
  if (query.role) candidates = candidates.filter((element) => roleOf(element) === query.role);
  if (query.name) candidates = candidates.filter((element) => fits(nameOf(element), query.name));
  if (query.text) {
    const own = candidates.filter((element) => fits(collapse(contentText(element)), query.text));
    // The innermost element with the text, as a reader would point at it.
    candidates = own.filter((element) => !own.some((other) => other !== element && element.contains(other)));
  }
  return candidates;
}

/**
 * Installed in every page of the shop before its own scripts: reports console
 * errors, uncaught exceptions, unhandled rejections and CSP violations to the test
 * server (`/__problems`), and `flush()` waits until every report has arrived.
 */
export function probe() {
  const pending = [];
  const describe = (value) => (value instanceof Error ? `${value.name}: ${value.message}` : String(value));
  const send = (kind, message) => {
    const body = JSON.stringify({ kind, message, page: location.href });
    pending.push(fetch('/__problems', { method: 'POST', body, keepalive: true }).catch(() => {}));
  };
  const consoleError = console.error;
  console.error = function error(...args) {
    send('console error', args.map(describe).join(' '));
    return consoleError.apply(this, args);
  };
  addEventListener('error', (event) => {
    if (event instanceof ErrorEvent) send('uncaught exception', `${event.message} (${event.filename}:${event.lineno})`);
  });
  addEventListener('unhandledrejection', (event) => send('unhandled rejection', describe(event.reason)));
  addEventListener('securitypolicyviolation', (event) => send('CSP violation',
    `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} ${event.sample ?? ''}`.trim()), true);
  Object.defineProperty(window, '__latchkeyProbe', { value: { flush: () => Promise.all(pending) } });
}

// The sign-in form the loader draws before the widget's wasm has arrived, so that a
// shopper can start typing at once. It is the widget's own sign-in screen
// (src/ui/login.rs, form.rs, field.rs): the same markup, classes, parts, labels,
// autocomplete and texts, built with DOM calls (no HTML strings, so Trusted Types
// hold). The widget takes it over later, keeping what was typed, the focus and the
// caret. No DOM at import: scripts/languages.mjs imports the key list in node.

/** The keys of the English table this form shows (pkg/i18n/en.js carries them). */
export const FIRST_FORM_KEYS = [
  'sign_in_title', 'email_label', 'password_label', 'show_password', 'show_password_label', 'forgot_password',
  'submit', 'submitting', 'or', 'passkey_sign_in', 'continue_with', 'email_me_a_code', 'no_account', 'create_account',
  'logo_alt',
];

/**
 * The login APIs the first form is drawn for, and what each offers on its sign-in
 * screen: the adapter's capabilities (core/src/backend/). The takeover test checks
 * that this form and the widget's are the same.
 */
const OFFERS = {
  allauth: { passkeys: true, reset: true, code: true, signUp: true, social: true },
};

const THEMES = ['auto', 'light', 'dark'];
const PRESETS = ['default', 'rounded', 'sharp'];
const isText = (value) => typeof value === 'string' && value !== '';
const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Whether the widget would open on the sign-in form for `config` with nothing to
 * finish first: a login API this form is drawn for, the sign-in start screen, no
 * redirect to complete, no stored session to restore. Anything unusual, including
 * options the widget would refuse, is left to the widget.
 */
export function firstFormFits(config, location, sessionStorage) {
  if (!isPlainObject(config) || !OFFERS[config.loginApi]) return false;
  const { startScreen, theme, preset, storage, strings, providers, logo, shopName, autofocus } = config;
  const params = new URLSearchParams(location.search);
  return [config.backend, config.clientId, config.redirectUri].every(isText)
    && (startScreen === undefined || startScreen === 'login')
    && (theme === undefined || THEMES.includes(theme))
    && (preset === undefined || PRESETS.includes(preset))
    && storage !== 'indexeddb'
    && (strings === undefined || (isPlainObject(strings) && Object.values(strings).every((s) => typeof s === 'string')))
    && (providers === undefined || (Array.isArray(providers) && providers.every((p) => isPlainObject(p) && isText(p.id) && isText(p.name))))
    && (logo === undefined || isText(logo)) && (shopName === undefined || isText(shopName))
    && [undefined, true, false, '', 'true', 'false'].includes(trimmed(autofocus))
    // Back from a provider: the widget finishes that sign-in.
    && !(params.has('state') && (params.has('code') || params.has('error')))
    && sessionStorage?.getItem('latchkey.provider_login') == null;
}

const trimmed = (value) => (typeof value === 'string' ? value.trim() : value);

/** Whether the host asked for the focus in the widget (`autofocus`), as the widget reads it. */
export const wantsFocus = (config) => [true, '', 'true'].includes(trimmed(config.autofocus));

/** `document.createElement(tag)` with attributes and children. */
function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function field(name, label, attributes, ...extra) {
  const input = element('input', {
    class: 'lk-input', part: 'input', id: `lk-${name}`, name, spellcheck: 'false', autocapitalize: 'none',
    'aria-invalid': 'false', required: 'required', ...attributes,
  });
  const row = element('div', { class: 'lk-input-row' }, input);
  return {
    input,
    row,
    node: element('div', { class: 'lk-field', part: 'field' },
      element('label', { class: 'lk-label', part: 'label', for: `lk-${name}` }, label), row, ...extra),
  };
}

const link = (label) => element('button', { class: 'lk-link', part: 'link', type: 'button' }, label);

/**
 * Draws the form into a new `div.lk-root` and sets the host's `theme` and `preset`
 * attributes, as the widget does. `t`: the texts (a language table, overridden by
 * the host's `strings`). `onSubmit({ email, password })`; `onIntent(index)` when a
 * button that needs the widget (passkey, provider, another screen) is pressed.
 */
export function drawFirstForm(host, config, t, { onSubmit, onIntent }) {
  const offered = OFFERS[config.loginApi];
  // As the widget: no passkey offer in a browser without WebAuthn.
  const offers = { ...offered, passkeys: offered.passkeys && window.PublicKeyCredential != null };
  for (const [name, value, fallback] of [['theme', config.theme, 'auto'], ['preset', config.preset, 'default']]) {
    if ((host.getAttribute(name) ?? fallback) !== (value ?? fallback)) host.setAttribute(name, value ?? fallback);
  }
  const email = field('email', t.email_label, {
    type: 'email', autocomplete: offers.passkeys ? 'username webauthn' : 'username', inputmode: 'email',
  });
  const reveal = element('button', {
    class: 'lk-reveal', part: 'reveal', type: 'button', 'aria-pressed': 'false', 'aria-controls': 'lk-password',
    'aria-label': t.show_password_label,
  }, t.show_password);
  const password = field('password', t.password_label, { type: 'password', autocomplete: 'current-password' },
    ...(offers.reset ? [link(t.forgot_password)] : []));
  password.row.append(reveal);
  const submit = element('button', { class: 'lk-button', part: 'button', type: 'submit', 'aria-busy': 'false' }, t.submit);
  const secondary = (label, part = 'button secondary') => element('button',
    { class: 'lk-button lk-button-secondary', part, type: 'button' }, label);
  const alternatives = [
    ...(offers.passkeys ? [secondary(t.passkey_sign_in)] : []),
    ...(offers.social ? (config.providers ?? []).map((p) => secondary(t.continue_with.replace('{}', p.name),
      'button secondary provider')) : []),
  ];
  const footer = element('div', { class: 'lk-footer', part: 'footer' },
    ...(alternatives.length ? [element('p', { class: 'lk-divider', part: 'divider' }, element('span', {}, t.or))] : []),
    ...alternatives,
    ...(offers.code ? [link(t.email_me_a_code)] : []),
    ...(offers.signUp ? [element('p', { class: 'lk-hint' }, t.no_account, ' ', link(t.create_account))] : []));
  const form = element('form', { class: 'lk-form', part: 'form', novalidate: 'novalidate', 'aria-labelledby': 'lk-title' },
    element('h2', { class: 'lk-title', part: 'title', id: 'lk-title' }, t.sign_in_title),
    email.node, password.node, submit, footer);
  const card = element('div', { class: 'lk-card', part: 'card', lang: t.lang, dir: t.dir });
  if (isText(config.logo) || isText(config.shopName)) {
    card.append(element('div', { class: 'lk-brand', part: 'brand' },
      ...(isText(config.logo) ? [element('img', { class: 'lk-logo', part: 'logo', src: config.logo,
        alt: isText(config.shopName) ? '' : t.logo_alt })] : []),
      ...(isText(config.shopName) ? [element('span', { class: 'lk-shop-name', part: 'shop-name' }, config.shopName)] : [])));
  }
  card.append(element('div', { class: 'lk-screen' }, form));
  const container = element('div', { class: 'lk-root' }, card);

  reveal.addEventListener('click', () => {
    const shown = password.input.type === 'password';
    password.input.type = shown ? 'text' : 'password';
    reveal.setAttribute('aria-pressed', String(shown));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    onSubmit({ email: email.input.value, password: password.input.value });
  });
  const buttons = [...form.querySelectorAll('button')];
  for (const button of buttons) {
    if (button !== reveal && button !== submit) button.addEventListener('click', () => onIntent(buttons.indexOf(button)));
  }

  return {
    container,
    /** As the widget's form while a request runs: the buttons that send are disabled. */
    setBusy() {
      for (const button of [submit, ...alternatives]) button.setAttribute('disabled', 'disabled');
      submit.setAttribute('aria-busy', 'true');
      submit.textContent = t.submitting;
    },
    /** The shopper is typing in the email field, whose caret cannot be read. */
    typingEmail: () => container.getRootNode().activeElement === email.input && email.input.value !== '',
    emailInput: email.input,
    /** What the widget takes over. */
    state() {
      const focused = container.getRootNode().activeElement;
      const input = [email.input, password.input].includes(focused) ? focused : null;
      return {
        email: email.input.value,
        password: password.input.value,
        revealed: password.input.type === 'text',
        focus: input ? { id: input.id } : { button: buttons.indexOf(focused) },
        // Email fields have no readable caret; the widget waits until none is typed in.
        selection: input?.type === 'email' || !input ? null
          : [input.selectionStart, input.selectionEnd, input.selectionDirection],
      };
    },
  };
}

/**
 * What was typed since the widget read `state` at its start, into its fields (an
 * `input` event each, as typing sends). The password's shown or hidden state too.
 */
export function syncFields(container, state) {
  for (const [id, value] of [['lk-email', state.email], ['lk-password', state.password]]) {
    const input = container.querySelector(`#${id}`);
    if (input && input.value !== value) {
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
  const reveal = container.querySelector('.lk-reveal');
  if (reveal && (reveal.getAttribute('aria-pressed') === 'true') !== state.revealed) reveal.click();
}

/** Puts the focus and the caret of `state` on the widget's form in `container`. */
export function restoreFocus(container, state) {
  const { focus, selection } = state;
  const target = focus.id ? container.querySelector(`#${focus.id}`)
    : container.querySelectorAll('form button')[focus.button];
  if (!target) return;
  target.focus({ preventScroll: true });
  if (selection && target.setSelectionRange) target.setSelectionRange(...selection);
}

// The widget's options, in one table: the HTML attribute, the JS property (the same
// name as the option of mount() and createClient()), and how the attribute's text is
// read. <latchkey-widget> takes its observed attributes and its properties from here.
// Adding an option is one line. No DOM here: scripts and tests import it in node.

/**
 * `json`: the attribute holds JSON (an object or a list).
 * `loader`: read by the npm entry (where the files are, logging), never sent to the
 * widget's core, which refuses options it does not know.
 * `native`: an HTML attribute every element has, whose property the browser already
 * reflects (`autofocus`): the element keeps that property.
 */
const option = (attribute, property, { json = false, loader = false, native = false } = {}) =>
  Object.freeze({ attribute, property, json, loader, native });

export const OPTIONS = Object.freeze([
  option('backend', 'backend'),
  option('edge', 'edge'),
  option('login-api', 'loginApi'),
  option('client-id', 'clientId'),
  option('redirect-uri', 'redirectUri'),
  option('start-screen', 'startScreen'),
  option('locale', 'locale'),
  option('scope', 'scope'),
  option('password-min-length', 'passwordMinLength'),
  option('breached-password-check', 'breachedPasswordCheck'),
  option('terms-url', 'termsUrl'),
  option('signup-fields', 'signupFields'),
  option('theme', 'theme'),
  option('preset', 'preset'),
  option('logo', 'logo'),
  option('shop-name', 'shopName'),
  option('strings', 'strings', { json: true }),
  option('autofocus', 'autofocus', { native: true }),
  option('providers', 'providers', { json: true }),
  option('ask-email', 'askEmail'),
  option('audience', 'audience'),
  option('storage', 'storage'),
  option('dpop', 'dpop'),
  option('api-origins', 'apiOrigins'),
  option('post-logout-redirect-uri', 'postLogoutRedirectUri'),
  option('stylesheet', 'stylesheet', { loader: true }),
  option('assets', 'assets', { loader: true }),
  option('debug', 'debug', { loader: true }),
]);

/**
 * An option's value as its attribute's text gives it. JSON that does not parse is
 * passed on as text, so the widget names the option and the problem.
 */
export function fromAttribute(entry, text) {
  if (text === null) return undefined;
  if (!entry.json) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Splits what the host page passed into the loader's options and the widget's. A
 * value that is not a plain object goes to the widget unchanged, which reports it.
 */
export function splitConfig(config) {
  const loader = {};
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return { loader, widget: config };
  const widget = { ...config };
  for (const entry of OPTIONS) {
    if (!entry.loader) continue;
    loader[entry.property] = widget[entry.property];
    delete widget[entry.property];
  }
  return { loader, widget };
}

/** A yes/no loader option: `true`, or an attribute that is present ("" or "true"). */
export const isOn = (value) => value === true || value === '' || value === 'true';

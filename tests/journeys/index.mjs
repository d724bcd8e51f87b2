// Every cross-engine journey, in the order they run. A journey is
// `{ title, needs, driver, errors, browserReports, run(env) }`. `needs` lists what the
// backend must have (names of NEEDS in tests/support/backends.mjs: its adapter's
// capabilities, or what the reference backend does), `driver` what the engine's
// driver must do beyond the common tab API (keys of DRIVER_LACKS in
// tests/support/engines.mjs); elsewhere the journey is skipped, with the reason
// (tests/support/matrix.mjs). `errors` lists the widget's error codes it provokes on
// purpose (their console log is then not a problem), `browserReports` patterns of
// what the browser itself reports of them. `run` gets `env` = `{ engine, t (English
// strings), shop, sessionShop, backend, rateLimitedShop(), openProfile(options) }`,
// where `backend` is the backend's descriptor with its `url`, and its `api(page)`
// and `mailboxCode(email)` bound to it. tests/support/everywhere.mjs runs them; every
// problem in a profile's pages fails them.
import account from './account.mjs';
import axe from './axe.mjs';
import lockout from './lockout.mjs';
import login from './login.mjs';
import mailedCodes from './mailed-codes.mjs';
import offers from './offers.mjs';
import offline from './offline.mjs';
import passkeys from './passkeys.mjs';
import redirect from './redirect.mjs';
import rtl from './rtl.mjs';
import secondFactor from './second-factor.mjs';
import signup from './signup.mjs';
import social from './social.mjs';
import tabs from './tabs.mjs';

export const JOURNEYS = [...offers, ...login, ...signup, ...mailedCodes, ...secondFactor, ...passkeys, ...account,
  ...social, ...lockout, ...offline, ...tabs, ...rtl, ...redirect, ...axe];

// Every cross-engine journey, in the order they run. A journey is
// `{ title, errors, run(env) }`: `errors` lists the widget's error codes it provokes
// on purpose (their console log is then not a problem), and `run` gets `env` =
// `{ engine, t (English strings), shop, sessionShop, backend, openProfile(options) }`.
// tests/support/everywhere.mjs runs them; every problem in a profile's pages fails them.
import account from './account.mjs';
import axe from './axe.mjs';
import login from './login.mjs';
import redirect from './redirect.mjs';
import rtl from './rtl.mjs';
import secondFactor from './second-factor.mjs';
import signup from './signup.mjs';
import tabs from './tabs.mjs';

export const JOURNEYS = [...login, ...signup, ...secondFactor, ...account, ...tabs, ...rtl, ...redirect, ...axe];

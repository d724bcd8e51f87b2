// Every cross-engine journey, in the order they run.
import account from './account.mjs';
import axe from './axe.mjs';
import login from './login.mjs';
import redirect from './redirect.mjs';
import rtl from './rtl.mjs';
import secondFactor from './second-factor.mjs';
import signup from './signup.mjs';
import tabs from './tabs.mjs';

export const JOURNEYS = [...login, ...signup, ...secondFactor, ...account, ...tabs, ...rtl, ...redirect, ...axe];

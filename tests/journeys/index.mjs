// Every cross-engine journey, in the order they run.
import account from './account.mjs';
import login from './login.mjs';
import secondFactor from './second-factor.mjs';
import signup from './signup.mjs';

export const JOURNEYS = [...login, ...signup, ...secondFactor, ...account];

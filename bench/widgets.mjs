// The widgets compared: each page in pages/, the field that makes its login form
// usable (found through shadow roots), and where its version comes from. `extra`
// pages run only when named in --only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const versionOf = (file) => JSON.parse(readFileSync(path.join(BENCH, file), 'utf8')).version;

export const WIDGETS = [
  // `sendsWith`: the file without which latchkey's first form cannot be sent yet.
  { name: 'latchkey', page: 'latchkey.html', field: 'input[type=email]', sendsWith: 'pkg/first/latchkey_bg.wasm',
    version: () => versionOf('../package.json') },
  // Not in the default comparison: the same package with preload hints in the page
  // (--only latchkey,latchkey-preload).
  { name: 'latchkey-preload', page: 'latchkey-preload.html', field: 'input[type=email]', extra: true,
    sendsWith: 'pkg/first/latchkey_bg.wasm',
    version: () => versionOf('../package.json') },
  { name: 'hanko-elements', page: 'hanko.html', field: 'input[type=email]',
    version: () => versionOf('node_modules/@teamhanko/hanko-elements/package.json') },
  { name: 'firebaseui', page: 'firebaseui.html', field: 'input[name=email]',
    version: () => `${versionOf('node_modules/firebaseui/package.json')} (firebase ${versionOf('node_modules/firebase/package.json')})` },
  { name: 'auth0-lock', page: 'auth0.html', field: 'input[name=email]',
    version: () => versionOf('node_modules/auth0-lock/package.json') },
  { name: 'okta-signin-widget', page: 'okta.html', field: 'input[name=identifier]',
    version: () => versionOf('node_modules/@okta/okta-signin-widget/package.json') },
];

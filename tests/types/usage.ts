// Every README example, in strict TypeScript, and the listeners a shop writes: on
// the document, on the element and on a client, each removable with the same typed
// function. Compiled by tests/types.test.mjs; `assertType` pins what a value is.
import { createClient, mount } from 'latchkey';
import type {
  LatchkeyClient, LatchkeyError, LatchkeyErrorCode, LatchkeyErrorDetail, LatchkeyUser, LatchkeyWidget,
} from 'latchkey';

declare function assertType<T>(value: T): void;

// README "Use it in a shop": the element, then mount() from your own code.
const element = document.querySelector('latchkey-widget');
if (element) {
  assertType<LatchkeyWidget>(element);
  element.strings = { submit: 'Log in' };
  element.providers = [{ id: 'google', name: 'Google' }];
  element.apiOrigins = ['https://api.shop.example.com'];
  element.dpop = true;
  element.assets = '/latchkey/';
  element.debug = true;
  element.strings = undefined;
  await element.ready;
  element.focus();
  element.signOut();
  const client: LatchkeyClient | null = element.client;
  await client?.ready;
}

const created = document.createElement('latchkey-widget');
assertType<LatchkeyWidget>(created);
created.clientId = 'my-shop';

const widget = mount(document.getElementById('login'), {
  backend: 'https://id.example.com',
  clientId: 'my-shop',
  redirectUri: 'https://shop.example.com/callback',
});
await widget.ready; // rendered (or showing its configuration error)
widget.unmount();

// Every option at once, as the README's table lists them.
mount(document.body, {
  backend: 'https://id.example.com',
  clientId: 'my-shop',
  redirectUri: 'https://shop.example.com/callback',
  startScreen: 'login',
  locale: 'fr',
  scope: 'openid profile email',
  passwordMinLength: 8,
  signupFields: 'first_name last_name',
  providers: [{ id: 'google', name: 'Google' }],
  termsUrl: 'https://shop.example.com/terms',
  theme: 'dark',
  preset: 'rounded',
  logo: '/logo.svg',
  shopName: 'Latchkey Outfitters',
  strings: { submit: 'Log in' },
  breachedPasswordCheck: 'https://api.pwnedpasswords.com/range/',
  stylesheet: '/css/latchkey.css',
  assets: 'https://cdn.jsdelivr.net/npm/latchkey@0.1.0/',
  apiOrigins: 'https://api.shop.example.com',
  audience: 'https://api.shop.example.com',
  storage: 'indexeddb',
  dpop: true,
  postLogoutRedirectUri: 'https://shop.example.com/',
  debug: true,
});

// README "Sessions and tokens".
const auth = createClient({
  backend: 'https://id.example.com',
  clientId: 'my-shop',
  redirectUri: 'https://shop.example.com/callback',
  apiOrigins: ['https://api.shop.example.com'],
  dpop: true, // if your provider and API support it
});

// README "Direct mode or edge mode": the edge is the OAuth client; the page names its routes.
const viaEdge = createClient({ edge: '/auth', loginApi: 'allauth' });
assertType<Response>(await viaEdge.fetch('/auth/api/orders'));

if (location.pathname === '/callback') {
  const { returnTo, user } = await auth.handleRedirectCallback();
  assertType<string>(returnTo);
  assertType<string>(user.sub);
}
if (!(await auth.isAuthenticated())) await auth.login(); // redirect mode: the provider's page
await auth.login({ prompt: 'login', loginHint: 'a@example.com', maxAge: 300, params: { acr_values: 'mfa' } });

const orders: unknown = await (await auth.fetch('https://api.shop.example.com/orders')).json();
auth.addEventListener('latchkey:sessionexpired', () => auth.login());
const token: string = await auth.getAccessToken({ audience: 'https://api.shop.example.com', scope: 'orders' });
const user: LatchkeyUser | null = await auth.getUser({ userinfo: true });
await auth.logout({ everywhere: false });

// Rejections carry a stable code.
try {
  await auth.getAccessToken();
} catch (error) {
  const code: LatchkeyErrorCode = (error as LatchkeyError).code;
  if (code === 'not_signed_in') await auth.login();
}

// README "Events": on the document, the element, the element mounted into, a client.
function onLogin(event: CustomEvent<{ user: LatchkeyUser }>) {
  assertType<string>(event.detail.user.sub);
}
function onError(event: CustomEvent<LatchkeyErrorDetail>) {
  const code: LatchkeyErrorCode = event.detail.code;
  if (code === 'invalid_config' || code === 'load_failed') console.warn(event.detail.message);
}
document.addEventListener('latchkey:login', onLogin);
document.removeEventListener('latchkey:login', onLogin);
window.addEventListener('latchkey:error', onError);
window.removeEventListener('latchkey:error', onError);

const mountPoint = document.getElementById('login');
mountPoint?.addEventListener('latchkey:error', onError);
mountPoint?.removeEventListener('latchkey:error', onError);
mountPoint?.addEventListener('latchkey:logout', (event) => assertType<null>(event.detail));

element?.addEventListener('latchkey:login', onLogin, { once: true });
element?.removeEventListener('latchkey:login', onLogin);
element?.addEventListener('latchkey:tokenrefreshed', (event) => assertType<null>(event.detail));
document.querySelector('#login')?.addEventListener('latchkey:error', (event) => assertType<LatchkeyErrorCode>(event.detail.code));

auth.addEventListener('latchkey:login', onLogin);
auth.removeEventListener('latchkey:login', onLogin);
auth.addEventListener('latchkey:error', function (event) {
  assertType<LatchkeyClient>(this);
  assertType<string>(event.detail.message);
});
// README "TypeScript and frameworks".
function onReadmeError(event: CustomEvent<LatchkeyErrorDetail>) {
  if (event.detail.code === 'load_failed') console.warn(event.detail.message);
}
document.addEventListener('latchkey:error', onReadmeError);
document.removeEventListener('latchkey:error', onReadmeError);

// Other event types still take a plain listener.
auth.addEventListener('custom', (event: Event) => event.preventDefault());

export { orders, token, user };

// Types of the latchkey npm package. `npm test` compiles them in strict mode with
// the README's examples (tests/types/). JSX types: latchkey/react, latchkey/preact,
// latchkey/solid.

/** The stable error codes: the README's "Error codes" table (a test keeps them equal). */
export type LatchkeyErrorCode =
  | 'invalid_config'
  | 'load_failed'
  | 'entropy_unavailable'
  | 'network_error'
  | 'discovery_invalid'
  | 'issuer_mismatch'
  | 'no_pending_login'
  | 'state_mismatch'
  | 'callback_invalid'
  | 'authorization_error'
  | 'invalid_grant'
  | 'token_error'
  | 'token_response_invalid'
  | 'id_token_malformed'
  | 'id_token_alg_not_allowed'
  | 'audience_mismatch'
  | 'nonce_mismatch'
  | 'id_token_expired'
  | 'id_token_not_yet_valid'
  | 'invalid_credentials'
  | 'invalid_input'
  | 'rate_limited'
  | 'csrf_rejected'
  | 'csrf_token_missing'
  | 'backend_cross_site'
  | 'flow_unsupported'
  | 'input_rejected'
  | 'flow_expired'
  | 'password_length'
  | 'provider_login_failed'
  | 'passkey_unavailable'
  | 'passkey_cancelled'
  | 'passkey_failed'
  | 'password_breached'
  | 'reauthentication_required'
  | 'backend_response_invalid'
  | 'storage_unavailable'
  | 'jwks_invalid'
  | 'jwks_key_not_found'
  | 'id_token_signature_invalid'
  | 'at_hash_mismatch'
  | 'auth_time_invalid'
  | 'id_token_sub_changed'
  | 'userinfo_sub_mismatch'
  | 'userinfo_invalid'
  | 'invalid_token'
  | 'dpop_nonce_required'
  | 'endpoint_not_supported'
  | 'par_error'
  | 'reserved_parameter'
  | 'crypto_error'
  | 'logout_token_invalid'
  | 'not_signed_in'
  | 'token_held_by_edge'
  | 'shared_session_invalid'
  | 'tabs_out_of_step'
  | 'request_timeout'
  | 'response_too_large'
  | 'logout_incomplete'
  | 'dpop_key_replaced'
  | 'breach_check_failed';

/** What every latchkey promise rejects with. */
export interface LatchkeyError extends Error {
  readonly code: LatchkeyErrorCode;
}

/** `detail` of `latchkey:error`. */
export interface LatchkeyErrorDetail {
  code: LatchkeyErrorCode;
  message: string;
}

/** A "Continue with …" button: the backend's id for the provider and the name shown. */
export interface LatchkeyProvider {
  id: string;
  name: string;
  /** Redirect mode: parameters added to the authorization request (e.g. an identity provider hint). */
  params?: Record<string, string>;
}

/**
 * Options of `mount()` and `createClient()`. `<latchkey-widget>` takes each one as a
 * property of the same name, or as the kebab-case attribute (JSON for `strings` and
 * `providers`).
 */
export interface LatchkeyConfig {
  /** The identity backend: its OpenID issuer and, with `loginApi`, its login API, e.g. "https://id.example.com". Not in edge mode. */
  backend?: string;
  /**
   * Edge mode: the path of latchkey edge's routes on this page's site, e.g. "/auth".
   * The edge is then the OAuth client and keeps every token; `backend`, `clientId`,
   * `redirectUri`, `scope`, `audience`, `dpop`, `storage` and `postLogoutRedirectUri`
   * are its variables, and refused here.
   */
  edge?: string;
  /**
   * The login API the widget's own screens use. "none" (default): a button to the
   * provider's own sign-in page, for any OpenID provider; "allauth" or "better-auth":
   * the embedded sign-up, sign-in, second factor and account screens.
   */
  loginApi?: 'none' | 'allauth' | 'better-auth';
  /** The OAuth client id registered at the backend (a public client using PKCE). Not in edge mode. */
  clientId?: string;
  /** Where the backend sends users back; this page must also load the widget. Not in edge mode. */
  redirectUri?: string;
  /** The first screen. Default "login"; "signup" needs a `loginApi`. */
  startScreen?: 'login' | 'signup';
  /** A BCP 47 language tag; default: the browser's language. */
  locale?: string;
  /** Space-separated scopes; must include "openid". Default "openid profile email". */
  scope?: string;
  /** Shortest new password, 8–64; default 15 (use 8 only when every account has MFA). */
  passwordMinLength?: number | string;
  /** A k-anonymity range API for breached passwords, e.g. "https://api.pwnedpasswords.com/range/". */
  breachedPasswordCheck?: string;
  /** Your terms of service; sign-up then asks to accept them. */
  termsUrl?: string;
  /** Optional profile fields asked at sign-up: first_name, last_name, display_name (a list, or space-separated). */
  signupFields?: string | string[];
  /** Colour scheme. Default "auto" (the system's). */
  theme?: 'auto' | 'light' | 'dark';
  /** A preset look. Default "default". */
  preset?: 'default' | 'rounded' | 'sharp';
  /** URL of the shop's logo, shown at the top of the card. */
  logo?: string;
  /** The shop's name, shown at the top of the card. */
  shopName?: string;
  /** Replacements for the widget's texts, by key (see the README's list of keys). */
  strings?: Record<string, string>;
  /** "Continue with …" buttons for the backend's social or other providers (redirect flow). */
  providers?: LatchkeyProvider[];
  /** Move the focus into the widget when it appears (default: only after the shopper acts in it). */
  autofocus?: boolean | string;
  /** Redirect mode: ask for the email address first and send it as `login_hint`. */
  askEmail?: boolean | string;
  /** The API the access token is for (sent as the RFC 8707 `resource` parameter). */
  audience?: string;
  /**
   * Where the session lives. "memory" (default): in this tab's memory, shared with the
   * origin's other open tabs; a reload of the last tab signs out. "indexeddb": the
   * refresh and ID tokens are also kept in IndexedDB, so a reload stays signed in —
   * and a script injected into your origin could read them there.
   */
  storage?: 'memory' | 'indexeddb';
  /** Sender-constrained tokens (RFC 9449) with a non-extractable key; the provider must support DPoP. */
  dpop?: boolean;
  /** Origins whose requests through `client.fetch` carry the access token (space-separated in the attribute). */
  apiOrigins?: string[] | string;
  /** Where the provider sends the browser after logout (registered at the provider). */
  postLogoutRedirectUri?: string;
  /** URL of a stylesheet of your own instead of the package's (not checked against a hash). */
  stylesheet?: string;
  /**
   * Base URL of the package's files (`pkg/latchkey_bg.wasm`, `style/latchkey.css`), when
   * your bundler does not copy them (esbuild) or they are on a CDN. Default: next to
   * the module (Vite and webpack copy them and rewrite that). Files under their package
   * path are checked against the sha384 this version carries.
   */
  assets?: string;
  /** Also log every `latchkey:error` to the console. Default false. */
  debug?: boolean;
}

/** Options of `login()` (redirect mode). */
export interface LoginOptions {
  /** e.g. "login" (ask again) or "consent" (some providers issue refresh tokens only then). */
  prompt?: string;
  loginHint?: string;
  /** Seconds; the ID token's auth_time is then checked. */
  maxAge?: number;
  /** Overrides the configured audience for this login. */
  audience?: string;
  /** Further authorization parameters the provider understands (never latchkey's own). */
  params?: Record<string, string>;
}

/** Which access token: the session's (no options), or one for another API or a narrower scope. */
export interface TokenOptions {
  audience?: string;
  scope?: string;
}

/** Claims of the validated ID token (sub, name, email, …). */
export type LatchkeyUser = Record<string, unknown> & { sub: string; name?: string; email?: string };

/** The events of a widget (on its element, bubbling to the document) and of a client. */
export interface LatchkeyEventMap {
  /** Signed in: here, in another tab, or restored from IndexedDB. */
  'latchkey:login': CustomEvent<{ user: LatchkeyUser }>;
  /** Signed out, here or in another tab. */
  'latchkey:logout': CustomEvent<null>;
  /** New tokens (this tab refreshed, or another tab shared its refresh). */
  'latchkey:tokenrefreshed': CustomEvent<null>;
  /** The provider refused the refresh token: signed out in every tab. */
  'latchkey:sessionexpired': CustomEvent<null>;
  'latchkey:error': CustomEvent<LatchkeyErrorDetail>;
}

/**
 * The session API for your own code (`createClient(config)`, or a widget's `client`).
 * Rejections are `LatchkeyError`s.
 */
export class LatchkeyClient extends EventTarget {
  private constructor();
  /** Resolves once a stored or shared session has been taken up (or there is none). */
  readonly ready: Promise<void>;
  /** Redirect mode: goes to the provider's hosted login page. */
  login(options?: LoginOptions): Promise<void>;
  /** On the redirect URI: finishes the login (checks state, iss, the ID token) and cleans the URL. */
  handleRedirectCallback(): Promise<{ returnTo: string; user: LatchkeyUser }>;
  isAuthenticated(): Promise<boolean>;
  /** The ID token's claims (or null); with `{ userinfo: true }` merged with UserInfo. */
  getUser(options?: { userinfo?: boolean }): Promise<LatchkeyUser | null>;
  /**
   * A fresh access token, refreshed shortly before expiry: one refresh for all tabs.
   * In edge mode it rejects with code "token_held_by_edge": use `fetch`.
   */
  getAccessToken(options?: TokenOptions): Promise<string>;
  /**
   * `fetch` with the access token (Bearer or DPoP) for the configured `apiOrigins`
   * only; a DPoP nonce challenge is answered once, a refused token renewed once. In
   * edge mode the request goes through the edge's `/api` route, which adds the token.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * `everywhere` (default true): revoke the refresh token, sign out every tab, replace
   * the DPoP key, and go to the provider's end-session page when it has one.
   * `false`: only this tab forgets its tokens.
   */
  logout(options?: { everywhere?: boolean }): Promise<void>;
  addEventListener<K extends keyof LatchkeyEventMap>(
    type: K, listener: (this: LatchkeyClient, event: LatchkeyEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof LatchkeyEventMap>(
    type: K, listener: (this: LatchkeyClient, event: LatchkeyEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions): void;
}

/** A session client for `config`. Bad options reject `ready` and every call (code "invalid_config") and fire `latchkey:error`. */
export function createClient(config: LatchkeyOptions): LatchkeyClient;

export interface LatchkeyHandle {
  /**
   * Resolves once the widget (or its configuration or loading error) has rendered;
   * rejects (`invalid_config`) when `element` cannot hold it.
   */
  readonly ready: Promise<void>;
  /** Signs out of the widget and of the backend's session. */
  signOut(): void;
  /** The widget's session API (its events reach the element too). */
  readonly client: LatchkeyClient;
  /**
   * Applies new options in place when only the look, the text or what is offered
   * changes (the screen and what was typed stay). `false` when they change the
   * session (backend, client, login API, storage, password policy): unmount and
   * mount again then.
   */
  update(config: LatchkeyOptions): boolean;
  /** Removes the widget from the element. */
  unmount(): void;
}

/** Mounts the widget into `element`'s shadow root. Never throws. */
export function mount(element: Element | null, config: LatchkeyOptions): LatchkeyHandle;

/**
 * Where the widget signs in: the backend itself (direct mode: `backend`, `clientId`
 * and `redirectUri`), or latchkey edge on this page's site (`edge`), never both.
 */
export type LatchkeyConnection =
  | { backend: string; clientId: string; redirectUri: string; edge?: never }
  | { edge: string; backend?: never; clientId?: never; redirectUri?: never };

/** The options of `mount()` and `createClient()`: the connection and the rest. */
export type LatchkeyOptions = LatchkeyConfig & LatchkeyConnection;

/** The element's option properties: set any option as a property (objects and lists too). */
export type LatchkeyWidgetOptions = {
  [K in Exclude<keyof LatchkeyConfig, 'autofocus'>]?: LatchkeyConfig[K] | undefined;
};

/** `<latchkey-widget>`; its events are in `HTMLElementEventMap`. */
export class LatchkeyWidget extends HTMLElement {
  /** Resolves when the widget has rendered (or rendered its error). */
  readonly ready: Promise<void>;
  signOut(): void;
  /** The widget's session API; null before it is connected. */
  readonly client: LatchkeyClient | null;
}
export interface LatchkeyWidget extends LatchkeyWidgetOptions {}

/** JSX props that listen to the events: `onlatchkey:login={…}` (React 19, Preact). */
export type LatchkeyEventProps = {
  [K in keyof LatchkeyEventMap as `on${K}`]?: (event: LatchkeyEventMap[K]) => void;
};

declare global {
  interface HTMLElementTagNameMap {
    'latchkey-widget': LatchkeyWidget;
  }
  interface ElementEventMap extends LatchkeyEventMap {}
  interface HTMLElementEventMap extends LatchkeyEventMap {}
  interface DocumentEventMap extends LatchkeyEventMap {}
  interface WindowEventMap extends LatchkeyEventMap {}
}

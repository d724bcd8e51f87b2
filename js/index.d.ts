/** Options of `mount()`; the element takes the same as kebab-case attributes. */
export interface LatchkeyConfig {
  /** The identity backend: its login API and OpenID issuer, e.g. "https://id.example.com". Not in edge mode. */
  backend?: string;
  /**
   * Edge mode: the path of latchkey edge's routes on this page's site, e.g. "/auth".
   * The edge is then the OAuth client and keeps every token; `backend`, `clientId`,
   * `redirectUri`, `scope`, `audience`, `dpop`, `storage` and `postLogoutRedirectUri`
   * are its variables, and refused here.
   */
  edge?: string;
  /** The OAuth client id registered at the backend (a public client using PKCE). Not in edge mode. */
  clientId?: string;
  /** Where the backend sends users back; this page must also load the widget. Not in edge mode. */
  redirectUri?: string;
  /** The first screen. Default "login". */
  startScreen?: 'login';
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
  /** Optional profile fields asked at sign-up, space-separated: first_name, last_name, display_name. */
  signupFields?: string;
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
  providers?: { id: string; name: string }[];
  /** URL of latchkey.css, when you host it yourself. Default: next to this module. */
  stylesheet?: string;
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

/**
 * The session API for your own code (`createClient(config)`, or a widget's `client`).
 * Rejections are `Error`s with a `code` from the README's table.
 */
export class LatchkeyClient extends EventTarget {
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
}

/** A session client for `config`. Bad options reject `ready` and every call (code "invalid_config") and fire `latchkey:error`. */
export function createClient(config: LatchkeyConfig): LatchkeyClient;

export interface LatchkeyHandle {
  /** Resolves once the widget (or its configuration error) has rendered. */
  readonly ready: Promise<void>;
  /** Signs out of the widget and of the backend's session. */
  signOut(): void;
  /** The widget's session API (its events reach the element too). */
  readonly client: LatchkeyClient;
  /** Removes the widget from the element. */
  unmount(): void;
}

/** Claims of the validated ID token (sub, name, email, …). */
export type LatchkeyUser = Record<string, unknown> & { sub: string; name?: string; email?: string };

/** `detail` of `latchkey:error`; `code` is one of the stable codes in the README. */
export interface LatchkeyErrorDetail {
  code: string;
  message: string;
}

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

/** Mounts the widget into `element`'s shadow root. Never throws for bad configuration. */
export function mount(element: HTMLElement, config: LatchkeyConfig): LatchkeyHandle;

export class LatchkeyWidget extends HTMLElement {
  readonly ready: Promise<void>;
  signOut(): void;
  /** The widget's session API; null before it is connected. */
  readonly client: LatchkeyClient | null;
  addEventListener<K extends keyof LatchkeyEventMap>(
    type: K, listener: (this: LatchkeyWidget, event: LatchkeyEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'latchkey-widget': LatchkeyWidget;
  }
}

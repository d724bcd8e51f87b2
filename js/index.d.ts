/** Options of `mount()`; the element takes the same as kebab-case attributes. */
export interface LatchkeyConfig {
  /** The identity backend: its login API and OpenID issuer, e.g. "https://id.example.com". */
  backend: string;
  /** The OAuth client id registered at the backend (a public client using PKCE). */
  clientId: string;
  /** Where the backend sends users back; this page must also load the widget. */
  redirectUri: string;
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
}

export interface LatchkeyHandle {
  /** Resolves once the widget (or its configuration error) has rendered. */
  readonly ready: Promise<void>;
  /** Signs out of the widget and of the backend's session. */
  signOut(): void;
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
  'latchkey:login': CustomEvent<{ user: LatchkeyUser }>;
  'latchkey:logout': CustomEvent<null>;
  'latchkey:error': CustomEvent<LatchkeyErrorDetail>;
}

/** Mounts the widget into `element`'s shadow root. Never throws for bad configuration. */
export function mount(element: HTMLElement, config: LatchkeyConfig): LatchkeyHandle;

export class LatchkeyWidget extends HTMLElement {
  readonly ready: Promise<void>;
  signOut(): void;
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

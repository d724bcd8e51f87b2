/** @jsxImportSource preact */
// Preact: the same props as React; the JSX types come from latchkey/preact.
import 'latchkey/preact';
import type { LatchkeyWidget } from 'latchkey/preact';
import { useRef } from 'preact/hooks';

export function SignIn() {
  const widget = useRef<LatchkeyWidget>(null);
  return (
    <latchkey-widget
      ref={widget}
      backend="https://id.example.com"
      clientId="my-shop"
      redirectUri="https://shop.example.com/callback"
      strings={{ submit: 'Log in' }}
      providers={[{ id: 'google', name: 'Google' }]}
      onlatchkey:login={(event) => console.log(event.detail.user.sub)}
    />
  );
}

/** @jsxImportSource solid-js */
// Solid: options as props; events through a ref, since `on:` takes no colon.
import 'latchkey/solid';
import type { LatchkeyWidget } from 'latchkey/solid';
import { onCleanup } from 'solid-js';

export function SignIn() {
  const listen = (widget: LatchkeyWidget) => {
    const onLogin = (event: CustomEvent<{ user: { sub: string } }>) => console.log(event.detail.user.sub);
    widget.addEventListener('latchkey:login', onLogin);
    onCleanup(() => widget.removeEventListener('latchkey:login', onLogin));
  };
  return (
    <latchkey-widget
      ref={listen}
      backend="https://id.example.com"
      clientId="my-shop"
      redirectUri="https://shop.example.com/callback"
      strings={{ submit: 'Log in' }}
      providers={[{ id: 'google', name: 'Google' }]}
    />
  );
}

// The README's one-liner.
const onLogin = (event: CustomEvent<{ user: { sub: string } }>) => console.log(event.detail.user.sub);
export const Short = () => <latchkey-widget clientId="my-shop" ref={(el) => el.addEventListener('latchkey:login', onLogin)} />;

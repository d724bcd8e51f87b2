// React 19 (the README's snippet, and tests/bundlers/react): options as props, objects
// as objects, events as `onlatchkey:*` props, the element in a ref.
import 'latchkey/react';
import type { LatchkeyErrorCode, LatchkeyUser, LatchkeyWidget } from 'latchkey/react';
import { useRef, useState } from 'react';

// The README's snippet.
export function ReadmeSignIn({ setUser }: { setUser: (user: LatchkeyUser) => void }) {
  return (
    <latchkey-widget
      backend="https://id.example.com"
      clientId="my-shop"
      redirectUri="https://shop.example.com/callback"
      strings={{ submit: 'Log in' }}
      onlatchkey:login={(event) => setUser(event.detail.user)}
    />
  );
}

export function SignIn() {
  const [error, setError] = useState<LatchkeyErrorCode | ''>('');
  const widget = useRef<LatchkeyWidget>(null);
  return (
    <>
      <latchkey-widget
        ref={widget}
        id="login"
        className="card"
        backend="https://id.example.com"
        clientId="my-shop"
        redirectUri="https://shop.example.com/callback"
        strings={{ submit: 'Log in' }}
        providers={[{ id: 'google', name: 'Google' }]}
        theme="dark"
        dpop
        onlatchkey:login={(event) => console.log(event.detail.user.sub)}
        onlatchkey:error={(event) => setError(event.detail.code)}
      />
      <p>{error}</p>
      <button onClick={() => widget.current?.signOut()}>Sign out</button>
    </>
  );
}

// React 19 sets a prop as a property when the element has it: load latchkey before
// rendering, and objects (strings, providers) arrive as objects. `onlatchkey:error`
// listens to the `latchkey:error` event.
import 'latchkey/react';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';

function SignIn() {
  const [error, setError] = useState('');
  return (
    <>
      <latchkey-widget
        backend="http://localhost:9550"
        loginApi="allauth"
        clientId="my-shop"
        redirectUri="http://localhost:8600/callback"
        strings={{ submit: 'Log in' }}
        providers={[{ id: 'google', name: 'Google' }]}
        onlatchkey:error={(event) => setError(event.detail.code)}
      />
      <p id="last-error">{error}</p>
    </>
  );
}

createRoot(document.getElementById('app')).render(<SignIn />);

// Misuses the package's types must refuse. Each line marked `// error TSxxxx` must
// fail with that code, and nothing else may fail (tests/types.test.mjs).
import { createClient, mount } from 'latchkey';

const auth = createClient({ backend: 'https://id.example.com', clientId: 'x', redirectUri: 'https://x/cb' });
mount(document.body, { backend: 'https://id.example.com', clientID: 'x', redirectUri: 'https://x/cb' }); // error TS2561
createClient({ backend: 'https://id.example.com', clientId: 'x' }); // error TS2345
mount(document.body, { backend: 'b', clientId: 'c', redirectUri: 'r', theme: 'blue' }); // error TS2322
document.addEventListener('latchkey:login', (event) => event.detail.code); // error TS2339
auth.addEventListener('latchkey:error', (event) => event.detail.user); // error TS2339
auth.addEventListener('latchkey:error', (event) => {
  if (event.detail.code === 'invalid_konfig') return; // error TS2367
});
const element = document.createElement('latchkey-widget');
element.strings = '{"submit": "Log in"}'; // error TS2322
element.providers = [{ id: 'google' }]; // error TS2741
void element.client.ready; // error TS18047
function onLogin(event: CustomEvent<{ user: { sub: string } }>) { void event; }
auth.removeEventListener('latchkey:error', onLogin); // error TS2769
new (auth.constructor as typeof import('latchkey').LatchkeyClient)(); // error TS2673
createClient({ edge: '/auth', backend: 'https://id.example.com' }); // error TS2345

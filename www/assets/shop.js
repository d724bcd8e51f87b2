// The shop's own code: opens the widget, and reacts to its events.
import 'latchkey';

const dialog = document.getElementById('sign-in-dialog');
const widget = dialog.querySelector('latchkey-widget');
const signIn = document.getElementById('sign-in');
const menu = document.getElementById('account-menu');

// The widget's shadow root delegates focus: focus() lands on its first field.
const openSignIn = () => {
  dialog.showModal();
  widget.focus();
};

signIn.addEventListener('click', openSignIn);
document.getElementById('close-dialog').addEventListener('click', () => dialog.close());
document.getElementById('sign-out').addEventListener('click', () => widget.signOut());

widget.addEventListener('latchkey:login', (event) => {
  const { user } = event.detail;
  document.getElementById('account-name').textContent = user.name ?? user.email ?? 'Your account';
  menu.hidden = false;
  signIn.hidden = true;
  dialog.close();
});

widget.addEventListener('latchkey:logout', () => {
  menu.open = false;
  menu.hidden = true;
  signIn.hidden = false;
});

// The backend refused to renew the session (e.g. the shopper signed out elsewhere):
// the widget shows why; open it.
widget.addEventListener('latchkey:sessionexpired', () => {
  menu.hidden = true;
  signIn.hidden = false;
  if (!dialog.open) openSignIn();
});

// Something the shopper should see (e.g. a cancelled provider sign-in): show the widget.
widget.addEventListener('latchkey:error', () => {
  if (!dialog.open) openSignIn();
});

// A sign-in that went to a provider and needs the shopper again (e.g. an address
// the provider did not give): show the widget.
widget.addEventListener('latchkey:continue', () => {
  if (!dialog.open) openSignIn();
});

// Back from the identity provider, or sent here by it to sign in: show the widget.
if (location.pathname === '/callback' || location.pathname === '/login') openSignIn();

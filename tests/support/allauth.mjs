// The reference backend's headless API called from inside a shop page, with the
// page's cookies and CSRF token as the widget would send them: for arranging
// accounts (sign-up, factors) without clicking through the screens.

/** `METHOD /_allauth/browser/v1<path>` from `page`; resolves `{ status, json }`. */
export function allauthApi(page, backendUrl, method, path, body) {
  return page.evaluate(async ([url, method, body]) => {
    const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || '';
    const response = await fetch(url, {
      method, credentials: 'include', body: body && JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrftoken': csrf },
    });
    return { status: response.status, json: await response.json() };
  }, [`${backendUrl}/_allauth/browser/v1${path}`, method, body]);
}

/** Adds Chromium's virtual authenticator (CTAP2, resident keys, user verification)
 * to `page`: it answers every passkey prompt at once. */
export async function virtualAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

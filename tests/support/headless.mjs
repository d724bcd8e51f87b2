// django-allauth's headless browser API called from inside a shop page, with the
// backend's cookies and CSRF token as the widget uses them: for setting up accounts
// (and their factors) without going through the screens. `page` is a Playwright page
// or a cross-engine tab: anything with `evaluate(fn, arg)`.

/** `{ status, json }` of `method` `path` (below /_allauth/browser/v1). */
export function headless(page, backend, method, path, body) {
  return page.evaluate(async ([url, method, body]) => {
    const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || '';
    const response = await fetch(url, {
      method, credentials: 'include', body: body && JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrftoken': csrf },
    });
    return { status: response.status, json: await response.json() };
  }, [`${backend}/_allauth/browser/v1${path}`, method, body]);
}

// What a page's fetch(…, { credentials: 'include' }) does, for tests that walk a
// backend's HTTP API from node: a cookie jar and the page's Origin header. navigate()
// is a top-level navigation instead (no Origin; Sec-Fetch-Mode: navigate; no redirects
// followed, so the test sees each Location).
import http from 'node:http';

class CookieJar {
  #cookies = new Map();

  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const maxAge = attributes.find((a) => /^max-age=/i.test(a));
      const gone = value === '' || (maxAge && Number(maxAge.split('=')[1]) <= 0);
      if (gone) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  names() {
    return [...this.#cookies.keys()].sort();
  }

  has(name) {
    return this.#cookies.has(name);
  }
}

/** fetch() for the requests node's fetch cannot make: it always sends
 * Sec-Fetch-Mode: cors, whatever the caller sets. Never follows redirects. */
export function rawFetch(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const item of [value].flat()) responseHeaders.append(name, item);
        }
        const status = response.statusCode;
        const content = [204, 304].includes(status) ? null : Buffer.concat(chunks);
        resolve(new Response(content, { status, headers: responseHeaders }));
      });
    });
    request.on('error', reject);
    request.end(body === undefined ? undefined : String(body));
  });
}

async function answer(response) {
  const text = await response.text();
  let body = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch { /* not JSON: keep the text */ }
  return {
    status: response.status,
    headers: response.headers,
    setCookies: response.headers.getSetCookie(),
    location: response.headers.get('location'),
    body,
  };
}

/** A page on `origin` calling the API under `api` (paths are relative to it). */
export function browserFetch({ api, origin }) {
  const jar = new CookieJar();
  const cookie = () => (jar.header() ? { cookie: jar.header() } : {});

  async function send(url, init, viaFetch = fetch) {
    const response = await viaFetch(url, { redirect: 'manual', ...init });
    jar.store(response);
    return answer(response);
  }

  const call = (method, path, body, headers = {}) => send(`${api}${path}`, {
    method,
    headers: {
      origin,
      accept: 'application/json',
      ...cookie(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  return {
    jar,
    get: (path, headers) => call('GET', path, undefined, headers),
    post: (path, body = {}, headers) => call('POST', path, body, headers),
    /** A form POST (the token, revocation and introspection endpoints), from the page. */
    form: (url, fields) => send(url, {
      method: 'POST',
      headers: { origin, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    }),
    /** The address bar going to `url`, with the cookies, as a top-level GET. */
    navigate: (url) => send(url, {
      headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', ...cookie() },
    }, rawFetch),
  };
}

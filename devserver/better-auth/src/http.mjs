// The HTTP front: Node's http server <-> better-auth's fetch handler, plus credentialed
// CORS for the widget's origins, the issuer's discovery documents at the root, and the
// test mailbox.
import { oauthProviderAuthServerMetadata, oauthProviderOpenIdConfigMetadata } from '@better-auth/oauth-provider';
import { BASE_PATH } from './auth.mjs';

const EXPOSED = 'www-authenticate, dpop-nonce, retry-after, x-retry-after';

function corsHeaders(origin, config) {
  if (!origin || !config.frontends.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': EXPOSED,
    vary: 'Origin',
  };
}

function preflight(req, config) {
  const cors = corsHeaders(req.headers.origin, config);
  if (!cors['access-control-allow-origin']) return new Response(null, { status: 403 });
  return new Response(null, {
    status: 204,
    headers: {
      ...cors,
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'access-control-allow-headers': req.headers['access-control-request-headers'] || 'content-type',
      'access-control-max-age': '600',
    },
  });
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function mailboxResponse(url, mailbox) {
  const mail = mailbox.last(url.searchParams.get('email') || '');
  if (!mail) return json(404, { status: 404, errors: [{ code: 'no_mail', message: 'Nothing sent.' }] });
  return json(200, { status: 200, data: mail });
}

async function toWebRequest(req, config) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'x-latchkey-peer') continue; // only the socket may say who the peer is
    for (const item of [value].flat()) headers.append(name, item);
  }
  headers.set('x-latchkey-peer', req.socket.remoteAddress || 'unknown');
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const hasBody = !['GET', 'HEAD'].includes(req.method) && chunks.length > 0;
  return new Request(new URL(req.url, config.baseURL), {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

async function writeResponse(res, response, extraHeaders) {
  const headers = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  // better-auth's rate limiter sends only X-Retry-After; browsers and clients read Retry-After.
  if (response.status === 429 && headers['x-retry-after'] && !headers['retry-after']) {
    headers['retry-after'] = headers['x-retry-after'];
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(response.status, { ...headers, ...extraHeaders });
  res.end(Buffer.from(await response.arrayBuffer()));
}

export function createHandler({ auth, config, mailbox }) {
  const openIdConfiguration = oauthProviderOpenIdConfigMetadata(auth);
  const authServerMetadata = oauthProviderAuthServerMetadata(auth);
  async function route(req, request) {
    const url = new URL(request.url);
    if (req.method === 'OPTIONS') return preflight(req, config);
    if (url.pathname === '/.well-known/openid-configuration') return openIdConfiguration(request);
    if (url.pathname === '/.well-known/oauth-authorization-server') return authServerMetadata(request);
    if (url.pathname === '/_test/mailbox' && config.testMailbox) return mailboxResponse(url, mailbox);
    if (url.pathname === BASE_PATH || url.pathname.startsWith(`${BASE_PATH}/`)) return auth.handler(request);
    return json(404, { message: 'Not found' });
  }
  return async (req, res) => {
    try {
      const request = await toWebRequest(req, config);
      const response = await route(req, request);
      await writeResponse(res, response, corsHeaders(req.headers.origin, config));
    } catch (error) {
      console.error('[server] request failed', req.method, req.url, error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal server error' }));
    }
  };
}

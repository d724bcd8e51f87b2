// A small API that accepts only DPoP-bound access tokens (RFC 9449 §7), the way a
// shop's API would: it checks the proof (typ, alg, signature with the embedded public
// key, htm, htu, iat, jti once, ath) and asks the authorization server by
// introspection whether the token is active and bound to that key (cnf.jkt). It
// requires its own nonce, so the first request of a client gets one challenge.
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import http from 'node:http';

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** RFC 7638 thumbprint of a P-256 public key. */
function thumbprint({ crv, kty, x, y }) {
  return b64url(createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest());
}

/**
 * Starts the API on `port` (`control.refuseNext` refuses the next good token). `issuer` is the authorization server (introspection with
 * the "resource-server" client and `secret`), `origin` the shop allowed by CORS.
 * `stats` counts challenges, accepted requests and the reasons for refusals; `seen`
 * keeps every request's method, path and headers. `fetch` reaches the issuer
 * (a test's own, for test host names).
 */
export async function startResourceServer({ port, issuer, secret, origin, fetch = globalThis.fetch }) {
  const url = `http://localhost:${port}`;
  const stats = { challenges: 0, accepted: 0, refused: [] };
  // Set by a test: the next token that passes every check is refused as if revoked.
  const control = { refuseNext: false };
  let nonce = b64url(randomBytes(16));
  const jtis = new Set();
  const seen = [];
  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();

  async function check(req) {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme !== 'DPoP' || !token) return 'Authorization is not "DPoP <token>"';
    const proof = req.headers.dpop;
    if (!proof || proof.split('.').length !== 3) return 'no DPoP proof';
    const [h, p, s] = proof.split('.');
    const header = decode(h);
    const claims = decode(p);
    if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256') return `header ${JSON.stringify(header)}`;
    if (!header.jwk || header.jwk.d) return 'proof key missing or private';
    const key = createPublicKey({ key: header.jwk, format: 'jwk' });
    const signed = verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    if (!signed) return 'proof signature does not verify';
    if (claims.htm !== req.method) return `htm ${claims.htm} for ${req.method}`;
    const target = `${url}${req.url.split('?')[0]}`;
    if (claims.htu !== target) return `htu ${claims.htu} for ${target}`;
    if (Math.abs(claims.iat - Date.now() / 1000) > 60) return `iat ${claims.iat} too far from now`;
    if (jtis.has(claims.jti)) return 'jti replayed';
    jtis.add(claims.jti);
    if (claims.ath !== b64url(createHash('sha256').update(token).digest())) return 'ath does not match the token';
    if (claims.nonce !== nonce) return 'nonce';
    const introspection = await fetch(discovery.introspection_endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`resource-server:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }),
    });
    const info = await introspection.json();
    if (!info.active) return 'token not active';
    if (info.cnf?.jkt !== thumbprint(header.jwk)) return `token bound to ${info.cnf?.jkt}, proof key ${thumbprint(header.jwk)}`;
    return { sub: info.sub };
  }

  const cors = {
    'access-control-allow-origin': origin,
    'access-control-allow-headers': 'authorization, dpop, content-type',
    'access-control-expose-headers': 'www-authenticate, dpop-nonce',
    vary: 'origin',
  };
  const server = http.createServer(async (req, res) => {
    seen.push({ method: req.method, path: req.url, headers: { ...req.headers } });
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST' });
      res.end();
      return;
    }
    const outcome = await check(req).catch((error) => `error: ${error.message}`);
    if (typeof outcome === 'object' && control.refuseNext) {
      control.refuseNext = false;
      stats.revoked = (stats.revoked ?? 0) + 1;
      res.writeHead(401, { ...cors, 'www-authenticate': 'DPoP error="invalid_token", error_description="revoked"' });
      res.end();
    } else if (outcome === 'nonce') {
      stats.challenges += 1;
      nonce = b64url(randomBytes(16));
      res.writeHead(401, { ...cors, 'www-authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"', 'dpop-nonce': nonce });
      res.end();
    } else if (typeof outcome === 'string') {
      stats.refused.push(outcome);
      res.writeHead(401, { ...cors, 'www-authenticate': `DPoP error="invalid_token", error_description="${outcome.replaceAll('"', "'")}"` });
      res.end();
    } else {
      stats.accepted += 1;
      res.writeHead(200, { ...cors, 'content-type': 'application/json' });
      res.end(JSON.stringify({ orders: [], customer: outcome.sub }));
    }
  });
  await new Promise((resolve) => server.listen(port, 'localhost', resolve));
  return { url, stats, control, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

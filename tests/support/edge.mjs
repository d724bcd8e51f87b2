// latchkey edge in front of the demo shop, against the reference allauth backend,
// each on its own host name of its own site, over TLS: the shop at
// https://shop.example.test:<port> (workerd), the backend at
// https://id.other.test:<port> (a TLS proxy in front of Django). For the end-to-end
// tests of edge mode and the load run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeWorkerdConfig } from '../../edge/workerd.mjs';
import { createDemoServer } from '../../www/server.mjs';
import { startBackend } from './backend.mjs';
import { makeCertificates, testFetch } from './tls.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOP_HOST = 'shop.example.test';
export const BACKEND_HOST = 'id.other.test';
/** Chromium's switches for the test host names and their throwaway CA. */
export const BROWSER_ARGS = ['--host-resolver-rules=MAP *.test 127.0.0.1', '--ignore-certificate-errors'];

/** Collects a child's stdout lines into `lines` (JSON lines parsed, with receipt time). */
export function collectLines(child, lines) {
  let rest = '';
  child.stdout.on('data', (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop();
    for (const line of parts) {
      try { lines.push({ at: Date.now(), ...JSON.parse(line) }); } catch { lines.push({ at: Date.now(), text: line }); }
    }
  });
}

async function until(check, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * https on `port` for the backend's host name, passed on to Django at `target` with
 * `X-Forwarded-Proto: https`. `tokens` gets every token the token endpoint hands
 * out (the tests look for them where they must never be); `down(true)` drops every
 * connection, as a backend that went away.
 */
export async function startTlsProxy({ port, target, certs }) {
  const tokens = new Set();
  let isDown = false;
  const server = https.createServer({ key: fs.readFileSync(certs.key), cert: fs.readFileSync(certs.cert) }, (req, res) => {
    if (isDown) { req.socket.destroy(); return; }
    const upstream = http.request(`${target}${req.url}`, {
      method: req.method, headers: { ...req.headers, 'x-forwarded-proto': 'https' },
    }, (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.url.split('?')[0].endsWith('/token')) {
          try {
            const issued = JSON.parse(body);
            for (const name of ['access_token', 'refresh_token', 'id_token']) if (issued[name]) tokens.add(issued[name]);
          } catch { /* an error page */ }
        }
        res.writeHead(answer.statusCode, answer.rawHeaders);
        res.end(body);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    tokens,
    down(value) { isDown = value; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/**
 * Starts everything for edge mode on the given ports: the allauth backend (Django
 * on `backendPort`, TLS on `backendPort + 1`), the demo shop's server on
 * `shopPort + 1` and workerd with the edge on `shopPort`. `apis` are API origins
 * (http on localhost) the edge may call; `vars` more edge variables.
 */
export async function startEdgeStack({ shopPort, backendPort, apis = [], vars = {}, quiet = false }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-edge-stack-'));
  const shop = `https://${SHOP_HOST}:${shopPort}`;
  const issuer = `https://${BACKEND_HOST}:${backendPort + 1}`;
  const shopOrigin = `http://localhost:${shopPort + 1}`;
  const certs = makeCertificates(path.join(dir, 'tls'), [SHOP_HOST, BACKEND_HOST]);
  const edgeSecret = randomBytes(18).toString('base64url');
  const backend = await startBackend({
    port: backendPort,
    frontend: shop,
    env: {
      IDP_HOSTS: BACKEND_HOST, IDP_BEHIND_TLS: '1', IDP_WEBAUTHN_RP_ID: SHOP_HOST,
      IDP_EDGE_ORIGIN: shop, IDP_EDGE_SECRET: edgeSecret,
    },
  });
  const proxy = await startTlsProxy({ port: backendPort + 1, target: backend.url, certs });
  const demo = await createDemoServer({ edge: '/auth', origin: shop, apis });
  await new Promise((resolve) => demo.listen(shopPort + 1, 'localhost', resolve));
  const config = writeWorkerdConfig(path.join(dir, 'edge'), {
    listen: `127.0.0.1:${shopPort}`,
    tls: certs,
    vars: {
      ISSUER: issuer, CLIENT_ID: 'latchkey-edge', CLIENT_SECRET: edgeSecret, REDIRECT_URI: `${shop}/auth/callback`,
      SCOPE: 'openid profile email offline_access', LOGIN_API: 'allauth', SHOP_ORIGIN: shopOrigin,
      API_ORIGINS: apis.join(' '), POST_LOGOUT_REDIRECT_URI: `${shop}/`,
      LATCHKEY_SESSION_SECRET: randomBytes(32).toString('base64url'), ...vars,
    },
    routes: [
      { host: `${BACKEND_HOST}:${backendPort + 1}`, address: `127.0.0.1:${backendPort + 1}`, ca: certs.ca, certificateHost: BACKEND_HOST },
      { host: `localhost:${shopPort + 1}`, address: `localhost:${shopPort + 1}` },
      ...apis.map((api) => ({ host: new URL(api).host, address: new URL(api).host })),
    ],
  });
  const logs = [];
  const workerd = spawn(path.join(ROOT, 'node_modules/.bin/workerd'), ['serve', config],
    { stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit'] });
  collectLines(workerd, logs);
  const fetchTest = testFetch(certs.ca);
  await until(async () => {
    try { return (await fetchTest(`${shop}/`)).status === 200; } catch { return false; }
  }, 'workerd');
  return {
    shop, issuer, backend, proxy, logs, workerd, fetch: fetchTest,
    async stop() {
      workerd.kill();
      demo.close();
      await proxy.close();
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Runs latchkey edge on workerd in front of a shop, on plain http on localhost (the
// local demo of `npm start`; deployments run on Cloudflare Workers, see README).
//
//   EDGE_CLIENT_SECRET=… node scripts/edge-serve.mjs --port 8080 \
//     --issuer http://localhost:9000 --shop http://localhost:8081 [--login-api allauth]
//
// The edge answers http://localhost:<port>: its routes under /auth, every other
// request passed to --shop. Its log lines go to stdout. Sessions live in memory and
// end with the process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeWorkerdConfig } from '../edge/workerd.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

const port = Number(arg('port', 8080));
const issuer = arg('issuer', 'http://localhost:9000');
const shop = arg('shop', `http://localhost:${port + 1}`);
const origin = `http://localhost:${port}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-edge-serve-'));
const config = writeWorkerdConfig(dir, {
  listen: `localhost:${port}`,
  vars: {
    ISSUER: issuer,
    CLIENT_ID: 'latchkey-edge',
    CLIENT_SECRET: process.env.EDGE_CLIENT_SECRET ?? '',
    REDIRECT_URI: `${origin}/auth/callback`,
    SCOPE: 'openid profile email offline_access',
    LOGIN_API: arg('login-api', 'allauth'),
    SHOP_ORIGIN: shop,
    POST_LOGOUT_REDIRECT_URI: `${origin}/`,
    // A new secret each run: sessions sealed by an earlier run cannot be opened.
    LATCHKEY_SESSION_SECRET: randomBytes(32).toString('base64url'),
  },
  // workerd's own outbound network is the public internet only: the backend and the
  // shop on this machine are routed by host.
  routes: [issuer, shop].map((url) => ({ host: new URL(url).host, address: new URL(url).host })),
});
const workerd = spawn(path.join(ROOT, 'node_modules/.bin/workerd'), ['serve', config], { stdio: 'inherit' });
const stop = () => workerd.kill();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, stop);
workerd.on('exit', (code) => {
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? 0);
});

// A bounded load run of latchkey edge on loopback (a measurement, not a test):
// workerd with the edge, the reference allauth backend and a small API. Each of
// --sessions sessions signs in through the edge's journey route (email and password),
// calls the API through the edge --calls times, half of them after its access token
// has gone stale (so the edge refreshes it once), and reads its session. The figures
// come from the edge's own log lines: per route, p50 / p99 of the time the edge took
// and of the time it added (its time less what it waited for the backend or the
// API), errors, refresh grants per session, and workerd's memory. Then the edge's
// compressed size against the Workers limits.
//
//   npm run edge-load [-- --sessions 200 --calls 10 --concurrency 8]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeWorkerdConfig } from '../edge/workerd.mjs';
import { SEED_EMAIL, SEED_PASSWORD, startBackend } from '../tests/support/backend.mjs';
import { collectLines } from '../tests/support/edge.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SESSIONS = arg('sessions', 200);
const CALLS = arg('calls', 10);
/** Sign-ins at once: each costs the backend a password hash. */
const CONCURRENCY = arg('concurrency', 8);
const EDGE_PORT = 8890;
const SHOP_PORT = 8891;
const BACKEND_PORT = 9840;
const API_PORT = 9842;
const EDGE = `http://localhost:${EDGE_PORT}`;
/** Access tokens live 45 s; the edge refreshes 30 s before expiry: stale after 15 s. */
const ACCESS_TOKEN_TTL = 45;
const STALE_AFTER_MS = (ACCESS_TOKEN_TTL - 30 + 2) * 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const listen = (server, port) => new Promise((resolve) => server.listen(port, 'localhost', resolve));

/** At most `limit` of `work` at once. */
function limiter(limit) {
  let running = 0;
  const waiting = [];
  return async (work) => {
    while (running >= limit) await new Promise((resolve) => waiting.push(resolve));
    running += 1;
    try { return await work(); } finally { running -= 1; waiting.shift()?.(); }
  };
}

/** One browser session: the edge's cookie, and the header its routes require. */
function session() {
  let cookie = '';
  return async (route, init = {}) => {
    const response = await fetch(`${EDGE}${route}`, {
      ...init,
      headers: { 'x-latchkey': '1', origin: EDGE, 'content-type': 'application/json', cookie, ...init.headers },
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      if (pair.startsWith('__Host-latchkey=')) cookie = pair;
    }
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${route}: HTTP ${response.status} ${body}`);
    return body;
  };
}

async function run(signIn) {
  const call = session();
  await signIn(() => call('/auth/step', {
    method: 'POST', body: JSON.stringify({ login: { email: SEED_EMAIL, password: SEED_PASSWORD } }),
  }));
  const signedInAt = Date.now();
  for (let i = 0; i < CALLS / 2; i += 1) await call(`/auth/api/orders?n=${i}`);
  await sleep(Math.max(0, signedInAt + STALE_AFTER_MS - Date.now()));
  for (let i = CALLS / 2; i < CALLS; i += 1) await call(`/auth/api/orders?n=${i}`);
  await call('/auth/session');
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

function report(lines, failures, started) {
  const requests = lines.filter((line) => line.edge === 'latchkey' && line.route && line.at >= started);
  console.log(`\n${SESSIONS} sessions, ${CALLS} API calls each; ${requests.length} requests through the edge\n`);
  console.log(`${'route'.padEnd(8)} ${'count'.padStart(6)}   ${'edge p50'.padStart(9)} ${'edge p99'.padStart(9)}   ${'added p50'.padStart(9)} ${'added p99'.padStart(9)}  (ms)`);
  for (const route of [...new Set(requests.map((line) => line.route))]) {
    const of = requests.filter((line) => line.route === route);
    const total = of.map((line) => line.ms).sort((a, b) => a - b);
    const added = of.map((line) => Math.max(0, line.ms - line.upstream_ms)).sort((a, b) => a - b);
    console.log(`${route.padEnd(8)} ${String(of.length).padStart(6)}   ${String(quantile(total, 0.5)).padStart(9)} ${String(quantile(total, 0.99)).padStart(9)}   `
      + `${String(quantile(added, 0.5)).padStart(9)} ${String(quantile(added, 0.99)).padStart(9)}`);
  }
  const errors = requests.filter((line) => line.status >= 400);
  console.log(`\nerrors: ${errors.length + failures.length} (answers of 400 or more in the log: ${errors.length}; failed sessions: ${failures.length})`);
  for (const failure of failures.slice(0, 5)) console.log(`  ${failure}`);
  const refreshes = new Map();
  for (const line of lines.filter((l) => l.event === 'refresh' && l.at >= started)) {
    refreshes.set(line.session, (refreshes.get(line.session) ?? 0) + (line.outcome === 'ok' ? 1 : 0));
  }
  const signedIn = new Set(requests.filter((line) => line.route === 'api').map((line) => line.session));
  const perSession = {};
  for (const hash of signedIn) perSession[refreshes.get(hash) ?? 0] = (perSession[refreshes.get(hash) ?? 0] ?? 0) + 1;
  console.log(`refresh grants per session: ${Object.entries(perSession).map(([n, count]) => `${count} session(s) with ${n}`).join(', ')}`);
  const refreshMs = lines.filter((l) => l.event === 'refresh' && l.at >= started).map((l) => l.ms).sort((a, b) => a - b);
  if (refreshMs.length) console.log(`refresh grant time: p50 ${quantile(refreshMs, 0.5)} ms, p99 ${quantile(refreshMs, 0.99)} ms`);
  return errors.length + failures.length === 0 && Object.keys(perSession).every((n) => n === '1');
}

function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+) kB`))?.[1] ?? 0);
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-edge-load-'));
const edgeSecret = randomBytes(18).toString('base64url');
let backend;
let workerd;
const servers = [];
try {
  console.log('starting the backend, the API and the edge …');
  backend = await startBackend({
    port: BACKEND_PORT, frontend: EDGE,
    env: { IDP_EDGE_ORIGIN: EDGE, IDP_EDGE_SECRET: edgeSecret, IDP_ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL) },
  });
  const api = http.createServer((req, res) => {
    const bearer = /^Bearer \S+$/.test(req.headers.authorization ?? '');
    res.writeHead(bearer ? 200 : 401, { 'content-type': 'application/json' });
    res.end(bearer ? '{"orders":[]}' : '{"error":"invalid_token"}');
  });
  const shop = http.createServer((req, res) => res.end('shop'));
  servers.push(api, shop);
  await listen(api, API_PORT);
  await listen(shop, SHOP_PORT);
  const config = writeWorkerdConfig(path.join(dir, 'edge'), {
    listen: `127.0.0.1:${EDGE_PORT}`,
    vars: {
      ISSUER: backend.url, CLIENT_ID: 'latchkey-edge', CLIENT_SECRET: edgeSecret, REDIRECT_URI: `${EDGE}/auth/callback`,
      SCOPE: 'openid profile email offline_access', LOGIN_API: 'allauth', SHOP_ORIGIN: `http://localhost:${SHOP_PORT}`,
      API_ORIGINS: `http://localhost:${API_PORT}`, LATCHKEY_SESSION_SECRET: randomBytes(32).toString('base64url'),
    },
    routes: [BACKEND_PORT, API_PORT, SHOP_PORT].map((port) => ({ host: `localhost:${port}`, address: `localhost:${port}` })),
  });
  const lines = [];
  workerd = spawn(path.join(ROOT, 'node_modules/.bin/workerd'), ['serve', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  collectLines(workerd, lines);
  for (let ready = false; !ready; await sleep(100)) ready = await fetch(`${EDGE}/`).then((r) => r.ok, () => false);
  const before = memory(workerd.pid);

  const started = Date.now();
  const signIn = limiter(CONCURRENCY);
  const failures = [];
  process.on('exit', () => { if (failures.length) console.log(backend.output.filter((l) => /Error|locked|Traceback/.test(l)).slice(0, 5).join('')); });
  await Promise.all(Array.from({ length: SESSIONS }, () => run(signIn).catch((error) => failures.push(error.message))));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  await sleep(500); // the last log lines
  const after = memory(workerd.pid);
  const passed = report(lines, failures, started);
  console.log(`workerd memory: ${(before.rss / 1024).toFixed(0)} MiB before, ${(after.rss / 1024).toFixed(0)} MiB after, peak ${(after.peak / 1024).toFixed(0)} MiB (VmRSS, VmHWM)`);
  console.log(`run time: ${seconds} s on ${os.cpus().length} cores`);
  const size = spawnSync('node', [path.join(ROOT, 'scripts/size.mjs')], { encoding: 'utf8' }).stdout;
  console.log(`\n${size.slice(size.indexOf('latchkey edge'))}`);
  if (!passed) process.exitCode = 1;
} finally {
  workerd?.kill();
  for (const server of servers) server.close();
  await backend?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

// The demo storefront's server: serves www/ and the latchkey package the way a shop
// would (from node_modules/latchkey), under a strict Content-Security-Policy with a
// fresh nonce per page. Its widget talks to the backend itself (direct mode), or to
// latchkey edge's routes on the shop's own origin (edge mode, `--edge /auth`, when
// the edge serves the shop). Usage:
//   node www/server.mjs [--port 8080] [--backend URL | --edge /auth --origin URL]
//                       [--login-api allauth|better-auth]
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(WWW);
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.md': 'text/markdown; charset=utf-8',
};
// Pages of the single-page shop: the redirect URI and the provider's login URL too.
const PAGES = new Set(['/', '/callback', '/login']);
/** Static pages of the shop. */
const STATIC_PAGES = { '/terms': 'terms.html' };
const PACKAGE_PREFIX = '/node_modules/latchkey/';

function policy(nonce, backend, apis) {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    "style-src 'self'",
    "img-src 'self' data:",
    // In edge mode the page talks to its own origin only.
    `connect-src 'self' ${[backend, ...apis].filter(Boolean).join(' ')}`.trim(),
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    // The "continue with" buttons post a form to the backend, which redirects on.
    `form-action 'self' ${backend ?? ''}`.trim(),
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

/**
 * Whether a path is in the npm package's "files" list (a file, or a folder ending in
 * `/`), as an installed copy would have it.
 */
async function packageFiles() {
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
  const listed = (file) => manifest.files.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
  return { has: (file) => !file.split('/').includes('..') && listed(file) };
}

/** The widget's attributes that say where it signs in. In edge mode the shop's API
 * requests go through the edge, so the page names no API in its policy. */
function connection(backend, edge, origin, apis) {
  if (edge) return `edge="${edge}"${apis.length ? ` api-origins="${apis.join(' ')}"` : ''}`;
  return `backend="${backend}" client-id="latchkey-demo" redirect-uri="${origin}/callback"
      providers='[{"id": "dummy", "name": "Demo ID"}]'`;
}

/**
 * `backend` (direct mode) or `edge` (edge mode: the edge's path, and the shop's
 * `origin` is the edge's); `page`: another HTML template for the shop's pages (tests
 * use their own); `apis`: origins of the shop's APIs that pages may call;
 * `loginApi`: the widget's `login-api` on the demo page (`allauth` or
 * `better-auth`); `tls`: `{ key, cert }` PEM files to serve https (a shop on a real
 * host name).
 */
export async function createDemoServer({ backend, edge, origin, page: pageFile = path.join(WWW, 'index.html'),
  apis = [], loginApi = 'allauth', tls }) {
  const template = await readFile(pageFile, 'utf8');
  const shipped = await packageFiles();
  const options = tls ? { key: await readFile(tls.key), cert: await readFile(tls.cert) } : {};
  return (tls ? https : http).createServer(options, async (req, res) => {
    const { pathname } = new URL(req.url, origin);
    const headers = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin' };
    try {
      if (PAGES.has(pathname)) {
        const nonce = randomBytes(16).toString('base64');
        // The preload hints name the stylesheet's hash, as the widget asks for it.
        const hashes = JSON.parse(await readFile(path.join(ROOT, 'pkg/integrity.json'), 'utf8'));
        const page = template
          .replace(/\{\{sha384 ([^}]+)\}\}/g, (_, file) => hashes[file])
          .replaceAll('{{nonce}}', nonce)
          .replaceAll('{{backend}}', backend)
          .replaceAll('{{origin}}', origin)
          .replaceAll('{{connection}}', connection(backend, edge, origin, apis))
          .replaceAll('{{loginApi}}', loginApi)
          .replaceAll('{{apis}}', JSON.stringify(apis));
        res.writeHead(200, { ...headers, 'content-type': TYPES['.html'], 'cache-control': 'no-store',
          'content-security-policy': edge ? policy(nonce, null, []) : policy(nonce, backend, apis) });
        res.end(page);
        return;
      }
      let file;
      if (STATIC_PAGES[pathname]) {
        file = path.join(WWW, STATIC_PAGES[pathname]);
      } else if (pathname.startsWith(PACKAGE_PREFIX)) {
        const relative = pathname.slice(PACKAGE_PREFIX.length);
        if (!shipped.has(relative)) throw Object.assign(new Error('not in package'), { code: 'ENOENT' });
        file = path.join(ROOT, relative);
      } else if (pathname.startsWith('/assets/')) {
        file = path.join(WWW, path.normalize(pathname).replace(/^(\.\.[/\\])+/, ''));
      } else {
        throw Object.assign(new Error('not found'), { code: 'ENOENT' });
      }
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch (error) {
      res.writeHead(error.code === 'ENOENT' || error.code === 'EISDIR' ? 404 : 500, headers);
      res.end();
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const port = Number(arg('port', process.env.DEMO_PORT ?? 8080));
  const backend = arg('backend', process.env.LATCHKEY_BACKEND ?? 'http://localhost:9000');
  const edge = arg('edge');
  const loginApi = arg('login-api', process.env.LATCHKEY_LOGIN_API ?? 'allauth');
  const origin = arg('origin', `http://localhost:${port}`);
  const server = await createDemoServer({ backend, edge, origin, loginApi });
  const mode = edge ? `edge mode, behind ${origin}` : `backend ${backend}`;
  server.listen(port, 'localhost', () => console.log(`[demo] shop at http://localhost:${port} (${mode}, ${loginApi})`));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
}

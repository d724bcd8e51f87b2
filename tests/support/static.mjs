// A static file server for a built shop or a CDN: HTML pages get the README's strict
// Content-Security-Policy and a fresh nonce on every <script> (as a shop's server
// would add it); `cors` answers cross-origin requests like a public CDN.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
};

/** The README's policy; `cdn`: the origin the package's files come from, if not this one. */
export function readmePolicy(nonce, { backend, cdn = '' }) {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src 'self' ${cdn}`.trim(),
    "img-src 'self' data:",
    `connect-src 'self' ${backend} ${cdn}`.trim(),
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    `form-action 'self' ${backend}`,
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

/**
 * Serves `root`. `page(html, request)` may rewrite an HTML page before the nonce goes
 * in; `rewrite(relativePath, bytes)` may change any other file (to tamper with it).
 */
export function serveDirectory(root, { policy, cors = false, page = (html) => html, rewrite = (_, bytes) => bytes } = {}) {
  return http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    const relative = path.normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '').replace(/^[/\\]+/, '');
    const file = path.join(root, relative.endsWith('/') || relative === '' ? path.join(relative, 'index.html') : relative);
    const headers = { 'x-content-type-options': 'nosniff' };
    if (cors) headers['access-control-allow-origin'] = '*';
    try {
      let body = await readFile(file);
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      if (type.startsWith('text/html')) {
        const nonce = randomBytes(16).toString('base64');
        body = page(String(body), req).replaceAll('<script', `<script nonce="${nonce}"`);
        if (policy) headers['content-security-policy'] = policy(nonce);
        headers['cache-control'] = 'no-store';
      } else {
        body = rewrite(relative, body);
      }
      res.writeHead(200, { ...headers, 'content-type': type }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
}

/** Listens on `port` at localhost; resolves with the origin. */
export function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, 'localhost', () => resolve(`http://localhost:${port}`));
  });
}

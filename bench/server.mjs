// The benchmark's web server: one page per login widget, every file and stand-in
// answer sent brotli-compressed (quality 11, compressed once and kept in memory, so
// no load pays for compression), plus small local stand-ins for the vendor calls a
// widget makes before it draws its form (bench/stubs.mjs).
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

import { answerStub } from './stubs.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');

/** URL prefix → folder. latchkey is served from the package's own files, as a shop would. */
const MOUNTS = [
  ['/latchkey/pkg/', path.join(ROOT, 'pkg')],
  ['/latchkey/js/', path.join(ROOT, 'js')],
  ['/latchkey/style/', path.join(ROOT, 'style')],
  ['/node_modules/', path.join(BENCH, 'node_modules')],
  ['/build/', path.join(BENCH, '.build')],
  ['/', path.join(BENCH, 'pages')],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf',
};

export function brotli(data) {
  return brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
}

const compressed = new Map(); // file → { mtimeMs, body }

/** A page's `{{sha384 FILE}}`: the package file's hash, from pkg/integrity.json. */
async function filled(file, data) {
  if (!file.endsWith('.html')) return data;
  const hashes = JSON.parse(await readFile(path.join(ROOT, 'pkg/integrity.json'), 'utf8'));
  return Buffer.from(String(data).replace(/\{\{sha384 ([^}]+)\}\}/g, (_, name) => hashes[name]));
}

async function compressedFile(file) {
  const { mtimeMs } = await stat(file);
  const cached = compressed.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.body;
  const body = brotli(await filled(file, await readFile(file)));
  compressed.set(file, { mtimeMs, body });
  return body;
}

function resolveFile(urlPath) {
  for (const [prefix, dir] of MOUNTS) {
    if (!urlPath.startsWith(prefix)) continue;
    const file = path.join(dir, decodeURIComponent(urlPath.slice(prefix.length)) || 'index.html');
    return file.startsWith(dir + path.sep) ? file : null;
  }
  return null;
}

function send(response, status, type, body, extra = {}) {
  response.writeHead(status, {
    'content-type': type, 'content-encoding': 'br', 'content-length': body.length,
    'cache-control': 'no-store', vary: 'accept-encoding', ...extra,
  });
  response.end(body);
}

async function handle(request, response, origin) {
  const url = new URL(request.url, origin);
  const body = await new Promise((resolve) => {
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
  const stub = answerStub({ method: request.method, url, body, origin });
  if (stub) {
    const data = Buffer.from(typeof stub.body === 'string' ? stub.body : JSON.stringify(stub.body));
    send(response, stub.status ?? 200, stub.type ?? 'application/json', brotli(data), stub.headers);
    return;
  }
  const file = resolveFile(url.pathname);
  if (!file) return send(response, 404, 'text/plain', brotli(Buffer.from('not found')));
  try {
    send(response, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', await compressedFile(file));
  } catch {
    send(response, 404, 'text/plain', brotli(Buffer.from('not found')));
  }
}

/** Starts the server on `port` (localhost); resolves to { url, close }. */
export async function startServer(port) {
  const origin = `http://localhost:${port}`;
  const server = http.createServer((request, response) => {
    handle(request, response, origin).catch((error) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, 'localhost', resolve));
  return { url: origin, close: () => new Promise((resolve) => server.close(resolve)) };
}

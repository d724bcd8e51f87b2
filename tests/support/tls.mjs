// Test host names over TLS: a throwaway CA and one certificate for every *.test name
// a test uses (openssl CLI), and a fetch for node that resolves *.test to this
// machine and trusts that CA, as Chromium does with --host-resolver-rules.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

/** Writes ca.pem, key.pem and cert.pem (for `hosts`) into `dir`; returns their paths. */
export function makeCertificates(dir, hosts) {
  fs.mkdirSync(dir, { recursive: true });
  const file = (name) => path.join(dir, name);
  const openssl = (...args) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2',
    '-subj', '/CN=latchkey test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  openssl('req', ...ec, '-keyout', file('key.pem'), '-out', file('leaf.csr'), '-subj', '/CN=latchkey test');
  fs.writeFileSync(file('leaf.ext'), [
    'basicConstraints=CA:FALSE', 'extendedKeyUsage=serverAuth',
    `subjectAltName=${hosts.map((host) => `DNS:${host}`).join(',')}`,
  ].join('\n'));
  openssl('x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-out', file('cert.pem'), '-days', '2', '-extfile', file('leaf.ext'));
  return { ca: file('ca.pem'), key: file('key.pem'), cert: file('cert.pem') };
}

const toLoopback = (host, options, callback) => (options.all
  ? callback(null, [{ address: '127.0.0.1', family: 4 }])
  : callback(null, '127.0.0.1', 4));

/** A small `fetch` for https://*.test URLs (any other URL goes to the global one). */
export function testFetch(caFile) {
  const ca = fs.readFileSync(caFile);
  return (url, init = {}) => {
    const target = new URL(url);
    if (!target.hostname.endsWith('.test')) return fetch(url, init);
    return new Promise((resolve, reject) => {
      const request = https.request(target, {
        method: init.method ?? 'GET', headers: Object.fromEntries(new Headers(init.headers)), ca, lookup: toLoopback,
      }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve(new Response(response.statusCode === 204 ? null : Buffer.concat(chunks), {
          status: response.statusCode, headers: Object.entries(response.headers).flatMap(([name, value]) => [value].flat().map((v) => [name, v])),
        })));
      });
      request.on('error', reject);
      request.end(init.body === undefined ? undefined : String(init.body));
    });
  };
}

/** An https front on `port` for a plain-http server on localhost:`target` (the
 * reference backend): the Host header passes through, X-Forwarded-Proto says https. */
export function tlsFront({ key, cert, port, target }) {
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (request, response) => {
    const forwarded = http.request({
      host: 'localhost', port: target, method: request.method, path: request.url,
      headers: { ...request.headers, 'x-forwarded-proto': 'https' },
    }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => { response.writeHead(502); response.end(); });
    request.pipe(forwarded);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

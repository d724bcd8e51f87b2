// The shop as the cross-engine tests see it: the demo shop's server (www/server.mjs)
// behind a small front on the shop's port. The front puts the problem probe into every
// page, with the page's own CSP nonce and before the shop's scripts, so that console
// errors, uncaught exceptions, unhandled rejections and CSP violations reach the test
// in every engine, also from pages the app navigated away from. A page asked for with
// `?audit` is served without its CSP, for axe (as Playwright's bypassCSP does).
import http from 'node:http';

import { createDemoServer } from '../../www/server.mjs';
import { probe } from './engines/in-page.mjs';

const PROBE = `(${probe})();`;

/** Problems reported by the probes of every front, in arrival order. */
export class ProblemLog {
  entries = [];

  add(entry) { this.entries.push(entry); }

  /** A mark for `since`. */
  now() { return this.entries.length; }

  /** `{ kind, message, page }` of each report after `mark`. */
  since(mark) { return this.entries.slice(mark); }
}

function withProbe(html, csp) {
  const nonce = csp?.match(/'nonce-([^']+)'/)?.[1];
  const script = `<script${nonce ? ` nonce="${nonce}"` : ''}>${PROBE}</script>`;
  return html.replace(/<head[^>]*>/i, (head) => `${head}${script}`);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts the demo shop (`createDemoServer` options) on `upstreamPort` and its front
 * on `port`, both on localhost; `log` receives the probes' reports.
 */
export async function startFront({ port, upstreamPort, log, ...shop }) {
  const origin = `http://localhost:${port}`;
  const upstream = await createDemoServer({ ...shop, origin });
  await new Promise((resolve) => upstream.listen(upstreamPort, 'localhost', resolve));

  const front = http.createServer(async (req, res) => {
    try {
      if (req.method === 'POST' && req.url === '/__problems') {
        log.add(JSON.parse(await readBody(req)));
        res.writeHead(204);
        res.end();
        return;
      }
      const url = new URL(req.url, origin);
      const answer = await fetch(`http://localhost:${upstreamPort}${url.pathname}${url.search}`,
        { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } });
      const headers = Object.fromEntries(answer.headers);
      delete headers['content-length'];
      delete headers['content-encoding'];
      delete headers['transfer-encoding'];
      let body = Buffer.from(await answer.arrayBuffer());
      if ((headers['content-type'] ?? '').startsWith('text/html')) {
        body = Buffer.from(withProbe(body.toString('utf8'), headers['content-security-policy']));
        if (url.searchParams.has('audit')) delete headers['content-security-policy'];
      }
      res.writeHead(answer.status, headers);
      res.end(body);
    } catch (error) {
      res.writeHead(502);
      res.end(String(error));
    }
  });
  await new Promise((resolve) => front.listen(port, 'localhost', resolve));
  return {
    url: origin,
    async close() {
      await Promise.all([front, upstream].map((server) => new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      })));
    },
  };
}

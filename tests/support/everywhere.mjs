// Runs the cross-engine journeys (tests/journeys/) in one engine, as one test file per
// engine (which `node --test --test-concurrency` may run side by side). Each file has its own
// reference backends and shop fronts: the demo shop, and the session test page
// (tests/fixtures/session.html) for the createClient journey, each with its own backend
// because the backend trusts one front origin.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { JOURNEYS } from '../journeys/index.mjs';
import { startBackend } from './backend.mjs';
import { launchEngine } from './engines.mjs';
import { ProblemLog, startFront } from './front.mjs';
import { SESSION_PAGE } from './session.mjs';
import { stringsFor } from './strings.mjs';

/** The widget's own log of an error a journey provokes on purpose (`errors`: its codes). */
const provoked = (problem, codes) => problem.kind === 'console error'
  && codes.some((code) => problem.message.startsWith('latchkey: ') && problem.message.endsWith(`(${code})`));

/**
 * Registers every journey for `engine`. Ports: `backendPort` and the next one for
 * the backends; `shopPort` to `shopPort + 3` for the two fronts and their shops;
 * `shopPort + 4` to `shopPort + 7` for the engine's drivers, where it needs ports.
 */
export function journeysIn(engineName, { backendPort, shopPort }) {
  const env = { engine: null, t: null, shop: null, sessionShop: null, backend: null };
  const log = new ProblemLog();
  const servers = [];
  before(async () => {
    const started = Date.now();
    const [backend, sessionBackend, t] = await Promise.all([
      startBackend({ port: backendPort, frontend: `http://localhost:${shopPort}` }),
      startBackend({ port: backendPort + 1, frontend: `http://localhost:${shopPort + 2}` }),
      stringsFor('en'),
    ]);
    servers.push(backend, sessionBackend);
    const shop = await startFront({ port: shopPort, upstreamPort: shopPort + 1, log, backend: backend.url });
    servers.push(shop);
    const sessionShop = await startFront({ port: shopPort + 2, upstreamPort: shopPort + 3, log,
      backend: sessionBackend.url, page: SESSION_PAGE });
    servers.push(sessionShop);
    const engine = await launchEngine(engineName, { log, ports: [4, 5, 6, 7].map((i) => shopPort + i) });
    Object.assign(env, { engine, t, shop: shop.url, sessionShop: sessionShop.url, backend: backend.url });
    console.log(`${engine.version}: started with its backends and shops in ${Date.now() - started} ms`);
  });
  after(async () => {
    await env.engine?.close();
    for (const server of servers.reverse()) await (server.close ?? server.stop).call(server);
  });

  for (const journey of JOURNEYS) {
    test(`${engineName}: ${journey.title}`, async () => {
      const profiles = [];
      const context = { ...env, openProfile: async (options) => {
        const profile = await env.engine.newProfile(options);
        profiles.push(profile);
        return profile;
      } };
      try {
        await journey.run(context);
        for (const profile of profiles) {
          const problems = (await profile.problems()).filter((p) => !provoked(p, journey.errors ?? []));
          assert.deepEqual(problems.map((p) => `${p.kind}: ${p.message} (on ${p.page})`), [], 'no problem in any page');
        }
      } finally {
        for (const profile of profiles) await profile.close();
      }
    });
  }
}

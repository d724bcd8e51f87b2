// Runs the cross-engine journeys (tests/journeys/) in one engine, as one test file per
// engine, against every reference backend (tests/support/backends.mjs), one after
// the other. For each backend the file starts its own servers: the backend and the
// demo shop with that backend's `login-api`, and a second backend for the session
// test page (tests/fixtures/session.html; a backend trusts one front origin); a
// third with its rate limits on, when a journey asks for it. What a backend or the
// engine lacks is registered as skipped with the reason (tests/support/matrix.mjs),
// and the file ends by printing its journey × backend table.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { JOURNEYS } from '../journeys/index.mjs';
import { BACKENDS } from './backends.mjs';
import { launchEngine } from './engines.mjs';
import { ProblemLog, startFront } from './front.mjs';
import { skipReason } from './matrix.mjs';
import { SESSION_PAGE } from './session.mjs';
import { stringsFor } from './strings.mjs';

/** The widget's own log of an error a journey provokes on purpose (`errors`: its codes),
 * or the browser's own report of it (`browserReports`: patterns). */
const provoked = (problem, { errors = [], browserReports = [] }) => (problem.kind === 'console error'
  && errors.some((code) => problem.message.startsWith('latchkey: ') && problem.message.endsWith(`(${code})`)))
  || browserReports.some((report) => report.test(problem.message));

/** Ports each backend takes: its three backends, and six shop ports for their fronts. */
const BACKEND_PORTS = 3;
const SHOP_PORTS = 6;

/** A started backend as journeys see it: its descriptor with its URL, and its API and mailbox bound to it. */
const running = (descriptor, server) => ({
  ...descriptor,
  url: server.url,
  api: (page) => descriptor.api(page, server.url),
  mailboxCode: (email) => descriptor.mailboxCode(server.url, email),
});

/**
 * The servers of one backend: from `backendPort` (three ports) and `shopPort` (six:
 * a front and the demo shop behind it, for the shop, the session page and the shop
 * of the rate-limited backend).
 */
function serversFor(descriptor, { backendPort, shopPort, log }) {
  const started = [];
  const env = {};
  const front = async (port, backend, page) => {
    const shop = await startFront({ port, upstreamPort: port + 1, log, backend: backend.url, page,
      loginApi: descriptor.loginApi });
    started.push(shop);
    return shop.url;
  };
  const backend = async (port, frontend, options = {}) => {
    const server = await descriptor.start({ port, frontend, ...options });
    started.push(server);
    return server;
  };
  let limited;
  return {
    env,
    async start() {
      const [main, session] = await Promise.all([
        backend(backendPort, `http://localhost:${shopPort}`),
        backend(backendPort + 1, `http://localhost:${shopPort + 2}`),
      ]);
      Object.assign(env, {
        backend: running(descriptor, main),
        shop: await front(shopPort, main),
        sessionShop: await front(shopPort + 2, session, SESSION_PAGE),
        /** The shop of a backend of the same kind with its rate limits on; started once. */
        rateLimitedShop: () => {
          limited ??= backend(backendPort + 2, `http://localhost:${shopPort + 4}`, { env: descriptor.rateLimits.env })
            .then((server) => front(shopPort + 4, server));
          return limited;
        },
      });
    },
    async stop() {
      await limited?.catch(() => {});
      for (const server of started.reverse()) await (server.close ?? server.stop).call(server);
    },
  };
}

/** Runs `journey` in `env` with fresh profiles; every problem in their pages fails it. */
async function runJourney(journey, env) {
  const profiles = [];
  const context = { ...env, openProfile: async (options) => {
    const profile = await env.engine.newProfile(options);
    profiles.push(profile);
    return profile;
  } };
  try {
    await journey.run(context);
    for (const profile of profiles) {
      const problems = (await profile.problems()).filter((p) => !provoked(p, journey));
      assert.deepEqual(problems.map((p) => `${p.kind}: ${p.message} (on ${p.page})`), [], 'no problem in any page');
    }
  } finally {
    for (const profile of profiles) await profile.close();
  }
}

/** The file's journey × backend table: passed, failed or why skipped. */
function printTable(engineName, outcomes) {
  const width = Math.max(...JOURNEYS.map((j) => j.title.length));
  const lines = JOURNEYS.map((journey) => `${journey.title.padEnd(width)}  ${BACKENDS
    .map((backend) => `${backend.name}: ${outcomes.get(`${backend.name} ${journey.title}`) ?? 'not run'}`).join('  |  ')}`);
  console.log(`${engineName}: the journeys against each backend\n${lines.join('\n')}`);
}

/**
 * Registers every journey for `engine` and every backend. Ports: from `backendPort`
 * three per backend, from `shopPort` six per backend, then four for the engine's
 * drivers, where it needs ports (WebKit).
 */
export function journeysIn(engineName, { backendPort, shopPort }) {
  const engine = { engine: null, t: null };
  const log = new ProblemLog();
  const outcomes = new Map();
  before(async () => {
    const started = Date.now();
    const driverPorts = [0, 1, 2, 3].map((i) => shopPort + SHOP_PORTS * BACKENDS.length + i);
    const [launched, t] = await Promise.all([launchEngine(engineName, { log, ports: driverPorts }), stringsFor('en')]);
    Object.assign(engine, { engine: launched, t });
    console.log(`${launched.version}: started in ${Date.now() - started} ms`);
  });
  after(async () => {
    await engine.engine?.close();
    printTable(engineName, outcomes);
  });

  BACKENDS.forEach((descriptor, i) => {
    describe(`${engineName}, ${descriptor.name}`, () => {
      const servers = serversFor(descriptor, { log,
        backendPort: backendPort + BACKEND_PORTS * i, shopPort: shopPort + SHOP_PORTS * i });
      before(async () => {
        const started = Date.now();
        await servers.start();
        console.log(`${descriptor.name}: started with its shops in ${Date.now() - started} ms`);
      });
      after(() => servers.stop());

      for (const journey of JOURNEYS) {
        const key = `${descriptor.name} ${journey.title}`;
        const skip = skipReason(engineName, descriptor, journey);
        if (skip) outcomes.set(key, `skipped (${skip})`);
        test(`${engineName}, ${descriptor.name}: ${journey.title}`, { skip }, async () => {
          outcomes.set(key, 'FAILED');
          await runJourney(journey, { ...engine, ...servers.env });
          outcomes.set(key, 'passed');
        });
      }
    });
  });
}

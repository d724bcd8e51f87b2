// For one test file: the reference backend, the demo shop in front of it and
// Chromium, started before its tests and stopped after, on the file's own ports (so
// test files and a running `npm start` stay out of each other's way).
import { after, before } from 'node:test';

import { createDemoServer } from '../../www/server.mjs';
import { backendFor } from './backends.mjs';
import { launch } from './browser.mjs';

/**
 * Returns `{ shop, backend, browser, loginApi }`: the shop's URL; the others once
 * started. `loginApi` picks the reference backend (its descriptor in backends.mjs)
 * and the demo page's `login-api` (`allauth`, the default, or `better-auth`). `page`
 * and `apis` go to the shop's server, `backendEnv` to the backend.
 */
export function withDemoShop({ backendPort, shopPort, page, apis, backendEnv, loginApi = 'allauth' }) {
  const demo = { shop: `http://localhost:${shopPort}`, backend: null, browser: null, loginApi };
  const descriptor = backendFor(loginApi);
  let server;
  before(async () => {
    demo.backend = await descriptor.start({ port: backendPort, frontend: demo.shop, env: backendEnv });
    server = await createDemoServer({ backend: demo.backend.url, origin: demo.shop, page, apis,
      loginApi: descriptor.loginApi });
    await new Promise((resolve) => server.listen(shopPort, 'localhost', resolve));
    demo.browser = await launch();
  });
  after(async () => {
    await demo.browser?.close();
    server?.close();
    await demo.backend?.stop();
  });
  return demo;
}

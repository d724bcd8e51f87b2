// The bundler matrix: the packed tarball installed into small shops built with Vite,
// webpack 5, esbuild and React 19 + Vite (tests/bundlers/, bundlers pinned in its
// package.json and installed by scripts/setup.sh), and into a page without a bundler
// that loads it from a CDN-like origin through an import map with SRI hashes. Each
// page runs under the README's Content-Security-Policy, against the reference backend
// (the form asks it for passkey options), until the login form renders, with no
// console error and no CSP violation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { startBackend } from './support/backend.mjs';
import { launch, openPage } from './support/browser.mjs';
import { listen, readmePolicy, serveDirectory } from './support/static.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MATRIX = path.join(ROOT, 'tests/bundlers');
const SHOP_PORT = 8600;
const CDN_PORT = 8601;
const BACKEND_PORT = 9550;
const BACKEND = `http://localhost:${BACKEND_PORT}`;
/** Which folder each shop serves: the bundler's output, or the project with it. */
const SERVED = { vite: 'dist', react: 'dist', webpack: '.', esbuild: '.' };

let work;
let tarball;
let browser;
let backend;
const timings = {};

const run = (command, args, cwd) => execFileSync(command, args,
  { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });

async function installAndBuild(name) {
  const started = Date.now();
  const project = path.join(work, name);
  await cp(path.join(MATRIX, name), project, { recursive: true });
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], project);
  if (name !== 'no-bundler') run('npm', ['run', '--silent', 'build'], project);
  timings[name] = Date.now() - started;
  return project;
}

/** The package as a CDN serves it, plus copies with one file changed, to see SRI refuse them. */
async function cdnCopies(project) {
  const installed = path.join(project, 'node_modules/latchkey');
  const { version } = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8'));
  const root = path.join(work, 'cdn');
  const good = `latchkey@${version}`;
  const tamper = {
    'tampered-wasm': 'pkg/latchkey_bg.wasm', 'tampered-first': 'pkg/first/latchkey_bg.wasm',
    'tampered-css': 'style/latchkey.css', 'tampered-js': 'js/options.js', 'tampered-table': 'pkg/i18n/fr.json',
  };
  for (const folder of [good, ...Object.keys(tamper)]) await cp(installed, path.join(root, folder), { recursive: true });
  for (const [folder, file] of Object.entries(tamper)) {
    const bytes = await readFile(path.join(root, folder, file));
    await writeFile(path.join(root, folder, file), Buffer.concat([bytes, Buffer.from(file.endsWith('.wasm') ? [0] : '\n/**/\n')]));
  }
  const hashes = JSON.parse(await readFile(path.join(installed, 'pkg/integrity.json'), 'utf8'));
  return { root, good, hashes };
}

/** Serves `root` on `port` until the test `t` ends. */
async function serve(t, root, port, options) {
  const server = serveDirectory(root, options);
  t.after(() => {
    server.close();
    server.closeAllConnections();
  });
  return listen(server, port);
}

before(async () => {
  const starting = startBackend({ port: BACKEND_PORT, frontend: `http://localhost:${SHOP_PORT}` });
  starting.catch(() => {});
  work = await mkdtemp(path.join(MATRIX, '.work-'));
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT));
  tarball = path.join(work, info.filename);
  browser = await launch();
  backend = await starting;
});

after(async () => {
  await browser?.close();
  await backend?.stop();
  if (work) await rm(work, { recursive: true, force: true });
  console.log(`install + build times (ms): ${JSON.stringify(timings)}`);
});

/** Opens `url` and waits for the widget's login form; returns what the page reported. */
async function loginFormRenders(url, host = 'latchkey-widget') {
  const { page, problems, consoleErrors, context } = await openPage(browser);
  await page.goto(url);
  const widget = page.locator(host);
  await widget.getByLabel('Email', { exact: true }).waitFor({ timeout: 15_000 });
  // The form drawn first, then the widget's own once it has taken over.
  await widget.evaluate((element) => element.ready);
  assert.equal(await widget.getByLabel('Password', { exact: true }).getAttribute('type'), 'password');
  const radius = await widget.locator('.lk-button').first().evaluate((button) => getComputedStyle(button).borderRadius);
  assert.equal(radius, '6px', 'the package stylesheet applies inside the shadow root');
  return { page, widget, problems, consoleErrors, context };
}

for (const name of ['vite', 'webpack', 'esbuild']) {
  test(`${name}: the built shop renders the login form under the README's CSP`, async (t) => {
    const project = await installAndBuild(name);
    const origin = await serve(t, path.join(project, SERVED[name]), SHOP_PORT, {
      policy: (nonce) => readmePolicy(nonce, { backend: BACKEND }),
    });
    const { widget, problems, consoleErrors, context } = await loginFormRenders(`${origin}/`);
    assert.equal(await widget.getByRole('button', { name: 'Sign in', exact: true }).isVisible(), true);
    // Another language's table is part of the build too.
    await widget.evaluate((element) => element.setAttribute('locale', 'fr'));
    await widget.getByRole('heading', { name: 'Se connecter' }).waitFor();
    assert.deepEqual([...problems, ...consoleErrors], []);
    await context.close();
  });
}

test('react 19 + vite: object props arrive as properties, onlatchkey:error listens from JSX', async (t) => {
  const project = await installAndBuild('react');
  const origin = await serve(t, path.join(project, SERVED.react), SHOP_PORT, {
    policy: (nonce) => readmePolicy(nonce, { backend: BACKEND }),
  });
  const { page, widget, problems, consoleErrors, context } = await loginFormRenders(`${origin}/`);
  await widget.getByRole('button', { name: 'Log in', exact: true }).waitFor();
  await widget.getByRole('button', { name: /Google/ }).waitFor();
  assert.equal(await page.locator('latchkey-widget').getAttribute('strings'), null, 'no "[object Object]" attribute');
  // Submitting an empty form is refused before anything is sent: an error event.
  await widget.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.locator('#last-error').filter({ hasText: 'invalid_input' }).waitFor();
  assert.deepEqual([...problems, ...consoleErrors], []);
  await context.close();
});

test('no bundler: an import map with SRI loads the package from a CDN; a changed file is refused', async (t) => {
  const project = await installAndBuild('no-bundler');
  const { root, good, hashes } = await cdnCopies(project);
  const cdnOrigin = await serve(t, root, CDN_PORT, { cors: true });
  // ?js=folder: where the modules come from; ?assets=folder: the wasm and stylesheet
  // (default: next to the modules, as in the README).
  const origin = await serve(t, project, SHOP_PORT, {
    policy: (nonce) => readmePolicy(nonce, { backend: BACKEND, cdn: cdnOrigin }),
    page: (html, req) => {
      const query = new URL(req.url, 'http://localhost').searchParams;
      const base = `${cdnOrigin}/${query.get('js') ?? good}`;
      return html.replace(/\{\{([^}]+)\}\}/g, (_, key) => {
        if (key === 'cdn') return base;
        if (key === 'assets') return query.has('assets') ? `assets="${cdnOrigin}/${query.get('assets')}/"` : '';
        return hashes[key];
      });
    },
  });

  const { page, problems, consoleErrors, context } = await loginFormRenders(`${origin}/`);
  const pinned = await page.evaluate(() => document.querySelector('latchkey-widget').shadowRoot.querySelector('link').integrity);
  assert.equal(pinned, hashes['style/latchkey.css'], 'the stylesheet from the CDN is checked');
  assert.deepEqual([...problems, ...consoleErrors], []);
  await context.close();

  for (const [assets, file] of [['tampered-wasm', 'pkg/latchkey_bg.wasm'], ['tampered-css', 'style/latchkey.css']]) {
    const { page: tamperedPage, context: tampered } = await openPage(browser);
    const heard = tamperedPage.waitForEvent('console', (message) => message.text().includes('(load_failed)')).catch(() => null);
    await tamperedPage.goto(`${origin}/?assets=${assets}`);
    // Turning debug on renders again, so this listener hears a failure for certain.
    const outcome = await tamperedPage.evaluate(async () => {
      const element = document.querySelector('latchkey-widget');
      const error = new Promise((resolve) => element.addEventListener('latchkey:error', (e) => resolve(e.detail)));
      element.debug = true;
      return { detail: await error, shown: element.shadowRoot.textContent };
    });
    assert.equal(outcome.detail.code, 'load_failed', assets);
    assert.match(outcome.detail.message, new RegExp(`${cdnOrigin}/${assets}/${file} is not the file latchkey [0-9.]+ was built with \\(sha384-`));
    assert.match(outcome.shown, /could not be loaded/);
    assert.ok(await heard, 'with debug, the error is logged');
    await tampered.close();
  }

  // A changed first build is refused and named; the widget's build sends the form instead.
  const { page: firstPage, context: firstContext } = await openPage(browser);
  const heardFirst = firstPage.waitForEvent('console', (message) => message.text().includes('pkg/first/latchkey_bg.wasm is not the file'));
  await firstPage.goto(`${origin}/?assets=tampered-first`);
  await firstPage.evaluate(() => { document.querySelector('latchkey-widget').debug = true; });
  await heardFirst;
  await firstPage.locator('latchkey-widget').getByRole('button', { name: 'Create an account' }).click();
  await firstPage.locator('latchkey-widget').getByRole('heading', { name: 'Create your account' }).waitFor();
  await firstContext.close();

  // A changed language table is refused too: the widget stays in English and says so.
  const { page: french, context: frenchContext } = await openPage(browser);
  await french.goto(`${origin}/?assets=tampered-table`);
  const table = await french.evaluate(async () => {
    const element = document.querySelector('latchkey-widget');
    await element.ready;
    const error = new Promise((resolve) => element.addEventListener('latchkey:error', (e) => resolve(e.detail)));
    element.locale = 'fr';
    const detail = await error;
    await element.ready;
    return { detail, title: element.shadowRoot.querySelector('h2').textContent };
  });
  assert.equal(table.detail.code, 'load_failed');
  assert.match(table.detail.message, new RegExp(`${cdnOrigin}/tampered-table/pkg/i18n/fr.json is not the file latchkey`));
  assert.equal(table.title, 'Sign in');
  await frenchContext.close();

  const { page: changed, consoleErrors: refused, context: tamperedJs } = await openPage(browser);
  await changed.goto(`${origin}/?js=tampered-js`);
  await changed.waitForFunction(() => document.readyState === 'complete');
  assert.equal(await changed.evaluate(() => customElements.get('latchkey-widget')), undefined, 'the changed module did not run');
  assert.ok(refused.some((text) => /integrity/i.test(text)), refused.join('\n'));
  await tamperedJs.close();
});

// The npm package as a shop gets it: `npm pack`, install the tarball into a scratch
// site served under the README's Content-Security-Policy, and use the widget from
// node_modules the ways the README shows: the element (options as attributes or
// properties), mount(), createClient().
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { launch, openPage } from './support/browser.mjs';
import { listen, readmePolicy, serveDirectory } from './support/static.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOP_PORT = 8610;
const BACKEND = 'http://localhost:9551'; // nothing listens: these tests stop before a sign-in
const REPOSITORY = 'https://github.com/latchkey/latchkey';
/** Every language table but English, which is in the wasm. */
const LANGUAGE_FILES = ['ar', 'de', 'es', 'fr', 'he', 'ja', 'pt-BR'].map((tag) => `pkg/i18n/${tag}.json`);
let scratch;
let installed;
let packed;
let server;
let origin;
let browser;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>scratch shop</title>
<link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "latchkey": "/node_modules/latchkey/js/index.js" } }</script>
<script type="module">
  import { createClient, mount } from 'latchkey';
  window.latchkey = { createClient, mount };
  window.mounted = mount(document.getElementById('by-function'), {
    backend: '${BACKEND}', loginApi: 'allauth', clientId: 'latchkey-demo', redirectUri: location.origin + '/callback',
  });
</script></head><body>
<div id="by-function"></div>
<latchkey-widget id="by-element" backend="${BACKEND}" login-api="allauth" client-id="latchkey-demo"
  redirect-uri="http://localhost/callback"></latchkey-widget>
</body></html>`;

/** A page where options are set as properties before latchkey defines the element. */
const UPGRADE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>upgrade</title>
<link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "latchkey": "/node_modules/latchkey/js/index.js" } }</script>
</head><body>
<latchkey-widget id="early" backend="${BACKEND}" login-api="allauth" redirect-uri="http://localhost/callback"></latchkey-widget>
<script type="module">
  const element = document.getElementById('early');
  element.clientId = 'latchkey-demo';
  element.strings = { submit: 'Log in early' };
  element.providers = [{ id: 'google', name: 'Google' }];
  await import('latchkey');
</script></body></html>`;

before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'latchkey-shop-'));
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8' }));
  packed = info;
  await writeFile(path.join(scratch, 'package.json'), '{ "name": "scratch-shop", "private": true }');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', path.join(scratch, info.filename)], { cwd: scratch, stdio: 'pipe' });
  installed = path.join(scratch, 'node_modules/latchkey');
  await writeFile(path.join(scratch, 'index.html'), PAGE);
  await writeFile(path.join(scratch, 'upgrade.html'), UPGRADE_PAGE);
  server = serveDirectory(scratch, { policy: (nonce) => readmePolicy(nonce, { backend: BACKEND }) });
  origin = await listen(server, SHOP_PORT);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** What the widget itself wrote to the console (not the browser's network messages). */
const ownLogs = (consoleErrors) => consoleErrors.filter((text) => text.startsWith('latchkey:'));

test('the tarball holds what the README and package.json promise, and nothing else', async () => {
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    'LICENSE-APACHE', 'LICENSE-MIT', 'README.md',
    'js/first-form.js', 'js/index.d.ts', 'js/index.js', 'js/languages.js', 'js/options.js', 'js/preact.d.ts',
    'js/react.d.ts', 'js/solid.d.ts',
    'package.json',
    'pkg/first/latchkey.js', 'pkg/first/latchkey_bg.wasm',
    ...LANGUAGE_FILES, 'pkg/i18n/en.js', 'pkg/i18n/index.js',
    'pkg/integrity.js', 'pkg/integrity.json', 'pkg/latchkey.js', 'pkg/latchkey_bg.wasm',
    'pkg/session/latchkey.js', 'pkg/session/latchkey_bg.wasm',
    'style/README.md', 'style/latchkey.css',
  ].sort());
  const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'latchkey');
  assert.equal(manifest.license, 'MIT OR Apache-2.0');
  assert.equal(manifest.repository.url, `git+${REPOSITORY}.git`);
  assert.equal(manifest.homepage, `${REPOSITORY}#readme`);
  assert.equal(manifest.bugs.url, `${REPOSITORY}/issues`);
  assert.ok(manifest.keywords.includes('login'));

  // Every entry point, type file and export target is in the tarball.
  const targets = [manifest.main, manifest.module, manifest.types,
    ...Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)))];
  for (const target of targets) assert.ok(files.includes(path.normalize(target)), `${target} is packed`);

  // Every package file the README names (js/…, pkg/…, style/…; not the edge's
  // edge/pkg/…, which is no part of the package) is in the tarball.
  const readme = await readFile(path.join(installed, 'README.md'), 'utf8');
  const named = new Set([...readme.matchAll(/(?<![\w./-])((?:js|pkg|style)\/[\w.-]+\.(?:json|js|ts|wasm|css|md))(?![\w.])/g)]
    .map((m) => m[1]));
  for (const file of ['style/latchkey.css', 'pkg/latchkey_bg.wasm', 'pkg/integrity.json', 'js/index.js', 'pkg/latchkey.js']) {
    assert.ok(named.has(file), `the README names ${file}`);
  }
  for (const file of named) assert.ok(files.includes(file), `the README names ${file}, which is packed`);

  const mit = await readFile(path.join(installed, 'LICENSE-MIT'), 'utf8');
  assert.match(mit, /^MIT License\n\nCopyright \(c\) the latchkey authors\n/);
  const apache = await readFile(path.join(installed, 'LICENSE-APACHE'), 'utf8');
  assert.match(apache, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(apache, /END OF TERMS AND CONDITIONS/);
});

test('the README works on a registry page: images are absolute URLs of files in the repository', async () => {
  const readme = await readFile(path.join(installed, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 3, 'the gallery images were found');
  const raw = `${REPOSITORY.replace('github.com', 'raw.githubusercontent.com')}/main/`;
  for (const url of images) {
    assert.ok(url.startsWith(raw), `${url} is under ${raw}`);
    assert.ok(existsSync(path.join(ROOT, url.slice(raw.length))), `${url} names a file of this repository`);
  }
  assert.doesNotMatch(readme, /still to come/i);
});

test('pkg/integrity.json holds the sha384 of every packed file the widget loads', async () => {
  const hashes = JSON.parse(await readFile(path.join(installed, 'pkg/integrity.json'), 'utf8'));
  assert.deepEqual(Object.keys(hashes).sort(), [
    'js/first-form.js', 'js/index.js', 'js/languages.js', 'js/options.js',
    'pkg/first/latchkey.js', 'pkg/first/latchkey_bg.wasm', ...LANGUAGE_FILES, 'pkg/i18n/en.js', 'pkg/i18n/index.js',
    'pkg/integrity.js', 'pkg/latchkey.js', 'pkg/latchkey_bg.wasm', 'pkg/session/latchkey.js',
    'pkg/session/latchkey_bg.wasm', 'style/latchkey.css',
  ].sort());
  for (const [file, hash] of Object.entries(hashes)) {
    const actual = `sha384-${createHash('sha384').update(await readFile(path.join(installed, file))).digest('base64')}`;
    assert.equal(actual, hash, file);
  }
  const carried = await readFile(path.join(installed, 'pkg/integrity.js'), 'utf8');
  for (const file of ['pkg/latchkey_bg.wasm', 'pkg/first/latchkey_bg.wasm', 'pkg/session/latchkey_bg.wasm', 'style/latchkey.css']) {
    assert.ok(carried.includes(hashes[file]), `the entry carries the hash of ${file}`);
  }
  const tables = await readFile(path.join(installed, 'pkg/i18n/index.js'), 'utf8');
  for (const file of LANGUAGE_FILES) assert.ok(tables.includes(hashes[file]), `pkg/i18n/index.js carries the hash of ${file}`);
});

test('mount() and <latchkey-widget> from the installed package render the login form under the CSP', async () => {
  const { page, problems, consoleErrors, context } = await openPage(browser);
  await page.goto(`${origin}/`);
  for (const host of ['#by-function', '#by-element']) {
    const widget = page.locator(host);
    await widget.getByLabel('Email', { exact: true }).waitFor();
    assert.equal(await widget.getByLabel('Password', { exact: true }).getAttribute('type'), 'password');
    assert.equal(await widget.getByRole('button', { name: 'Sign in', exact: true }).isVisible(), true);
  }
  // The widgets have taken over the forms their loader drew first (a button of those
  // forms has no computed style once it is gone).
  await page.evaluate(() => Promise.all([window.mounted.ready, document.querySelector('#by-element').ready]));
  const link = await page.evaluate(() => {
    const element = document.querySelector('#by-element').shadowRoot.querySelector('link');
    return { integrity: element.integrity, crossOrigin: element.crossOrigin };
  });
  assert.match(link.integrity, /^sha384-/, 'the stylesheet is pinned by its hash');
  assert.equal(link.crossOrigin, 'anonymous');
  const styled = await page.locator('#by-function').getByRole('button', { name: 'Sign in', exact: true })
    .evaluate((button) => getComputedStyle(button).borderRadius);
  assert.equal(styled, '6px', 'the package stylesheet applies inside the shadow root');

  const emptied = await page.evaluate(async () => {
    await window.mounted.ready;
    window.mounted.unmount();
    return document.getElementById('by-function').shadowRoot.childElementCount;
  });
  assert.equal(emptied, 0, 'unmount() leaves nothing behind');
  assert.deepEqual(problems, []);
  assert.deepEqual(ownLogs(consoleErrors), []);
  await context.close();
});

test('a design token set by the host page themes the widget', async () => {
  const { page, context } = await openPage(browser);
  await page.goto(`${origin}/`);
  const button = page.locator('#by-element').getByRole('button', { name: 'Sign in', exact: true });
  await button.waitFor();
  const background = await page.evaluate(() => {
    const element = document.getElementById('by-element');
    element.style.setProperty('--lk-color-brand-600', 'rgb(200, 10, 90)');
    return getComputedStyle(element.shadowRoot.querySelector('.lk-button')).backgroundColor;
  });
  assert.equal(background, 'rgb(200, 10, 90)');
  await context.close();
});

test('options set as properties, even before the element is defined, reach the widget', async () => {
  const { page, problems, context } = await openPage(browser);
  await page.goto(`${origin}/upgrade.html`);
  const widget = page.locator('#early');
  await widget.getByRole('button', { name: 'Log in early', exact: true }).waitFor();
  await widget.getByRole('button', { name: /Google/ }).waitFor();
  const after = await page.evaluate(async () => {
    const element = document.getElementById('early');
    const own = Object.hasOwn(element, 'strings');
    const before = element.strings.submit;
    element.strings = { submit: 'Log in now' };
    element.setAttribute('strings', '{"submit": "ignored while the property is set"}');
    await element.ready;
    const withProperty = element.shadowRoot.querySelector('button[type=submit]').textContent;
    element.strings = undefined; // back to the attribute
    await element.ready;
    return { own, before, withProperty, withAttribute: element.shadowRoot.querySelector('button[type=submit]').textContent };
  });
  assert.deepEqual(after, {
    own: false, before: 'Log in early', withProperty: 'Log in now', withAttribute: 'ignored while the property is set',
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('mount() never throws: an element that cannot hold the widget rejects ready and reports invalid_config', async () => {
  const { page, problems, consoleErrors, context } = await openPage(browser);
  await page.goto(`${origin}/`);
  const outcome = await page.evaluate(async () => {
    const onDocument = new Promise((resolve) => document.addEventListener('latchkey:error', (e) => resolve(e.detail), { once: true }));
    const nothing = window.latchkey.mount(null, {});
    const reason = await nothing.ready.then(() => null, (error) => ({ code: error.code, message: error.message }));
    const clientCode = await nothing.client.getUser().then(() => null, (error) => error.code);
    const input = document.body.appendChild(document.createElement('input'));
    const onInput = new Promise((resolve) => input.addEventListener('latchkey:error', (e) => resolve(e.detail.code)));
    const inInput = await window.latchkey.mount(input, {}).ready.then(() => null, (error) => error.code);
    return { reason, document: await onDocument, clientCode, inInput, input: await onInput };
  });
  assert.equal(outcome.reason.code, 'invalid_config');
  assert.match(outcome.reason.message, /mount\(\) needs an element that can hold a shadow root .*got null/);
  assert.deepEqual(outcome.document, outcome.reason);
  assert.equal(outcome.clientCode, 'invalid_config');
  assert.equal(outcome.inInput, 'invalid_config');
  assert.equal(outcome.input, 'invalid_config');
  assert.deepEqual(problems, []);
  assert.deepEqual(ownLogs(consoleErrors), [], 'nothing is logged without debug');
  await context.close();
});

test('a misconfigured widget reports invalid_config on its client; the console stays quiet unless debug', async () => {
  const { page, problems, consoleErrors, context } = await openPage(browser);
  await page.goto(`${origin}/`);
  const outcome = await page.evaluate(async () => {
    const element = document.createElement('latchkey-widget');
    element.setAttribute('backend', 'localhost:9000');
    document.body.append(element);
    await element.ready;
    const { client } = element;
    const heard = new Promise((resolve) => client.addEventListener('latchkey:error', (e) => resolve(e.detail.code)));
    const rejected = await client.isAuthenticated().then(() => null, (error) => `${error.code}: ${error.message}`);
    return { rejected, heard: await heard, shown: element.shadowRoot.textContent };
  });
  assert.match(outcome.rejected, /^invalid_config: .*client-id \(clientId\): required/);
  assert.equal(outcome.heard, 'invalid_config');
  assert.match(outcome.shown, /client-id \(clientId\): required/);
  assert.doesNotMatch(outcome.shown, /console/, 'the screen does not point at a console that is quiet');
  assert.deepEqual(ownLogs(consoleErrors), []);

  await page.evaluate(async () => {
    const element = document.createElement('latchkey-widget');
    element.setAttribute('debug', '');
    element.setAttribute('backend', 'localhost:9000');
    document.body.append(element);
    await element.ready;
  });
  const logged = ownLogs(consoleErrors);
  assert.equal(logged.length, 1, logged.join('\n'));
  assert.match(logged[0], /^latchkey: invalid configuration.*client-id \(clientId\): required.*\(invalid_config\)$/s);
  assert.deepEqual(problems, []);
  await context.close();
});

test('files missing where `assets` points: load_failed names the URL and the fix', async () => {
  const { page, context } = await openPage(browser);
  await page.goto(`${origin}/`);
  const detail = await page.evaluate(async () => {
    const element = document.createElement('latchkey-widget');
    element.assets = '/nowhere/';
    const failed = new Promise((resolve) => element.addEventListener('latchkey:error', (e) => resolve(e.detail)));
    document.body.append(element);
    return failed;
  });
  assert.equal(detail.code, 'load_failed');
  assert.match(detail.message, /\/nowhere\/(pkg\/latchkey_bg\.wasm|style\/latchkey\.css) answered HTTP 404; .*set the `assets` option/);
  await context.close();
});

test('createClient() from the installed package: a bad option rejects every call with invalid_config', async () => {
  const { page, context } = await openPage(browser);
  await page.goto(`${origin}/`);
  const outcome = await page.evaluate(async () => {
    const client = window.latchkey.createClient({ backend: 'http://localhost:9551', clientID: 'typo' });
    const heard = new Promise((resolve) => client.addEventListener('latchkey:error', (e) => resolve(e.detail.code)));
    const rejected = await client.getAccessToken().then(() => 'resolved', (error) => `${error.code}: ${error.message}`);
    return { rejected, heard: await heard };
  });
  assert.match(outcome.rejected, /^invalid_config: .*unknown option "clientID"; did you mean clientId\?/);
  assert.equal(outcome.heard, 'invalid_config');

  const signedOut = await page.evaluate(async () => {
    const client = window.latchkey.createClient({
      backend: 'http://localhost:9551', clientId: 'latchkey-demo', redirectUri: `${location.origin}/callback`,
      assets: '/node_modules/latchkey/', debug: false,
    });
    await client.ready;
    const token = await client.getAccessToken().catch((error) => error.code);
    return { authenticated: await client.isAuthenticated(), user: await client.getUser(), token };
  });
  assert.deepEqual(signedOut, { authenticated: false, user: null, token: 'not_signed_in' });
  await context.close();
});

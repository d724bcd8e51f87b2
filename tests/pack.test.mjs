// The npm package as a shop gets it: `npm pack`, install the tarball into a scratch
// site, and mount the widget from node_modules, both ways the README shows.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { launch, openPage } from './support/browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
let scratch;
let packed;
let server;
let origin;
let browser;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>scratch shop</title>
<script type="importmap">{ "imports": { "latchkey": "/node_modules/latchkey/js/index.js" } }</script>
<script type="module">
  import { createClient, mount } from 'latchkey';
  window.latchkey = { createClient, mount };
  window.mounted = mount(document.getElementById('by-function'), {
    backend: 'http://localhost:9000', loginApi: 'allauth', clientId: 'latchkey-demo', redirectUri: location.origin + '/callback',
  });
</script></head><body>
<div id="by-function"></div>
<latchkey-widget id="by-element" backend="http://localhost:9000" login-api="allauth" client-id="latchkey-demo"
  redirect-uri="http://localhost/callback"></latchkey-widget>
</body></html>`;

before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'latchkey-shop-'));
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8' }));
  packed = info;
  await writeFile(path.join(scratch, 'package.json'), '{ "name": "scratch-shop", "private": true }');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', path.join(scratch, info.filename)], { cwd: scratch, stdio: 'pipe' });
  await writeFile(path.join(scratch, 'index.html'), PAGE);
  server = http.createServer(async (req, res) => {
    const file = path.join(scratch, path.normalize(new URL(req.url, 'http://x').pathname));
    try {
      const body = await readFile(file.endsWith(path.sep) ? path.join(file, 'index.html') : file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'text/html' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, 'localhost', resolve));
  origin = `http://localhost:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('the tarball holds the entry, types, glue, wasm and styles, and nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    'README.md', 'js/index.d.ts', 'js/index.js', 'package.json',
    'pkg/latchkey.js', 'pkg/latchkey_bg.wasm', 'style/README.md', 'style/latchkey.css',
  ]);
  assert.equal(packed.name, 'latchkey');
});

test('mount() and <latchkey-widget> from the installed package render the login form', async () => {
  const { page, problems, context } = await openPage(browser);
  await page.goto(`${origin}/`);
  for (const host of ['#by-function', '#by-element']) {
    const widget = page.locator(host);
    await widget.getByLabel('Email', { exact: true }).waitFor();
    assert.equal(await widget.getByLabel('Password', { exact: true }).getAttribute('type'), 'password');
    assert.equal(await widget.getByRole('button', { name: 'Sign in', exact: true }).isVisible(), true);
  }
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

test('createClient() from the installed package: a bad option rejects every call with invalid_config', async () => {
  const { page, context } = await openPage(browser);
  await page.goto(`${origin}/`);
  const outcome = await page.evaluate(async () => {
    const client = window.latchkey.createClient({ backend: 'http://localhost:9000', clientID: 'typo' });
    const heard = new Promise((resolve) => client.addEventListener('latchkey:error', (e) => resolve(e.detail.code)));
    const rejected = await client.getAccessToken().then(() => 'resolved', (error) => `${error.code}: ${error.message}`);
    return { rejected, heard: await heard };
  });
  assert.match(outcome.rejected, /^invalid_config: .*unknown option "clientID"; did you mean clientId\?/);
  assert.equal(outcome.heard, 'invalid_config');

  const signedOut = await page.evaluate(async () => {
    const client = window.latchkey.createClient({
      backend: 'http://localhost:9000', clientId: 'latchkey-demo', redirectUri: `${location.origin}/callback`,
    });
    await client.ready;
    const token = await client.getAccessToken().catch((error) => error.code);
    return { authenticated: await client.isAuthenticated(), user: await client.getUser(), token };
  });
  assert.deepEqual(signedOut, { authenticated: false, user: null, token: 'not_signed_in' });
  await context.close();
});

// latchkey edge deploys as it runs: `wrangler deploy --dry-run` bundles edge/ with
// its wrangler.toml, offline, exactly as an upload would, and lists the bindings.
// Wrangler 4 needs Node 22.12; the pinned wrangler 3.99 reads the same wrangler.toml.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('wrangler deploy --dry-run bundles the edge worker with its Durable Objects and variables', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-edge-bundle-'));
  const run = spawnSync(path.join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], {
    cwd: path.join(ROOT, 'edge'),
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    timeout: 120_000,
  });
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.status, 0, output);
  const upload = output.match(/Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/);
  assert.ok(upload, output);
  console.log(`wrangler dry run: ${upload[0]}`);
  for (const binding of ['SESSIONS: SessionObject', 'LOGOUT_INDEX: LogoutIndex', 'ISSUER', 'REDIRECT_URI', 'SHOP_ORIGIN']) {
    assert.ok(output.includes(binding), `${binding} missing from:\n${output}`);
  }
  const files = fs.readdirSync(out);
  assert.ok(files.includes('worker.js'));
  assert.ok(files.some((file) => file.endsWith('latchkey_edge_bg.wasm')), files.join(', '));
  fs.rmSync(out, { recursive: true, force: true });
});

// The theming reference stays complete: every custom property the stylesheet defines
// and every part the widget exposes is documented in style/README.md.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reference = await readFile(path.join(ROOT, 'style/README.md'), 'utf8');

async function rustSources(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return Promise.all(entries.filter((e) => e.isFile() && e.name.endsWith('.rs'))
    .map((e) => readFile(path.join(e.parentPath ?? e.path, e.name), 'utf8')));
}

test('every custom property of the stylesheet is documented', async () => {
  const css = await readFile(path.join(ROOT, 'style/latchkey.css'), 'utf8');
  const defined = new Set([...css.matchAll(/^\s*(--lk-[a-z0-9-]+)\s*:/gm)].map((m) => m[1]));
  assert.ok(defined.size > 40, `${defined.size} properties found`);
  const missing = [...defined].filter((name) => !reference.includes(`\`${name}\``));
  assert.deepEqual(missing, []);
});

test('every part the widget exposes is documented', async () => {
  const sources = (await rustSources(path.join(ROOT, 'src'))).join('\n');
  const parts = new Set([...sources.matchAll(/part="([^"]+)"/g)].flatMap((m) => m[1].split(' ')));
  assert.ok(parts.size > 20, `${parts.size} parts found`);
  const missing = [...parts].filter((name) => !reference.includes(`\`${name}\``));
  assert.deepEqual(missing, []);
});

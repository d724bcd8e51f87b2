// SECURITY.md names the test that proves each protection, as `file` › `test name`:
// every one of them must exist, so the threat model cannot point at nothing.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `[file, name]` for every test SECURITY.md cites. */
async function citedTests() {
  const text = await readFile(path.join(ROOT, 'SECURITY.md'), 'utf8');
  return [...text.matchAll(/`([\w./-]+\.(?:rs|mjs))` › `([^`]+)`/g)].map(([, file, name]) => [file, name]);
}

/** Whether `source` (Rust or JS) defines a test called `name`: a Rust test function,
 * a `test(…)` of node:test, or a journey's `title` (tests/journeys/, run in every
 * engine). */
function defines(file, source, name) {
  if (file.endsWith('.rs')) return new RegExp(`#\\[(?:wasm_bindgen_)?test\\]\\s+(?:async\\s+)?fn ${name}\\(`).test(source);
  const quoted = [`'${name.replaceAll("'", "\\'")}'`, `"${name}"`, `\`${name}\``];
  return quoted.some((literal) => source.includes(`test(${literal}`) || source.includes(`title: ${literal}`));
}

test('every test SECURITY.md names exists, by file and name', async () => {
  const cited = await citedTests();
  assert.ok(cited.length >= 40, `only ${cited.length} tests cited: is the format still \`file\` › \`name\`?`);
  const missing = [];
  for (const [file, name] of cited) {
    const source = await readFile(path.join(ROOT, file), 'utf8').catch(() => null);
    if (source === null || !defines(file, source, name)) missing.push(`${file} › ${name}`);
  }
  assert.deepEqual(missing, []);
});

test('the check notices a test that does not exist', () => {
  assert.equal(defines('x.rs', '#[test]\nfn real() {}', 'real'), true);
  assert.equal(defines('x.rs', '#[wasm_bindgen_test]\nasync fn real() {}', 'real'), true);
  assert.equal(defines('x.rs', '#[test]\nfn real_one() {}', 'real'), false);
  assert.equal(defines('x.mjs', "test('the shop\\'s page', async () => {});", "the shop's page"), true);
  assert.equal(defines('x.mjs', "test('another', async () => {});", 'missing'), false);
  assert.equal(defines('x.mjs', "export default [{ title: 'a journey', run() {} }];", 'a journey'), true);
  assert.equal(defines('x.mjs', "const note = 'a journey';", 'a journey'), false);
});

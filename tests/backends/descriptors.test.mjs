// The reference backends as the end-to-end tests describe them (tests/support/
// backends.mjs) against the code: each descriptor's capabilities are exactly what its
// adapter's `capabilities()` declares, every capability and behaviour a journey may
// need has the words of its skip reason, every journey needs only known things, and
// README's journey × backend table is the one the journeys make. (The widget's own
// screens are checked against the descriptors in every engine: the "what is
// offered" journey, tests/journeys/offers.mjs.)
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { JOURNEYS } from '../journeys/index.mjs';
import { adapterSource, BACKENDS, NEEDS } from '../support/backends.mjs';
import { DRIVER_LACKS } from '../support/engines.mjs';
import { markdown } from '../support/matrix.mjs';
import { totp } from '../support/totp.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The variants of `enum Capability` in core/src/backend/capabilities.rs. */
async function capabilityEnum() {
  const source = await readFile(path.join(ROOT, 'core/src/backend/capabilities.rs'), 'utf8');
  const body = source.match(/pub enum Capability \{([\s\S]*?)\n\}/)[1];
  return [...body.matchAll(/^ {4}(\w+),$/gm)].map(([, name]) => name);
}

/** What an adapter's `fn capabilities` lists in its `Capabilities::of(&[…])`. */
async function declared(backend) {
  const source = await readFile(adapterSource(backend), 'utf8');
  let body = source.match(/fn capabilities\(&self\) -> Capabilities \{([\s\S]*?)\n {4}\}/)?.[1];
  assert.ok(body, `${backend.adapter}: no fn capabilities`);
  // `Self::CAPABILITIES`: the list is the associated constant's.
  const constant = body.trim().match(/^Self::(\w+)$/)?.[1];
  if (constant) {
    body = source.match(new RegExp(`const ${constant}: Capabilities = \\{([\\s\\S]*?)\\n {4}\\};`))?.[1];
    assert.ok(body, `${backend.adapter}: no const ${constant}`);
  }
  const list = body.match(/Capabilities::of\(&\[([\s\S]*?)\]\)/)?.[1];
  assert.ok(list, `${backend.adapter}: capabilities() is not one Capabilities::of(&[…]) list`);
  return list.split(',').map((name) => name.trim()).filter(Boolean);
}

for (const backend of BACKENDS) {
  test(`${backend.name}: the descriptor's capabilities are what ${backend.adapter} declares`, async () => {
    assert.deepEqual(backend.capabilities, await declared(backend));
  });
}

test('every capability, and each behaviour the descriptors name, has the words of a skip reason', async () => {
  const capabilities = await capabilityEnum();
  assert.ok(capabilities.length >= 14, `read ${capabilities.length} capabilities`);
  const behaviours = [...new Set(BACKENDS.flatMap((backend) => backend.behaviours))];
  assert.deepEqual(Object.keys(NEEDS).sort(), [...capabilities, ...behaviours].sort());
  for (const behaviour of behaviours) assert.ok(!capabilities.includes(behaviour), `${behaviour} is a capability`);
});

test('every journey has a title of its own and needs only what a backend or a driver can have', () => {
  const features = new Set(Object.values(DRIVER_LACKS).flatMap(Object.keys));
  assert.equal(new Set(JOURNEYS.map((j) => j.title)).size, JOURNEYS.length);
  for (const journey of JOURNEYS) {
    for (const need of journey.needs ?? []) assert.ok(need in NEEDS, `${journey.title}: needs ${need}`);
    for (const feature of journey.driver ?? []) assert.ok(features.has(feature), `${journey.title}: uses ${feature}`);
  }
});

test('README has the journey × backend table the journeys make (node tests/support/matrix.mjs)', async () => {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(markdown()), 'README is out of date: paste the output of node tests/support/matrix.mjs');
});

test('the TOTP helper the tests arrange second factors with matches RFC 6238 Appendix B', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of "12345678901234567890"
  assert.equal(totp(secret, 0, 59_000), '287082');
  assert.equal(totp(secret, 0, 1_111_111_109_000), '081804');
});

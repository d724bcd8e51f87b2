// Which language table a widget gets, and the tables the package ships (pkg/i18n/,
// made by scripts/languages.mjs from src/ui/i18n/ at build time).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { closestLanguage } from '../js/languages.js';
import { sourceTables } from '../scripts/languages.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TAGS = ['en', 'es', 'fr', 'de', 'pt-BR', 'ja', 'ar', 'he'];

test('tags pick the closest table, else English', () => {
  const pick = (...tags) => closestLanguage(tags, TAGS);
  assert.equal(pick('pt-BR'), 'pt-BR');
  assert.equal(pick('pt'), 'pt-BR');
  assert.equal(pick('pt-PT'), 'pt-BR');
  assert.equal(pick('es-MX', 'en'), 'es');
  assert.equal(pick('HE'), 'he');
  assert.equal(pick('xx', 'de-AT'), 'de');
  assert.equal(pick(undefined, 'fr-CA'), 'fr', 'no locale option: the browser decides');
  assert.equal(pick('ja', 'fr'), 'ja', 'the locale option comes first');
  assert.equal(pick('xx'), 'en');
  assert.equal(pick(), 'en');
  assert.equal(pick(42, ''), 'en', 'not a tag');
});

test('the package ships every table but English, as in the sources', async () => {
  const sources = sourceTables();
  assert.deepEqual(Object.keys(sources).sort(), [...TAGS].sort());
  const { LANGUAGES } = await import('../pkg/integrity.js');
  const { default: files } = await import('../pkg/i18n/index.js');
  assert.deepEqual(LANGUAGES, TAGS.filter((tag) => tag !== 'en').sort());
  assert.deepEqual(Object.keys(files).sort(), LANGUAGES);
  for (const [tag, file] of Object.entries(files)) {
    assert.equal(file.path, `pkg/i18n/${tag}.json`);
    assert.equal(fileURLToPath(file.here()), path.join(ROOT, file.path), 'bundlers see where it is');
    assert.deepEqual(JSON.parse(readFileSync(path.join(ROOT, file.path), 'utf8')), sources[tag]);
  }
});

// The widget's texts as the tests see them: the tables in src/ui/i18n/, so that a
// journey can be driven by key in any language.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const I18N = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/ui/i18n');

/** `{ key: text }` of the table for `lang` (`en`, `pt-BR`, `ar`, …). */
export async function stringsFor(lang) {
  return JSON.parse(await readFile(path.join(I18N, `${lang}.json`), 'utf8'));
}

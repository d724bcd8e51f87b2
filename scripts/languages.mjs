// The language tables a shop's page fetches: every table of src/ui/i18n/ but English
// (compiled into the wasm), written to pkg/i18n/<tag>.json without whitespace. Run by
// scripts/build.sh; build.rs has already checked that each table is complete.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(ROOT, 'src/ui/i18n');
export const TARGET = 'pkg/i18n';

/** `{ tag: table }` of every table in src/ui/i18n/, English included. */
export function sourceTables() {
  return Object.fromEntries(readdirSync(SOURCE).filter((name) => name.endsWith('.json')).sort()
    .map((name) => [name.slice(0, -'.json'.length), JSON.parse(readFileSync(path.join(SOURCE, name), 'utf8'))]));
}

function main() {
  const target = path.join(ROOT, TARGET);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const [tag, table] of Object.entries(sourceTables())) {
    if (tag !== 'en') writeFileSync(path.join(target, `${tag}.json`), JSON.stringify(table));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();

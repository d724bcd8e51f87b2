// Prints raw / gzip / brotli bytes of what a shop's page loads, by what the page
// does: the first form (the sign-in form, drawn and sendable, in English), the whole
// widget (that, then the widget's build), a page that only calls createClient()
// (the session build), and each language besides English. With --check, fails when
// a set's brotli total exceeds its budget in size-budget.json. With --crates, also
// where the widget's wasm bytes go by crate (twiggy on the last release build's
// named wasm; see docs/size-analysis.md).
// Then the same for latchkey edge (the worker's modules), against the Cloudflare
// Workers limits, which apply to the gzip-compressed upload: --check fails above
// the Free plan's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The modules js/index.js imports before anything is drawn, on every page. */
const ENTRY = ['js/index.js', 'js/options.js', 'js/languages.js', 'js/first-form.js', 'pkg/integrity.js'];
const CSS = ['style/latchkey.css'];

/** What each kind of page loads, by group; `budget`: the key in size-budget.json. */
const SETS = [
  {
    name: 'first form: the sign-in form, drawn and sendable (English)',
    budget: 'firstForm',
    groups: [
      ['wasm', ['pkg/first/latchkey_bg.wasm']],
      ['JS', [...ENTRY, 'pkg/i18n/en.js', 'pkg/first/latchkey.js']],
      ['CSS', CSS],
    ],
  },
  {
    name: 'widget: the first form, then the whole widget (English)',
    budget: 'widget',
    groups: [
      ['wasm', ['pkg/first/latchkey_bg.wasm', 'pkg/latchkey_bg.wasm']],
      ['JS', [...ENTRY, 'pkg/i18n/en.js', 'pkg/first/latchkey.js', 'pkg/latchkey.js']],
      ['CSS', CSS],
    ],
  },
  {
    name: 'session only: a page that only calls createClient()',
    budget: 'session',
    groups: [
      ['wasm', ['pkg/session/latchkey_bg.wasm']],
      ['JS', [...ENTRY, 'pkg/session/latchkey.js']],
    ],
  },
];

const compress = (data) => ({
  raw: data.length,
  gzip: gzipSync(data, { level: 9 }).length,
  brotli: brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }).length,
});

// Files are compressed one by one, as a server sends them.
const measure = (files) => files.map((file) => compress(readFileSync(path.join(ROOT, file))))
  .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 });

const fmt = (n) => n.toLocaleString('en-US').padStart(9);

function table(groups) {
  const rows = groups.map(([name, files]) => ({ name, ...measure(files) }));
  const total = rows.reduce((a, r) => ({ name: 'total', raw: a.raw + r.raw, gzip: a.gzip + r.gzip, brotli: a.brotli + r.brotli }),
    { name: 'total', raw: 0, gzip: 0, brotli: 0 });
  console.log(`${'file'.padEnd(8)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)} ${'brotli 11'.padStart(9)}`);
  for (const r of [...rows, total]) console.log(`${r.name.padEnd(8)} ${fmt(r.raw)} ${fmt(r.gzip)} ${fmt(r.brotli)}`);
  return total;
}

const budgets = JSON.parse(readFileSync(path.join(ROOT, 'size-budget.json'), 'utf8')).brotli;
const over = [];
for (const set of SETS) {
  console.log(`\n${set.name}`);
  const total = table(set.groups);
  const budget = budgets[set.budget];
  console.log(`${' '.repeat(28)}${(total.brotli / 1024).toFixed(1)} KiB brotli; budget ${budget.toLocaleString('en-US')}`);
  if (total.brotli > budget) over.push(`${set.budget}: brotli ${total.brotli} > ${budget} bytes (size-budget.json)`);
}

// A language costs its table (and, once per page, where the tables are).
console.log('\neach language besides English: what a shopper who needs it loads on top');
const index = compress(readFileSync(path.join(ROOT, 'pkg/i18n/index.js')));
console.log(`${'table'.padEnd(8)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)} ${'brotli 11'.padStart(9)}   (+ pkg/i18n/index.js: ${index.brotli} brotli)`);
for (const name of readdirSync(path.join(ROOT, 'pkg/i18n')).filter((n) => n.endsWith('.json')).sort()) {
  const size = compress(readFileSync(path.join(ROOT, 'pkg/i18n', name)));
  console.log(`${name.slice(0, -'.json'.length).padEnd(8)} ${fmt(size.raw)} ${fmt(size.gzip)} ${fmt(size.brotli)}`);
}

if (process.argv.includes('--check')) {
  if (over.length) {
    for (const line of over) console.error(`size budget exceeded: ${line}`);
    process.exit(1);
  }
  console.log('\nwithin budget: every set');
}

const EDGE_GROUPS = [
  ['wasm', ['edge/pkg/latchkey_edge_bg.wasm']],
  ['JS glue', ['edge/pkg/latchkey_edge.js', 'edge/worker.js']],
];
/** Cloudflare Workers: the largest worker, compressed (gzip), per plan. */
const WORKERS_LIMITS = { Free: 3 * 1024 * 1024, Paid: 10 * 1024 * 1024 };

console.log('\nlatchkey edge (edge/pkg, the module worker)');
let edgeTotal;
try {
  edgeTotal = table(EDGE_GROUPS);
} catch {
  console.log('not built: bash scripts/build-edge.sh');
}
if (edgeTotal) {
  for (const [plan, limit] of Object.entries(WORKERS_LIMITS)) {
    const share = ((edgeTotal.gzip / limit) * 100).toFixed(1);
    console.log(`Workers ${plan} plan: ${edgeTotal.gzip.toLocaleString('en-US')} of ${limit.toLocaleString('en-US')} bytes gzip (${share} %)`);
  }
  if (process.argv.includes('--check') && edgeTotal.gzip > WORKERS_LIMITS.Free) {
    console.error('latchkey edge exceeds the Workers Free plan size limit');
    process.exit(1);
  }
}

if (process.argv.includes('--crates')) {
  const built = path.join(ROOT, 'target/wasm32-unknown-unknown/release/latchkey.wasm');
  const env = { ...process.env, PATH: `${path.join(homedir(), '.cargo/bin')}:${process.env.PATH}` };
  const twiggy = () => { try { execFileSync('twiggy', ['--version'], { env, stdio: 'ignore' }); return true; } catch { return false; } };
  if (!existsSync(built)) {
    console.error('--crates: no release build in target/; run npm run build first');
    process.exit(1);
  }
  if (!twiggy()) {
    console.error('--crates needs twiggy: cargo install --locked twiggy');
    process.exit(1);
  }
  // wasm-bindgen keeps the name section that wasm-opt drops: the names twiggy needs.
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-size-'));
  try {
    execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', dir, built], { env });
    process.env.PATH = env.PATH;
    const { crateTotals, printTotals } = await import('../bench/size/crates.mjs');
    console.log(`\nby crate (raw bytes of the widget's wasm before wasm-opt, ${built.slice(ROOT.length + 1)}):`);
    printTotals(crateTotals(path.join(dir, 'latchkey_bg.wasm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

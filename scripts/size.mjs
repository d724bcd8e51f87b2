// Prints raw / gzip / brotli bytes of what a shop ships: the wasm, the JS glue (the
// wasm-bindgen module and the npm entry) and the CSS. With --check, fails when the
// brotli total exceeds the budget in size-budget.json. With --crates, also where the
// wasm's bytes go by crate (twiggy on the last release build's named wasm; see
// docs/size-analysis.md).
// Then the same for latchkey edge (the worker's modules), against the Cloudflare
// Workers limits, which apply to the gzip-compressed upload: --check fails above
// the Free plan's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GROUPS = [
  ['wasm', ['pkg/latchkey_bg.wasm']],
  ['JS glue', ['pkg/latchkey.js', 'js/index.js', 'js/options.js', 'pkg/integrity.js']],
  ['CSS', ['style/latchkey.css']],
];

function measure(files) {
  const sizes = (data) => ({
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length,
  });
  // Files are compressed one by one, as a server sends them.
  return files.map((file) => sizes(readFileSync(path.join(ROOT, file))))
    .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 });
}

const EDGE_GROUPS = [
  ['wasm', ['edge/pkg/latchkey_edge_bg.wasm']],
  ['JS glue', ['edge/pkg/latchkey_edge.js', 'edge/worker.js']],
];
/** Cloudflare Workers: the largest worker, compressed (gzip), per plan. */
const WORKERS_LIMITS = { Free: 3 * 1024 * 1024, Paid: 10 * 1024 * 1024 };

const fmt = (n) => n.toLocaleString('en-US').padStart(9);

function table(groups) {
  const rows = groups.map(([name, files]) => ({ name, ...measure(files) }));
  const total = rows.reduce((a, r) => ({ name: 'total', raw: a.raw + r.raw, gzip: a.gzip + r.gzip, brotli: a.brotli + r.brotli }),
    { name: 'total', raw: 0, gzip: 0, brotli: 0 });
  console.log(`${'file'.padEnd(8)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)} ${'brotli 11'.padStart(9)}`);
  for (const r of [...rows, total]) console.log(`${r.name.padEnd(8)} ${fmt(r.raw)} ${fmt(r.gzip)} ${fmt(r.brotli)}`);
  return total;
}

const total = table(GROUPS);

if (process.argv.includes('--check')) {
  const { brotliTotalBytes } = JSON.parse(readFileSync(path.join(ROOT, 'size-budget.json'), 'utf8'));
  if (total.brotli > brotliTotalBytes) {
    console.error(`size budget exceeded: brotli total ${total.brotli} > ${brotliTotalBytes} bytes (size-budget.json)`);
    process.exit(1);
  }
  console.log(`within budget: brotli total ${total.brotli} <= ${brotliTotalBytes} bytes`);
}

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
    console.log(`\nby crate (raw bytes of the wasm before wasm-opt, ${built.slice(ROOT.length + 1)}):`);
    printTotals(crateTotals(path.join(dir, 'latchkey_bg.wasm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

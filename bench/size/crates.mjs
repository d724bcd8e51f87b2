// Where the wasm's bytes go, by crate: runs `twiggy top` on a wasm that still has its
// name section (the release build before wasm-opt, after wasm-bindgen) and sums each
// function into the crate of the type or path it is named after (`<T as Trait>::f`
// counts for T's crate; &T, [T] and (..) are unwrapped). LTO inlines across crates, so
// a yew function monomorphised for one of our screens counts as yew along with the
// screen code inlined into it: the totals are a map, not a ledger.
//   node bench/size/crates.mjs NAMED.wasm [--items GROUP]
import { execFileSync } from 'node:child_process';

const GROUPS = [
  ['latchkey ui (screens)', (p) => p.startsWith('latchkey::ui::') && !p.startsWith('latchkey::ui::i18n')],
  ['latchkey ui::i18n (code; the tables are in .rodata)', (p) => p.startsWith('latchkey::ui::i18n')],
  ['latchkey web + bindings', (p) => p.startsWith('latchkey::') || /^(sessionclient_|widget_|mount\b)/.test(p)],
  ['latchkey_core', (p) => p.startsWith('latchkey_core::')],
  ['yew (+ implicit_clone, gloo, prokio, slab, indexmap, hashbrown)',
    (p) => /^(yew|yew_macro|implicit_clone|gloo\w*|prokio|slab|indexmap|hashbrown|pinned|tracing\w*|futures\w*)(\[\w+\])?::/.test(p)],
  ['serde_json', (p) => p.startsWith('serde_json::')],
  ['serde', (p) => /^serde(_core)?::/.test(p)],
  ['p256 + arithmetic (primeorder, primefield, crypto_bigint, elliptic_curve, ecdsa, ...)',
    (p) => /^(p256|primeorder|primefield|crypto_bigint|elliptic_curve|ecdsa|ff|group|subtle|signature|crypto_common|sec1|hybrid_array|rfc6979|ctutils|wnaf)::/.test(p)],
  ['sha1 / sha2 / digest', (p) => /^(sha1|sha2|digest|block_buffer|cpufeatures)::/.test(p)],
  ['qrcodegen', (p) => p.startsWith('qrcodegen::')],
  ['base64', (p) => /^(base64|base64ct)::/.test(p)],
  ['wasm-bindgen, js-sys, web-sys, getrandom glue',
    (p) => /^(wasm_bindgen\w*|js_sys|web_sys|getrandom)::/.test(p) || /^(__wbg|__wbindgen|__externref|wasm_bindgen)/.test(p)],
  ['std / alloc / core (collections, str, sort, iterators)',
    (p) => /^(std|alloc|core|compiler_builtins)(\[\w+\])?::/.test(p) || /^(mem(cpy|set|cmp|move)|__(multi3|ashlti3|lshrti3|udivti3|umodti3))$/.test(p)],
];

/** The path a function is named after: `<T as Trait>::f` → T; &, [..], (..), impl, dyn unwrapped. */
function primary(name) {
  let n = name;
  for (;;) {
    if (n.startsWith('<') && n.includes(' as ')) {
      let depth = 0;
      let cut = -1;
      for (let i = 0; i < n.length; i += 1) {
        if (n[i] === '<') depth += 1;
        else if (n[i] === '>') depth -= 1;
        else if (depth === 1 && n.startsWith(' as ', i)) { cut = i; break; }
      }
      if (cut < 0) return n;
      n = n.slice(1, cut);
      continue;
    }
    const prefix = ['<impl ', 'impl ', '<', '&mut ', '&', '*const ', '*mut ', '[', '(', 'dyn '].find((p) => n.startsWith(p));
    if (!prefix) return n;
    n = n.slice(prefix.length);
  }
}

function groupOf(name) {
  if (name.startsWith('"') || name.startsWith('custom section')) return 'name section, custom sections';
  if (name.startsWith('data segment')) return 'data segments (.rodata: strings, i18n tables, panic and fmt text)';
  if (/core(\[\w+\])?::fmt/.test(name)) return 'core::fmt (machinery, Debug/Display impls)';
  if (name.includes('drop_in_place')) return 'drop glue (core::ptr::drop_in_place<T>)';
  if (name.includes('dlmalloc')) return 'allocator (dlmalloc)';
  const p = primary(name);
  const hit = GROUPS.find(([, test]) => test(p));
  if (hit) return hit[0];
  const crate = p.split('::')[0];
  if (p.includes('::') && /^[a-z][a-z0-9_]*(\[\w+\])?$/.test(crate) && !/^(str|char|bool|[iu](8|16|32|64|128|size)|f(32|64))$/.test(crate)) {
    return 'other crates (form_urlencoded, der, const_oid, percent_encoding, itoa, ...)';
  }
  return 'exports, types, shims, headers, impls on primitive types';
}

export function crateTotals(wasm, show = null) {
  const items = JSON.parse(execFileSync('twiggy', ['top', '-n', '1000000', '-f', 'json', wasm], { maxBuffer: 1 << 28 }).toString());
  const totals = new Map();
  for (const { name, shallow_size: size } of items) {
    if (name.startsWith('Σ') || name.startsWith('...')) continue;
    const group = groupOf(name);
    totals.set(group, (totals.get(group) ?? 0) + size);
    if (show && group.includes(show)) console.log(String(size).padStart(7), name.slice(0, 150));
  }
  return totals;
}

export function printTotals(totals) {
  const names = totals.get('name section, custom sections') ?? 0;
  const code = [...totals.values()].reduce((a, b) => a + b, 0) - names;
  const rows = [...totals].filter(([g]) => !g.startsWith('name section')).sort((a, b) => b[1] - a[1]);
  const width = Math.max(...rows.map(([g]) => g.length));
  console.log(`${'group'.padEnd(width)} ${'bytes'.padStart(9)} ${'share'.padStart(6)}`);
  for (const [group, bytes] of rows) {
    console.log(`${group.padEnd(width)} ${bytes.toLocaleString('en-US').padStart(9)} ${`${(100 * bytes / code).toFixed(1)}%`.padStart(6)}`);
  }
  console.log(`${'total without the name section'.padEnd(width)} ${code.toLocaleString('en-US').padStart(9)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const show = process.argv.includes('--items') ? process.argv[process.argv.indexOf('--items') + 1] : null;
  printTotals(crateTotals(process.argv[2], show));
}

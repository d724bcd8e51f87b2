// npm run bench -- --widgets: loads latchkey and other login widgets side by side
// (cold, interleaved, unthrottled and with the mobile profile) and prints min / median
// / max per widget and metric, latchkey ÷ each other widget on the medians, and
// latchkey's 100× mount/unmount figures.
//   node bench/run.mjs [--runs 10] [--only latchkey,hanko-elements] [--profiles unthrottled,mobile]
//                      [--cycles 100] [--json file] [--port 8700] [--backend-port 9700]
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';

import { startBackend } from '../tests/support/backend.mjs';
import { CHROMIUM_ARGS } from '../tests/support/browser.mjs';
import { chromium } from 'playwright-core';
import { bundleAuth0Lock } from './bundle.mjs';
import { mountCycles } from './cycles.mjs';
import { measureLoad, PROFILES } from './measure.mjs';
import { startServer } from './server.mjs';
import { WIDGETS } from './widgets.mjs';

const { values: options } = parseArgs({ options: {
  runs: { type: 'string', default: '10' },
  only: { type: 'string' },
  profiles: { type: 'string', default: 'unthrottled,mobile' },
  cycles: { type: 'string', default: '100' },
  json: { type: 'string' },
  port: { type: 'string', default: '8700' },
  'backend-port': { type: 'string', default: '9700' },
} });
const SERVER_PORT = Number(options.port);
const BACKEND_PORT = Number(options['backend-port']);
const runs = Number(options.runs);
const widgets = options.only ? WIDGETS.filter((w) => options.only.split(',').includes(w.name)) : WIDGETS.filter((w) => !w.extra);
const profiles = options.profiles.split(',').map((name) => PROFILES[name] ?? (() => { throw new Error(`unknown profile ${name}`); })());

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const stats = (xs) => (xs.length ? { min: Math.min(...xs), median: median(xs), max: Math.max(...xs) } : null);

const METRICS = [
  ['form ms', (r) => r.formMs, (x) => x.toFixed(0)],
  ['sendable ms', (r) => r.submitMs, (x) => x.toFixed(0)],
  ['KiB to form', (r) => r.bytesToForm / 1024, (x) => x.toFixed(1)],
  ['KiB to send', (r) => r.bytesToSubmit / 1024, (x) => x.toFixed(1)],
  ['KiB total', (r) => r.bytesTotal / 1024, (x) => x.toFixed(1)],
  ['JS heap MiB', (r) => r.heapUsed / 1048576, (x) => x.toFixed(2)],
  ['long tasks', (r) => r.longTasks, (x) => x.toFixed(0)],
  ['longest task ms', (r) => r.longTaskMax, (x) => x.toFixed(0)],
];

function printProfile(profile, results) {
  console.log(`\n${profile.name}: ${runs} cold loads per widget, interleaved (min / median / max)`);
  const header = ['widget', ...METRICS.map(([name]) => name)];
  const rows = [];
  for (const widget of widgets) {
    const { ok, errors } = results.get(widget.name);
    if (!ok.length) { rows.push([widget.name, `FAILED ${errors.length}/${runs}: ${errors[0]}`]); continue; }
    const row = [widget.name];
    for (const [, pick, fmt] of METRICS) {
      const s = stats(ok.map(pick));
      row.push(`${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`);
    }
    if (errors.length) row.push(`(${errors.length} failed: ${errors[0]})`);
    rows.push(row);
  }
  printTable(header, rows);
  const own = results.get('latchkey');
  if (!own?.ok.length) return;
  console.log(`latchkey ÷ widget, medians (${profile.name})`);
  const ratioRows = [];
  for (const widget of widgets) {
    if (widget.name === 'latchkey') continue;
    const other = results.get(widget.name);
    if (!other.ok.length) { ratioRows.push([widget.name, 'failed']); continue; }
    ratioRows.push([widget.name, ...METRICS.slice(0, 6).map(([, pick]) => {
      const ratio = median(own.ok.map(pick)) / median(other.ok.map(pick));
      return `${ratio.toFixed(2)}×`;
    })]);
  }
  printTable(['vs', ...METRICS.slice(0, 6).map(([name]) => name)], ratioRows);
}

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) => cells.map((c, i) => String(c ?? '').padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function chromiumVersion() {
  try { return execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return 'unknown'; }
}

async function main() {
  console.log(`${chromiumVersion()}; widgets: ${widgets.map((w) => `${w.name} ${w.version()}`).join(', ')}`);
  // Timings are only as good as the machine is quiet: say how busy it was.
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`load average at the start: ${load()}`);
  await bundleAuth0Lock();
  const server = await startServer(SERVER_PORT);
  let backend = null;
  const backendError = widgets.some((w) => w.name.startsWith('latchkey'))
    ? await startBackend({ port: BACKEND_PORT, frontend: server.url }).then((b) => { backend = b; return null; }, (e) => e)
    : null;
  if (backendError) console.log(`the reference backend did not start: ${backendError.message.split('\n')[0]}`);
  const urlOf = (widget) => `${server.url}/${widget.page}${backend ? `?backend=${encodeURIComponent(backend.url)}` : ''}`;
  // Never leaves the machine: every host but localhost fails to resolve at once.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost'],
  });
  const report = { chromium: chromiumVersion(), date: new Date().toISOString(), runs, widgets: {}, profiles: {} };
  try {
    // Warm-up, not measured: every file gets compressed once and Chromium starts up.
    for (const widget of widgets) {
      report.widgets[widget.name] = widget.version();
      await measureLoad(browser, { url: urlOf(widget), widget, profile: PROFILES.unthrottled })
        .catch((error) => console.log(`warm-up of ${widget.name} failed: ${error.message}`));
    }
    for (const profile of profiles) {
      const results = new Map(widgets.map((w) => [w.name, { ok: [], errors: [] }]));
      for (let run = 0; run < runs; run += 1) {
        // Each round starts with another widget, so no widget always goes first.
        const order = widgets.map((_, i) => widgets[(i + run) % widgets.length]);
        for (const widget of order) {
          const result = results.get(widget.name);
          if (widget.name.startsWith('latchkey') && !backend) { result.errors.push('no backend'); continue; }
          try {
            result.ok.push(await measureLoad(browser, { url: urlOf(widget), widget, profile }));
          } catch (error) {
            result.errors.push(error.message.split('\n')[0]);
          }
        }
        process.stderr.write(`  ${profile.name}: round ${run + 1}/${runs}\r`);
      }
      process.stderr.write('\n');
      report.profiles[profile.name] = Object.fromEntries(results);
      printProfile(profile, results);
    }
    const cycles = Number(options.cycles);
    if (cycles > 0 && backend && widgets.some((w) => w.name === 'latchkey')) {
      try {
        const { before, after, again } = await mountCycles(browser, { url: `${server.url}/cycles.html?backend=${encodeURIComponent(backend.url)}`, cycles });
        report.cycles = { before, after, again, cycles };
        console.log(`\nlatchkey: ${cycles}× mount()/unmount(), twice (after one warm-up cycle; forced GC before each reading)`);
        const row = (name, c) => [name, `${(c.heapUsed / 1024).toFixed(0)} KiB`, c.listeners, c.nodes, c.documents, `${c.wasmBytes / 1024} KiB`];
        const change = (name, from, to) => [name, `${((to.heapUsed - from.heapUsed) / 1024).toFixed(0)} KiB`, to.listeners - from.listeners,
          to.nodes - from.nodes, to.documents - from.documents, `${(to.wasmBytes - from.wasmBytes) / 1024} KiB`];
        printTable(['', 'JS heap', 'event listeners', 'DOM nodes', 'documents', 'wasm memory'], [
          row('before', before), row(`after ${cycles}`, after), row(`after ${2 * cycles}`, again),
          change(`change, first ${cycles}`, before, after), change(`change, second ${cycles}`, after, again),
        ]);
      } catch (error) {
        console.log(`\nlatchkey mount/unmount cycles failed: ${error.message.split('\n')[0]}`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
    await backend?.stop();
  }
  console.log(`load average at the end: ${load()}`);
  if (options.json) writeFileSync(options.json, JSON.stringify(report, null, 1));
}

main().catch((error) => { console.error(error); process.exit(1); });

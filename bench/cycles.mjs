// latchkey's mount()/unmount() 100 times on one page, twice: JS heap, event
// listeners, DOM nodes and wasm memory before, after the first round and after the
// second (each after a forced GC).
const FIELD_TIMEOUT_MS = 10_000;

async function counters(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const wasmBytes = await page.evaluate(() => window.wasmMemoryBytes());
  return { heapUsed: heap.usedSize, listeners: dom.jsEventListeners, nodes: dom.nodes, documents: dom.documents, wasmBytes };
}

/** Resolves to { before, after, again, cycles } or throws when a mount never shows its form. */
export async function mountCycles(browser, { url, cycles = 100 }) {
  const context = await browser.newContext({ locale: 'en-US' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(url);
    await page.waitForFunction(() => typeof window.cycle === 'function');
    // One cycle first: the wasm module, the stylesheet and the discovery answer are
    // loaded once per page, not per mount.
    await page.evaluate((timeout) => window.cycle(timeout), FIELD_TIMEOUT_MS);
    const before = await counters(page, cdp);
    const run = async () => {
      for (let i = 0; i < cycles; i += 1) await page.evaluate((timeout) => window.cycle(timeout), FIELD_TIMEOUT_MS);
      return counters(page, cdp);
    };
    const after = await run();
    // A second round tells a leak (grows again) from warming up (the first round's
    // growth is mostly V8 compiling and tiering up code paths it had not run yet).
    const again = await run();
    return { before, after, again, cycles };
  } finally {
    await context.close();
  }
}

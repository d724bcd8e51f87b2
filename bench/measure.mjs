// One cold load of one widget's page in a fresh browser context, with the cache off
// and optionally the mobile profile: bytes on the wire, time to a usable login form,
// JS heap after render, long tasks during load.
const SETTLE_QUIET_MS = 500;
const SETTLE_MAX_MS = 5_000;

export const PROFILES = {
  unthrottled: { name: 'unthrottled', cpu: 1, network: null, timeoutMs: 30_000 },
  // 4× CPU slowdown, 150 ms RTT, 1.6 Mbps down / 750 kbps up (Lighthouse's mobile figures).
  mobile: {
    name: 'mobile', cpu: 4, timeoutMs: 90_000,
    network: { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
  },
};

/**
 * Runs before any page script: records long tasks and the first animation frame in
 * which the widget's field is visible and enabled (searching open shadow roots).
 */
function watchForForm(selector) {
  if (window.top !== window) return;
  const bench = { formAt: null, longTasks: [] };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) bench.longTasks.push({ start: task.startTime, duration: task.duration });
  }).observe({ type: 'longtask', buffered: true });
  const find = (root) => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const element of root.querySelectorAll('*')) {
      const inner = element.shadowRoot && find(element.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  const usable = (field) => field && !field.matches(':disabled') && !field.readOnly &&
    field.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) &&
    field.getBoundingClientRect().width > 0;
  const check = () => {
    if (usable(find(document))) bench.formAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/** Bytes and timing of every request the page makes, from the DevTools protocol. */
function trackNetwork(cdp) {
  const requests = new Map();
  const net = { requests, inflight: 0, lastActivity: Date.now(), clockOffset: null };
  cdp.on('Network.requestWillBeSent', (e) => {
    if (net.clockOffset === null) net.clockOffset = e.wallTime - e.timestamp;
    if (!requests.has(e.requestId)) net.inflight += 1;
    requests.set(e.requestId, { url: e.request.url, bytes: 0, end: null, status: null });
    net.lastActivity = Date.now();
  });
  cdp.on('Network.responseReceived', (e) => {
    const request = requests.get(e.requestId);
    if (request) request.status = e.response.status;
  });
  const finish = (e, failed) => {
    const request = requests.get(e.requestId);
    if (!request || request.end !== null) return;
    request.end = e.timestamp;
    request.bytes = failed ? 0 : e.encodedDataLength;
    request.failed = failed ? e.errorText : undefined;
    net.inflight -= 1;
    net.lastActivity = Date.now();
  };
  cdp.on('Network.loadingFinished', (e) => finish(e, false));
  cdp.on('Network.loadingFailed', (e) => finish(e, true));
  return net;
}

async function settle(net) {
  const start = Date.now();
  while (Date.now() - start < SETTLE_MAX_MS) {
    if (net.inflight <= 0 && Date.now() - net.lastActivity >= SETTLE_QUIET_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Measures one cold load; resolves to figures, or { error } when the form never became usable. */
export async function measureLoad(browser, { url, widget, profile }) {
  const context = await browser.newContext({ locale: 'en-US' });
  try {
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript(watchForForm, widget.field);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (profile.network) await cdp.send('Network.emulateNetworkConditions', profile.network);
    if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    const net = trackNetwork(cdp);

    await page.goto(url, { waitUntil: 'commit', timeout: profile.timeoutMs });
    try {
      await page.waitForFunction(() => window.__bench?.formAt !== null, null, { timeout: profile.timeoutMs, polling: 100 });
    } catch {
      const failed = [...net.requests.values()].filter((r) => r.failed || r.status >= 400).map((r) => `${r.status ?? r.failed} ${r.url}`);
      throw new Error(`no usable form after ${profile.timeoutMs} ms${pageErrors.length ? `; page errors: ${pageErrors.join(' | ')}` : ''}` +
        `${failed.length ? `; failed requests: ${failed.join(', ')}` : ''}`);
    }
    await settle(net);
    const { formAt, longTasks, timeOrigin } = await page.evaluate(() => ({ ...window.__bench, timeOrigin: performance.timeOrigin }));
    // The form's moment on the DevTools clock, to count only what arrived before it.
    const formClock = (timeOrigin + formAt) / 1000 - net.clockOffset;
    const done = [...net.requests.values()];
    const bytesBy = (clock) => done.filter((r) => r.end !== null && r.end <= clock).reduce((sum, r) => sum + r.bytes, 0);
    const bytesToForm = bytesBy(formClock);
    const bytesTotal = done.reduce((sum, r) => sum + r.bytes, 0);
    // A form drawn before the code that sends it: sendable once that file has arrived.
    const sender = widget.sendsWith && done.find((r) => new URL(r.url).pathname.endsWith(widget.sendsWith));
    const submitClock = Math.max(formClock, sender?.end ?? formClock);

    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    return {
      formMs: formAt,
      submitMs: (submitClock + net.clockOffset) * 1000 - timeOrigin,
      bytesToForm,
      bytesToSubmit: bytesBy(submitClock),
      bytesTotal,
      requests: done.length,
      heapUsed: heap.usedSize,
      longTasks: longTasks.length,
      longTaskMax: Math.max(0, ...longTasks.map((t) => t.duration)),
      pageErrors,
    };
  } finally {
    await context.close();
  }
}

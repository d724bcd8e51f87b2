// Debian's Chromium driven by playwright-core (no browser download), and a page that
// records every page error, console error and CSP violation for the test to check.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** `args`: more Chromium switches (e.g. host resolver rules for test host names). */
export function launch(args = []) {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...args] });
}

/** A fresh context and page; `problems` collects what should never happen. */
export async function openPage(browser) {
  // The shop leaves the widget's language to the browser: English unless a test says.
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const problems = [];
  const consoleErrors = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/Content.Security.Policy|Trusted Type/i.test(text)) problems.push(`CSP: ${text}`);
    else consoleErrors.push(text);
  });
  return { context, page, problems, consoleErrors };
}
